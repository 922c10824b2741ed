package shopifytest

import (
	_ "embed"
	"fmt"
	"sync"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/validator"
)

// schemaSDL is the subset of Shopify's Admin schema that the fake serves.
// It is embedded rather than read from disk so that host applications'
// tests need nothing but this package.
//
//go:embed schema.graphql
var schemaSDL string

var (
	schemaOnce   sync.Once
	loadedSchema *ast.Schema
	schemaErr    error
)

// adminSchema returns the parsed and validated schema, loaded once per
// process: every Server shares it read-only.
func adminSchema() (*ast.Schema, error) {
	schemaOnce.Do(func() {
		s, err := validator.LoadSchema(validator.Prelude, &ast.Source{Name: "schema.graphql", Input: schemaSDL})
		if err != nil {
			schemaErr = fmt.Errorf("shopifytest: embedded schema: %w", err)
			return
		}
		loadedSchema = s
	})
	return loadedSchema, schemaErr
}
