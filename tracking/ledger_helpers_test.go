package tracking

import "time"

var testKey = LedgerKey{Channel: "shopify", Store: "shop.example", OrderID: "1001", ShipmentID: "S1"}

func testRecord(id string) Record {
	return Record{RemoteID: id, TrackingNumber: "TN-" + id, PushedAt: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
}
