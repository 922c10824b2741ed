package notify

import "fmt"

// Mode switches a trigger per store (StoreConfig.Triggers).
type Mode uint8

// The modes of a trigger.
const (
	// Default is the trigger's own default (Trigger.Default); as a
	// Trigger's Default it means Off.
	Default Mode = iota
	// Off: the trigger sends nothing for the store.
	Off
	// On: the email goes out as soon as it is due.
	On
	// AfterChannel: the email waits until the order's channel holds the
	// package (a channel exporter of the same Syncer reported it pushed or
	// already pushed), so that the link in the email matches what the
	// channel shows the customer.
	AfterChannel
)

var modeNames = [...]string{Default: "default", Off: "off", On: "on", AfterChannel: "after-channel"}

// String returns the mode's name: "default", "off", "on" or
// "after-channel".
func (m Mode) String() string {
	if int(m) < len(modeNames) {
		return modeNames[m]
	}
	return fmt.Sprintf("Mode(%d)", m)
}

// MarshalText writes the mode's name, for JSON configuration.
func (m Mode) MarshalText() ([]byte, error) {
	if int(m) >= len(modeNames) {
		return nil, fmt.Errorf("notify: unknown trigger mode %d", m)
	}
	return []byte(modeNames[m]), nil
}

// UnmarshalText reads a mode's name.
func (m *Mode) UnmarshalText(text []byte) error {
	for i, name := range modeNames {
		if string(text) == name {
			*m = Mode(i)
			return nil
		}
	}
	return fmt.Errorf("notify: unknown trigger mode %q; want off, on or after-channel", text)
}

// resolve applies a trigger's default to a store's mode.
func (m Mode) resolve(def Mode) Mode {
	if m == Default {
		m = def
	}
	if m == Default {
		return Off
	}
	return m
}
