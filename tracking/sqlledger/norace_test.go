//go:build !race

package sqlledger_test

const raceEnabled = false
