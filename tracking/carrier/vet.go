package carrier

import (
	"context"
	"log/slog"
)

// Vet is the tracking-number step every exporter runs on a shipment before
// it pushes it, so that the policy reads the same on every channel. It
// checks number against c under p (see Check); a number that is pushed
// anyway is logged as a warning on logger, with args naming the order and
// shipment, and returned as the warnings to put on the shipment's result.
// Under PolicyStrict a wrong number is the *InvalidNumberError: fail the
// shipment with it and push nothing.
//
// A carrier outside the catalogue (the zero Carrier, such as a host's own
// courier) has no formats to check against, so its numbers pass. A nil
// logger logs nothing; the warnings are returned all the same.
func (p Policy) Vet(ctx context.Context, logger *slog.Logger, c Carrier, number string, args ...any) (warnings []string, err error) {
	if c.entry == nil {
		return nil, nil
	}
	warning, err := p.Check(c, number)
	if err != nil || warning == "" {
		return nil, err
	}
	if logger != nil {
		logger.WarnContext(ctx, "tracking number does not match its carrier", append(args[:len(args):len(args)], "carrier", c.Code, "warning", warning)...)
	}
	return []string{warning}, nil
}
