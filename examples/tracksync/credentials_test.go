package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestSecretIsNeverShown(t *testing.T) {
	s := secret("SECRET-value")
	c := amazonCredentials{ClientID: "id", ClientSecret: s, RefreshToken: s}
	for _, text := range []string{
		fmt.Sprint(s), fmt.Sprintf("%s %q %v %+v %#v %x %d", s, s, s, s, s, s, s),
		fmt.Sprintf("%v %+v %#v", c, c, c), fmt.Sprint(&c),
	} {
		require.NotContains(t, text, "SECRET")
		require.Contains(t, text, redacted)
	}
	data, err := json.Marshal(c)
	require.NoError(t, err)
	require.NotContains(t, string(data), "SECRET")
	require.Equal(t, "SECRET-value", s.reveal())
}

func TestCredentialsFileAndEnvironment(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "c.json")
	require.NoError(t, os.WriteFile(path, []byte(`{
		"shopify": {"Demo-Shop.myshopify.com": {"access_token": "file-token"}, "other": {"access_token": "other-token"}},
		"amazon": {"A2SELLER": {"client_id": "file-id", "client_secret": "file-secret", "refresh_token": "file-refresh"}, "B3SELLER": {"refresh_token": "b-refresh"}}
	}`), 0o600))
	env := map[string]string{
		"TRACKSYNC_SHOPIFY_TOKEN_OTHER":            "env-token",
		"TRACKSYNC_AMAZON_CLIENT_ID":               "app-id",
		"TRACKSYNC_AMAZON_CLIENT_SECRET":           "app-secret",
		"TRACKSYNC_AMAZON_REFRESH_TOKEN_A2SELLER":  "env-refresh",
		"TRACKSYNC_AMAZON_REGION_B3SELLER":         "fe",
		"TRACKSYNC_AMAZON_CLIENT_SECRET_C4_SELLER": "c-secret",
	}
	var warn bytes.Buffer
	c, err := loadCredentials(path, func(k string) string { return env[k] }, &warn)
	require.NoError(t, err)
	require.Empty(t, warn.String())

	tok, _ := c.shopifyToken("demo-shop")
	require.Equal(t, "file-token", tok.reveal(), "shop names compare without case and suffix")
	tok, _ = c.shopifyToken("other.myshopify.com")
	require.Equal(t, "env-token", tok.reveal(), "the environment overrides the file")
	tok, name := c.shopifyToken("third.myshopify.com")
	require.Empty(t, tok)
	require.Equal(t, "TRACKSYNC_SHOPIFY_TOKEN_THIRD", name)

	a, missing := c.amazonSeller("A2SELLER")
	require.Empty(t, missing)
	require.Equal(t, "file-id", a.ClientID, "the app-wide variables only fill what is missing")
	require.Equal(t, "env-refresh", a.RefreshToken.reveal())
	b, missing := c.amazonSeller("B3SELLER")
	require.Empty(t, missing)
	require.Equal(t, "app-id", b.ClientID)
	require.Equal(t, "app-secret", b.ClientSecret.reveal())
	require.Equal(t, "fe", b.Region)
	_, missing = c.amazonSeller("C4-SELLER")
	require.Equal(t, []string{"TRACKSYNC_AMAZON_REFRESH_TOKEN_C4_SELLER"}, missing)
}

func TestCredentialsFileErrorsHoldNoSecret(t *testing.T) {
	dir := t.TempDir()
	for name, content := range map[string]string{
		"syntax":  `{"shopify": {"a": {"access_token": "SECRET-x"}`,
		"type":    `{"shopify": {"a": {"access_token": 42}}, "x": "SECRET-y"}`,
		"unknown": `{"shopify": {"a": {"acces_token": "SECRET-z"}}}`,
	} {
		path := filepath.Join(dir, name+".json")
		require.NoError(t, os.WriteFile(path, []byte(content), 0o640))
		var warn bytes.Buffer
		_, err := loadCredentials(path, func(string) string { return "" }, &warn)
		require.Error(t, err, name)
		require.NotContains(t, err.Error(), "SECRET", name)
		require.Contains(t, warn.String(), "chmod 600")
	}
	_, err := loadCredentials(filepath.Join(dir, "none.json"), func(string) string { return "" }, &bytes.Buffer{})
	require.ErrorIs(t, err, os.ErrNotExist)
}
