package tracking_test

import (
	"encoding/json"
	"errors"
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/shopctrl/tracksync/tracking"
)

// problems returns the field paths of the *ValidationErrors in err.
func problems(t *testing.T, err error) []string {
	t.Helper()
	if err == nil {
		return nil
	}
	joined, ok := err.(interface{ Unwrap() []error })
	require.True(t, ok, "Validate returns a joined error, got %T", err)
	var fields []string
	for _, e := range joined.Unwrap() {
		var ve *tracking.ValidationError
		require.ErrorAs(t, e, &ve)
		require.ErrorIs(t, e, tracking.ErrInvalidOrder)
		fields = append(fields, ve.Field)
	}
	return fields
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(o *tracking.Order)
		fields []string // expected problem paths, in report order
		text   string   // a phrase one of the messages contains
	}{
		{"valid", func(o *tracking.Order) {}, nil, ""},
		{"valid without shipments while open", func(o *tracking.Order) { o.Status = tracking.StatusOpen; o.Shipments = nil }, nil, ""},
		{"valid waiting for a tracking number", func(o *tracking.Order) {
			o.Shipments[0].TrackingNumber, o.Shipments[0].ShippedAt, o.Shipments[0].Carrier = "", time.Time{}, ""
		}, nil, ""},
		{"empty id", func(o *tracking.Order) { o.ID = "" }, []string{"id"}, "host's order id"},
		{"empty channel", func(o *tracking.Order) { o.Channel = "" }, []string{"channel"}, "is empty"},
		{"malformed channel", func(o *tracking.Order) { o.Channel = "e Bay" }, []string{"channel"}, `"e Bay" is not a channel name`},
		{"all-channels is not an order channel", func(o *tracking.Order) { o.Channel = tracking.AllChannels }, []string{"channel"}, "is not a channel name"},
		{"ids must be UTF-8 text", func(o *tracking.Order) { o.Shipments[0].ID = "S\xff" }, []string{"shipments[0].id"}, "not valid UTF-8"},
		{"quantities that would overflow", func(o *tracking.Order) {
			o.Shipments[0].Items[0].Quantity = math.MaxInt
			o.Shipments[1].Items[0].LineID = o.Shipments[0].Items[0].LineID
			o.Shipments[1].Items[0].Quantity = math.MaxInt
		}, []string{"lines[0].quantity", "status"}, "units of line"},
		{"empty store", func(o *tracking.Order) { o.Store = "" }, []string{"store"}, "channel account"},
		{"empty channel order id", func(o *tracking.Order) { o.ChannelOrderID = "" }, []string{"channel_order_id"}, ""},
		{"unknown status", func(o *tracking.Order) { o.Status = "shipped" }, []string{"status"}, `unknown status "shipped"`},
		{"no lines", func(o *tracking.Order) { o.Lines = nil; o.Shipments = nil }, []string{"lines"}, "at least one line"},
		{"empty line id", func(o *tracking.Order) { o.Lines[1].ID = "" }, []string{"lines[1].id", "shipments[1].items[0].line_id"}, "unknown line"},
		{"duplicate line id", func(o *tracking.Order) { o.Lines[1].ID = "L1" },
			[]string{"lines[1].id", "shipments[1].items[0].line_id"}, "duplicate line id \"L1\" (also lines[0])"},
		{"empty channel line id", func(o *tracking.Order) { o.Lines[0].ChannelLineID = "" }, []string{"lines[0].channel_line_id"}, ""},
		{"zero line quantity", func(o *tracking.Order) { o.Lines[0].Quantity = 0 }, []string{"lines[0].quantity"}, "is 0; want at least 1"},
		{"negative line quantity", func(o *tracking.Order) { o.Lines[0].Quantity = -3 }, []string{"lines[0].quantity"}, "is -3"},
		{"empty shipment id", func(o *tracking.Order) { o.Shipments[0].ID = "" }, []string{"shipments[0].id"}, ""},
		{"duplicate shipment id", func(o *tracking.Order) { o.Shipments[1].ID = o.Shipments[0].ID },
			[]string{"shipments[1].id"}, "(also shipments[0])"},
		{"empty warehouse", func(o *tracking.Order) { o.Shipments[1].Warehouse = "" }, []string{"shipments[1].warehouse"}, ""},
		{"tracking number without dispatch time", func(o *tracking.Order) { o.Shipments[0].ShippedAt = time.Time{} },
			[]string{"shipments[0].shipped_at"}, "tracking_number is set"},
		{"tracking number without carrier", func(o *tracking.Order) { o.Shipments[0].Carrier = "" },
			[]string{"shipments[0].carrier"}, "tracking_number is set"},
		{"relative tracking url", func(o *tracking.Order) { o.Shipments[0].TrackingURL = "/track/1" },
			[]string{"shipments[0].tracking_url"}, "absolute http(s) URL"},
		{"javascript tracking url", func(o *tracking.Order) { o.Shipments[0].TrackingURL = "javascript:alert(1)" },
			[]string{"shipments[0].tracking_url"}, ""},
		{"shipment without items", func(o *tracking.Order) { o.Status = tracking.StatusPartiallyShipped; o.Shipments[1].Items = nil },
			[]string{"shipments[1].items"}, "at least one item"},
		{"item with empty line id", func(o *tracking.Order) { o.Shipments[0].Items[0].LineID = "" },
			[]string{"shipments[0].items[0].line_id", "status"}, "is empty"},
		{"item of unknown line", func(o *tracking.Order) { o.Shipments[1].Items[0].LineID = "L9" },
			[]string{"shipments[1].items[0].line_id", "status"}, `unknown line "L9"`},
		{"line listed twice in a shipment", func(o *tracking.Order) {
			o.Shipments[0].Items = []tracking.Item{{LineID: "L1", Quantity: 1}, {LineID: "L1", Quantity: 1}}
		}, []string{"shipments[0].items[1].line_id"}, "listed twice"},
		{"zero item quantity", func(o *tracking.Order) { o.Shipments[1].Items[0].Quantity = 0 },
			[]string{"shipments[1].items[0].quantity", "status"}, "want at least 1"},
		{"shipped more than ordered", func(o *tracking.Order) { o.Shipments[0].Items[0].Quantity = 3 },
			[]string{"lines[0].quantity"}, "shipments hold 3 units of line \"L1\"; 2 ordered"},
		{"over-shipped across shipments", func(o *tracking.Order) {
			o.Shipments[1].Items = append(o.Shipments[1].Items, tracking.Item{LineID: "L1", Quantity: 1})
		}, []string{"lines[0].quantity"}, "shipments hold 3 units"},
		{"fully shipped while a line is short", func(o *tracking.Order) { o.Shipments[0].Items[0].Quantity = 1 },
			[]string{"status"}, `line "L1" has 1 of 2 units shipped`},
		{"partially shipped while short is fine", func(o *tracking.Order) {
			o.Status = tracking.StatusPartiallyShipped
			o.Shipments[0].Items[0].Quantity = 1
		}, nil, ""},
		{"bad customer email", func(o *tracking.Order) { o.Customer.Email = "Anna <anna@example.com>" }, []string{"customer.email"}, "bare email"},
		{"bad customer locale", func(o *tracking.Order) { o.Customer.Locale = "nl_NL" }, []string{"customer.locale"}, "BCP 47"},
		{"good locales", func(o *tracking.Order) { o.Customer.Locale = "zh-Hant-TW" }, nil, ""},
		{"all at once", func(o *tracking.Order) {
			o.ID, o.Channel, o.Status = "", "E", ""
			o.Lines[0].Quantity = 0
			o.Shipments[1].Items[0].LineID = "L7"
			o.Shipments[0].ShippedAt = time.Time{}
		}, []string{"id", "channel", "status", "lines[0].quantity", "shipments[0].shipped_at", "shipments[1].items[0].line_id"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := sampleOrder("A1")
			tt.mutate(&o)
			err := o.Validate()
			require.Equal(t, tt.fields, problems(t, err))
			if tt.text != "" {
				require.ErrorContains(t, err, tt.text)
			}
		})
	}
}

func TestValidateLargeOrderUsesSameRules(t *testing.T) {
	o := sampleOrder("BIG")
	o.Status = tracking.StatusPartiallyShipped
	for i := range 40 { // past the small-order scan, into the map index
		o.Lines = append(o.Lines, tracking.Line{ID: "X" + string(rune('A'+i%26)) + string(rune('a'+i/26)), ChannelLineID: "c", Quantity: 1})
	}
	o.Lines = append(o.Lines, tracking.Line{ID: "L2", ChannelLineID: "c", Quantity: 1})
	err := o.Validate()
	require.Equal(t, []string{"lines[42].id"}, problems(t, err))
	require.ErrorContains(t, err, "(also lines[1])")
}

func TestValidateErrorNamesTheOrder(t *testing.T) {
	o := sampleOrder("A1")
	o.Store = ""
	err := o.Validate()
	require.EqualError(t, err, `tracking: order "A1": store: is empty; set the channel account (Shopify shop domain, Amazon "sellerID/marketplaceID")`)
	require.True(t, errors.Is(err, tracking.ErrInvalidOrder))
}

func FuzzOrderValidate(f *testing.F) {
	seed, err := json.Marshal(sampleOrder("F1"))
	require.NoError(f, err)
	f.Add(seed)
	f.Add([]byte(`{"id":"x","lines":[{"id":"a","quantity":-1}],"shipments":[{"items":[{"line_id":"a","quantity":9}]},{"items":null}]}`))
	f.Add([]byte(`{"lines":[{},{},{}],"shipments":[{"id":"s"},{"id":"s","tracking_number":"1"}]}`))
	f.Add([]byte(`{"customer":{"locale":"-","email":"@"}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var o tracking.Order
		if json.Unmarshal(data, &o) != nil {
			return
		}
		err := o.Validate()
		if err != nil {
			require.ErrorIs(t, err, tracking.ErrInvalidOrder)
		}
	})
}

func BenchmarkValidate(b *testing.B) {
	o := sampleOrder("B1")
	b.ReportAllocs()
	for b.Loop() {
		if err := o.Validate(); err != nil {
			b.Fatal(err)
		}
	}
}
