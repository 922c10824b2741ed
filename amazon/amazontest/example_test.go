package amazontest_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/shopctrl/tracksync/amazon/amazontest"
)

// Example seeds a seller and an order, gets an LWA access token, confirms
// one package with plain net/http, and prints what the fake recorded.
func Example() {
	srv := amazontest.NewServer()
	defer srv.Close()

	seller := srv.AddSeller("A2EXAMPLESELLER", amazontest.Credentials{
		ClientID:     "amzn1.application-oa2-client.example",
		ClientSecret: "example-secret",
		RefreshToken: "Atzr|example",
	})
	order, err := seller.AddOrder(amazontest.OrderSeed{
		AmazonOrderID: "902-3159896-1390916",
		Items: []amazontest.ItemSeed{
			{OrderItemID: "68828574383266", SKU: "MUG-RED", Quantity: 2},
		},
	})
	if err != nil {
		panic(err)
	}

	// Login with Amazon: exchange the refresh token for an access token.
	form := url.Values{
		"grant_type":    {"refresh_token"},
		"refresh_token": {"Atzr|example"},
		"client_id":     {"amzn1.application-oa2-client.example"},
		"client_secret": {"example-secret"},
	}
	resp, err := http.PostForm(srv.URL()+"/auth/o2/token", form)
	if err != nil {
		panic(err)
	}
	var token struct {
		AccessToken string `json:"access_token"`
		ExpiresIn   int    `json:"expires_in"`
	}
	_ = json.NewDecoder(resp.Body).Decode(&token)
	resp.Body.Close()
	fmt.Println("token expires in", token.ExpiresIn, "s")

	// Orders v0 confirmShipment: one package with one of the two mugs.
	shipDate := order.PurchaseDate.Add(30 * time.Minute).Format(time.RFC3339)
	body := `{"marketplaceId":"ATVPDKIKX0DER","packageDetail":{"packageReferenceId":"1",` +
		`"carrierCode":"UPS","shippingMethod":"UPS Ground","trackingNumber":"1Z999AA10123456784",` +
		`"shipDate":"` + shipDate + `","orderItems":[{"orderItemId":"68828574383266","quantity":1}]}}`
	req, _ := http.NewRequest(http.MethodPost,
		srv.URL()+"/orders/v0/orders/"+order.AmazonOrderID+"/shipmentConfirmation", strings.NewReader(body))
	req.Header.Set("x-amz-access-token", token.AccessToken)
	req.Header.Set("User-Agent", "example/1.0 (Language=Go)")
	req.Header.Set("Content-Type", "application/json")
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		panic(err)
	}
	resp.Body.Close()
	fmt.Println("confirmShipment:", resp.StatusCode, "rate limit", resp.Header.Get("x-amzn-RateLimit-Limit"))

	for _, p := range seller.Packages(order.AmazonOrderID) {
		fmt.Printf("package %s: %s %s, %d × %s\n", p.PackageReferenceID, p.CarrierCode, p.TrackingNumber, p.Items[0].Quantity, p.Items[0].OrderItemID)
	}
	o, _ := seller.Order(order.AmazonOrderID)
	fmt.Println("order status:", o.Status)
	fmt.Println("LWA calls:", srv.LWACalls(), "confirmations:", srv.Count(amazontest.OpConfirmShipment))

	// Output:
	// token expires in 3600 s
	// confirmShipment: 204 rate limit 2.0
	// package 1: UPS 1Z999AA10123456784, 1 × 68828574383266
	// order status: PartiallyShipped
	// LWA calls: 1 confirmations: 1
}
