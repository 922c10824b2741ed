package main

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestThrottleCounterTellsChannelsApart(t *testing.T) {
	tests := []struct {
		name    string
		answers []string // store, a "!" prefix for a refusal for rate
		want    throttleCounts
	}{
		{"a shop's first answer", []string{"!shopify:a"}, throttleCounts{Requests: 1, ShopifyFirst: 1}},
		{"a shop after its first answer", []string{"shopify:a", "!shopify:a"}, throttleCounts{Requests: 2, ShopifyThrottled: 1}},
		{"another shop's first answer", []string{"shopify:a", "!shopify:b"}, throttleCounts{Requests: 2, ShopifyFirst: 1}},
		{"the SP-API", []string{"!amazon:tok"}, throttleCounts{Requests: 1, Amazon429: 1}},
		{"Login with Amazon is Amazon's, never a shop's", []string{"lwa:/auth/o2/token", "!lwa:/auth/o2/token"}, throttleCounts{Requests: 2, Amazon429: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newThrottleCounter(nil)
			for _, a := range tt.answers {
				store, throttled := a, false
				if a[0] == '!' {
					store, throttled = a[1:], true
				}
				c.record(store, throttled)
			}
			require.Equal(t, tt.want, c.totals())
		})
	}
}
