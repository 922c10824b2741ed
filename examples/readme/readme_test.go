package main

import (
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// snippetMarker precedes, in README.md, the fenced block that shows this
// program.
const snippetMarker = "<!-- snippet: examples/readme/main.go -->"

// TestREADMEShowsThisProgram keeps the README's "Use" example from
// drifting from a program that compiles and runs: the fenced go block
// after the marker must be main.go, byte for byte.
func TestREADMEShowsThisProgram(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	require.NoError(t, err)
	program, err := os.ReadFile("main.go")
	require.NoError(t, err)
	block, err := fencedBlockAfter(string(readme), snippetMarker, "go")
	require.NoError(t, err, "README.md must show examples/readme/main.go: put %q on the line before a ```go block holding the file", snippetMarker)
	require.Equal(t, string(program), block, "the README's example differs from examples/readme/main.go; copy the file into the README")
}

// fencedBlockAfter returns the body of the first ```lang block after
// marker, with a final newline.
func fencedBlockAfter(doc, marker, lang string) (string, error) {
	_, rest, ok := strings.Cut(doc, marker)
	if !ok {
		return "", errors.New("no marker " + marker)
	}
	rest = strings.TrimLeft(rest, " \t\r\n")
	open := "```" + lang + "\n"
	if !strings.HasPrefix(rest, open) {
		return "", errors.New("the marker is not followed by a ```" + lang + " block")
	}
	body, _, ok := strings.Cut(rest[len(open):], "\n```")
	if !ok {
		return "", errors.New("the ```" + lang + " block is not closed")
	}
	return body + "\n", nil
}

func TestFencedBlockAfter(t *testing.T) {
	tests := []struct {
		doc, want string
		ok        bool
	}{
		{"x\n<!-- m -->\n```go\npackage main\n```\n", "package main\n", true},
		{"<!-- m -->\n\n```go\na\n\nb\n```", "a\n\nb\n", true},
		{"```go\nno marker\n```", "", false},
		{"<!-- m -->\ntext\n```go\na\n```", "", false},
		{"<!-- m -->\n```go\nunclosed", "", false},
	}
	for _, tt := range tests {
		got, err := fencedBlockAfter(tt.doc, "<!-- m -->", "go")
		require.Equal(t, tt.ok, err == nil, tt.doc)
		require.Equal(t, tt.want, got)
	}
}
