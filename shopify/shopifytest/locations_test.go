package shopifytest_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/shopctrl/tracksync/shopify/shopifytest"
)

func TestAddLocationWithID(t *testing.T) {
	srv := shopifytest.NewServer()
	defer srv.Close()
	shop := srv.AddShop("ids.myshopify.com", "shpat_ids")
	id, err := shop.AddLocationWithID("Amsterdam", 6884)
	require.NoError(t, err)
	require.Equal(t, "gid://shopify/Location/6884", id)
	_, err = shop.AddLocationWithID("Again", 6884)
	require.ErrorContains(t, err, "exists")
	_, err = shop.AddLocationWithID("Zero", 0)
	require.Error(t, err)
	// Ids the server assigns afterwards never collide with the chosen one.
	ref := shop.AddOrder(shopifytest.OrderSeed{Lines: []shopifytest.LineSeed{{SKU: "A", Quantity: 1}}})
	require.Equal(t, "gid://shopify/Order/6885", ref.ID)
	require.Equal(t, "gid://shopify/Location/6889", shop.AddLocation("Berlin"), "after the order, its line, fulfillment order and its line")
}
