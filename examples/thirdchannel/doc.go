// Package thirdchannel is the worked example of CONTRIBUTING.md: its tests
// add a toy third channel, "bol", to tracksync through the public API only,
// and sync an order to it with the mapping, a ledger and the Syncer.
//
// Nothing outside this directory changes for it. The toy exporter
// (exporter_test.go) is what a channel package's exporter does, in small:
// declare its Channel and the Mapping interface it needs (which
// *mapping.Static satisfies through its per-channel Location and Carrier),
// check each tracking number with carrier.Policy.Vet, reconcile with the
// channel before writing, fence every write with tracking.RunFrom(ctx), and
// return one result per shipment. The channel itself is an in-memory
// stand-in (channel_test.go), not a model of bol.com's API.
package thirdchannel
