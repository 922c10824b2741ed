// Package tracksync pushes shipments from an order-management system back to
// the sales channels the orders came from. The full overview is written in
// the foundation issue; see README.md.
package tracksync
