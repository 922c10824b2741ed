package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/shopctrl/tracksync/tracking"
)

// progress shows how a pass goes: orders done of the total, shipments by
// state, orders per second and the time left. On a terminal it redraws one
// line in place; anywhere else (a log file, a pipe, CI) it writes plain
// lines, at each tenth of the orders or every 10 seconds, without control
// characters.
type progress struct {
	out      io.Writer
	terminal bool
	now      func() time.Time

	mu       sync.Mutex
	total    int
	done     int
	counts   map[tracking.State]int
	start    time.Time
	drawn    bool // a terminal line is on screen
	lastLine time.Time
	lastStep int // tenths of the orders reported so far (plain lines)
	stopping bool
	stop     chan struct{}
	stopped  chan struct{}
}

const (
	redrawEvery    = 200 * time.Millisecond
	plainLineEvery = 10 * time.Second
)

// isTerminal reports whether w is a character device (a terminal) that
// understands the line-redrawing control sequences.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok || os.Getenv("TERM") == "dumb" {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

func newProgress(out io.Writer, terminal bool) *progress {
	return &progress{out: out, terminal: terminal, now: time.Now}
}

// begin starts a pass over total orders.
func (p *progress) begin(total int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.total, p.done, p.counts, p.start, p.lastLine, p.lastStep, p.stopping = total, 0, map[tracking.State]int{}, p.now(), p.now(), 0, false
	if p.terminal {
		p.stop, p.stopped = make(chan struct{}), make(chan struct{})
		go p.redraw(p.stop, p.stopped)
	}
}

func (p *progress) redraw(stop, stopped chan struct{}) {
	defer close(stopped)
	t := time.NewTicker(redrawEvery)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
			p.mu.Lock()
			p.draw()
			p.mu.Unlock()
		}
	}
}

// add counts one finished order.
func (p *progress) add(r tracking.OrderResult) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.done++
	for st, n := range r.Counts() {
		p.counts[st] += n
	}
	if p.terminal || p.total == 0 {
		return
	}
	step := p.done * 10 / p.total
	if step > p.lastStep || p.now().Sub(p.lastLine) >= plainLineEvery {
		p.lastStep, p.lastLine = step, p.now()
		fmt.Fprintln(p.out, p.line())
	}
}

// interrupted notes that the pass is stopping after the orders in flight.
func (p *progress) interrupted() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.stopping {
		return
	}
	p.stopping = true
	p.clear()
	fmt.Fprintln(p.out, "interrupted: finishing the orders in flight, then stopping (press Ctrl-C again to quit at once; the next run resumes)")
}

// end stops redrawing and clears the line, so the summary starts clean.
func (p *progress) end() {
	if p.terminal && p.stop != nil {
		close(p.stop)
		<-p.stopped
		p.stop = nil
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.clear()
	if !p.terminal && p.done > 0 && p.lastStep < 10 {
		fmt.Fprintln(p.out, p.line())
	}
}

// Write lets log lines through without tearing the progress line: the line
// is cleared, the log written, and the line drawn again at the next tick.
func (p *progress) Write(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.clear()
	return p.out.Write(b)
}

func (p *progress) clear() {
	if p.drawn {
		_, _ = io.WriteString(p.out, "\r\x1b[K")
		p.drawn = false
	}
}

func (p *progress) draw() {
	if p.total == 0 {
		return
	}
	_, _ = io.WriteString(p.out, "\r\x1b[K"+p.line())
	p.drawn = true
}

// line is the progress as text: "412/10000 orders  380 pushed  25
// already  6 waiting  1 failed  85.3 orders/s  ETA 1m52s".
func (p *progress) line() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d/%d orders  %d pushed  %d already  %d waiting  %d failed",
		p.done, p.total, p.counts[tracking.Pushed], p.counts[tracking.AlreadyPushed], p.counts[tracking.Waiting], p.counts[tracking.Failed])
	elapsed := p.now().Sub(p.start)
	if elapsed <= 0 || p.done == 0 {
		return b.String()
	}
	rate := float64(p.done) / elapsed.Seconds()
	fmt.Fprintf(&b, "  %.1f orders/s", rate)
	if left := p.total - p.done; left > 0 && elapsed >= time.Second {
		fmt.Fprintf(&b, "  ETA %s", (time.Duration(float64(left) / rate * float64(time.Second))).Round(time.Second))
	}
	return b.String()
}
