package otelmetrics

import (
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
)

// attrKey is one combination of attribute values. Combinations are few
// (channels × operations × statuses), so their attribute sets are built
// once and reused: recording a measurement then allocates nothing.
type attrKey struct {
	kind      attrKind
	channel   string
	exporter  string
	state     string
	operation string
	status    int
	errType   string
	store     string
}

type attrKind uint8

const (
	kindShipment  attrKind = iota // channel, exporter, state
	kindRequest                   // channel, operation, status, error type
	kindOperation                 // channel, operation
)

// attrOpts is an attribute set as the option lists of Add and Record,
// kept as slices so that passing them allocates nothing.
type attrOpts struct {
	add []metric.AddOption
	rec []metric.RecordOption
}

// attrs returns the options of k's attribute set.
func (o *Observer) attrs(k attrKey) attrOpts {
	o.mu.RLock()
	v, ok := o.sets[k]
	o.mu.RUnlock()
	if ok {
		return v
	}
	kv := make([]attribute.KeyValue, 0, 5+len(o.extra))
	kv = append(kv, o.extra...)
	kv = append(kv, KeyChannel.String(k.channel))
	switch k.kind {
	case kindShipment:
		kv = append(kv, KeyExporter.String(k.exporter), KeyState.String(k.state))
	case kindRequest:
		kv = append(kv, KeyOperation.String(k.operation))
		if k.status > 0 {
			kv = append(kv, KeyStatusCode.Int(k.status))
		}
		if k.errType != "" {
			kv = append(kv, KeyErrorType.String(k.errType))
		}
	case kindOperation:
		kv = append(kv, KeyOperation.String(k.operation))
	}
	if k.store != "" {
		kv = append(kv, KeyStore.String(k.store))
	}
	opt := metric.WithAttributeSet(attribute.NewSet(kv...))
	v = attrOpts{add: []metric.AddOption{opt}, rec: []metric.RecordOption{opt}}
	o.mu.Lock()
	defer o.mu.Unlock()
	if prev, ok := o.sets[k]; ok {
		return prev
	}
	if o.sets == nil {
		o.sets = map[attrKey]attrOpts{}
	}
	o.sets[k] = v
	return v
}
