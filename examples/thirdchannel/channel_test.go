package thirdchannel_test

import (
	"fmt"
	"sync"
)

// toyChannel stands in for a sales channel's API: it stores the shipments
// a seller reports per order, and lists them back. Like a real channel it
// refuses what it cannot take, and it counts writes so that tests can see
// that nothing is sent twice.
type toyChannel struct {
	mu        sync.Mutex
	shipments map[orderRef][]toyShipment
	writes    int
}

// orderRef is an order of one store on the channel.
type orderRef struct{ store, orderID string }

// toyShipment is a shipment as the channel holds it.
type toyShipment struct {
	ID          string // the channel's id
	Reference   string // the seller's reference: the host's shipment id
	Location    string
	Transporter string // the channel's carrier code, or "OTHER"
	CarrierName string
	Tracking    string
	URL         string
	Items       map[string]int // channel line id → quantity
}

func newToyChannel() *toyChannel {
	return &toyChannel{shipments: map[orderRef][]toyShipment{}}
}

// Shipments lists what the channel holds for an order.
func (c *toyChannel) Shipments(store, orderID string) []toyShipment {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]toyShipment(nil), c.shipments[orderRef{store, orderID}]...)
}

// Ship records a shipment and returns its id.
func (c *toyChannel) Ship(store, orderID string, s toyShipment) (string, error) {
	if s.Reference == "" || s.Tracking == "" || s.Transporter == "" || len(s.Items) == 0 {
		return "", fmt.Errorf("toy channel: shipment %+v lacks a reference, tracking number, transporter or items", s)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.writes++
	ref := orderRef{store, orderID}
	s.ID = fmt.Sprintf("toy-%d", c.writes)
	c.shipments[ref] = append(c.shipments[ref], s)
	return s.ID, nil
}

// Writes is how many shipments were sent.
func (c *toyChannel) Writes() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.writes
}
