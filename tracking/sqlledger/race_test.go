//go:build race

package sqlledger_test

// raceEnabled slows the real-time contract cases down: under the race
// detector, 50 claims in a row on SQLite's one writer take longer than
// the normal lease, which then expires and is rightly taken over.
const raceEnabled = true
