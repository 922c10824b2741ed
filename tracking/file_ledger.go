package tracking

import (
	"bufio"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// ErrLedgerClosed is returned by the methods of a FileLedger after Close,
// rather than quietly recording commits that would never reach the file.
var ErrLedgerClosed = errors.New("tracking: ledger is closed")

// ErrLedgerInUse reports that another process (or another FileLedger of this
// one) holds the ledger file open. Two writers would each miss the other's
// commits, so the second one is refused. The error that wraps it names the
// file: "tracking: ledger file X is in use by another process".
var ErrLedgerInUse = errors.New("in use by another process")

// ErrCorruptLedger reports a line of a ledger file that cannot be read and is
// not the last one. A crash can only tear the last line, so anything else is
// damage that needs a person: the file is left as it is rather than losing
// the records after the bad line.
var ErrCorruptLedger = errors.New("tracking: corrupt ledger file")

// FileLedger is a Ledger whose records survive restarts, for one process.
//
// Only commits and notes are written: one JSON line each, appended and
// fsynced before Commit or Note returns. Leases live in memory (the embedded
// logic of MemoryLedger), since a restart ends every lease the process held
// anyway; a note outlives them, as Ledger.Note promises. On open the file
// is replayed, a torn last line from a crash is dropped, and the file is
// rewritten with one line per key when it holds superseded lines.
//
// It is safe for concurrent use. A commit holds the ledger while its line is
// written and fsynced, so other calls wait at most that long.
type FileLedger struct {
	mem    *MemoryLedger
	path   string
	closed atomic.Bool // set under mu, read without it by the cheap checks

	mu   sync.Mutex // guards the fields below; held across a write and its fsync
	f    *os.File
	size int64 // where the next line goes
	err  error // the first failed write: the tail of the file is unknown since
}

// fileLine is one line of a ledger file: a commit (Record) or a note.
type fileLine struct {
	Key    LedgerKey `json:"key"`
	Record *Record   `json:"record,omitempty"`
	Note   *string   `json:"note,omitempty"`
	At     time.Time `json:"at,omitzero"` // when the note was stored
}

// fileState is what the file holds of one key after replay.
type fileState struct {
	rec     *Record
	note    string
	touched time.Time
}

// lines is how many lines the state takes in a compacted file.
func (st *fileState) lines() int {
	n := 0
	if st.rec != nil {
		n++
	}
	if st.note != "" {
		n++
	}
	return n
}

var _ Ledger = (*FileLedger)(nil)

// OpenFileLedger opens the ledger file at path, creating it if needed (its
// directory must exist), and locks it against other processes until Close.
func OpenFileLedger(path string) (_ *FileLedger, err error) {
	dir := filepath.Dir(path)
	if _, err := os.Stat(dir); err != nil {
		return nil, fmt.Errorf("tracking: directory of ledger file %s: %w", path, err)
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("tracking: open ledger file: %w", err)
	}
	defer func() {
		if err != nil {
			f.Close()
		}
	}()
	if err := lockFile(f); err != nil {
		return nil, fmt.Errorf("tracking: ledger file %s is %w", path, err)
	}
	// Another process may have compacted path between our open and our lock:
	// then we locked the file it replaced, and it holds the new one.
	fi, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("tracking: open ledger file: %w", err)
	}
	if pfi, err := os.Stat(path); err != nil || !os.SameFile(fi, pfi) {
		return nil, fmt.Errorf("tracking: ledger file %s is %w", path, ErrLedgerInUse)
	}

	states, lines, size, torn, err := replay(f, path)
	if err != nil {
		return nil, err
	}
	needed := 0
	for _, st := range states {
		needed += st.lines()
	}
	if torn || lines > needed {
		nf, nsize, err := compact(path, states, fi.Mode().Perm())
		if err != nil {
			return nil, err
		}
		f.Close() // the replaced file, and our lock on it
		f, size = nf, nsize
	} else if err := syncDir(dir); err != nil { // the file may be new
		return nil, err
	}

	mem := NewMemoryLedger()
	mem.restore(states)
	return &FileLedger{mem: mem, path: path, f: f, size: size}, nil
}

// Lookup implements Ledger.
func (l *FileLedger) Lookup(ctx context.Context, key LedgerKey) (Record, bool, error) {
	if l.closed.Load() {
		return Record{}, false, ErrLedgerClosed
	}
	return l.mem.Lookup(ctx, key)
}

// Claim implements Ledger. The lease is not written to the file.
func (l *FileLedger) Claim(ctx context.Context, key LedgerKey, owner string, ttl time.Duration) (Lease, error) {
	if l.closed.Load() {
		return Lease{}, ErrLedgerClosed
	}
	return l.mem.Claim(ctx, key, owner, ttl)
}

// Commit implements Ledger. The record is on disk when Commit returns nil.
// After a failed write the ledger refuses further commits until reopened,
// since it cannot know what reached the file.
func (l *FileLedger) Commit(ctx context.Context, lease Lease, rec Record) error {
	if l.closed.Load() {
		return ErrLedgerClosed
	}
	return l.mem.end(ctx, lease, &rec, func() error { return l.append(fileLine{Key: lease.Key, Record: &rec}) })
}

// Note implements Ledger. The note is on disk when Note returns nil.
func (l *FileLedger) Note(ctx context.Context, lease Lease, note string) error {
	if l.closed.Load() {
		return ErrLedgerClosed
	}
	return l.mem.note(ctx, lease, note, func() error {
		return l.append(fileLine{Key: lease.Key, Note: &note, At: time.Now().UTC()})
	})
}

// Renew implements Ledger. Leases are not written to the file.
func (l *FileLedger) Renew(ctx context.Context, lease Lease, ttl time.Duration) (Lease, error) {
	if l.closed.Load() {
		return Lease{}, ErrLedgerClosed
	}
	return l.mem.Renew(ctx, lease, ttl)
}

// Prune implements Ledger. It rewrites the file without the pruned keys
// (a compaction), so its cost grows with the whole ledger: run it now and
// then, not per push.
func (l *FileLedger) Prune(ctx context.Context, before time.Time) (int, error) {
	if l.closed.Load() {
		return 0, ErrLedgerClosed
	}
	return l.mem.prune(ctx, before, func(keep map[LedgerKey]*memEntry) error {
		states := make(map[LedgerKey]*fileState, len(keep))
		for k, e := range keep {
			st := &fileState{note: e.note, touched: e.touched}
			if e.committed {
				rec := e.rec
				st.rec = &rec
			}
			if st.lines() > 0 {
				states[k] = st
			}
		}
		return l.rewrite(states)
	})
}

// rewrite replaces the file by a compacted one holding states.
func (l *FileLedger) rewrite(states map[LedgerKey]*fileState) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed.Load() {
		return ErrLedgerClosed
	}
	if l.err != nil {
		return l.err
	}
	fi, err := l.f.Stat()
	if err != nil {
		return fmt.Errorf("tracking: ledger file %s: %w", l.path, err)
	}
	nf, size, err := compact(l.path, states, fi.Mode().Perm())
	if err != nil {
		return err
	}
	l.f.Close() // the replaced file, and our lock on it; nf is locked
	l.f, l.size = nf, size
	return nil
}

// Release implements Ledger.
func (l *FileLedger) Release(ctx context.Context, lease Lease) error {
	if l.closed.Load() {
		return ErrLedgerClosed
	}
	return l.mem.Release(ctx, lease)
}

// Close closes the file and gives up its lock; it waits for a commit being
// written. Closing again does nothing, so a deferred Close is harmless.
func (l *FileLedger) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed.Swap(true) {
		return nil
	}
	return l.f.Close()
}

// append writes one line with a single write and fsyncs it.
func (l *FileLedger) append(fl fileLine) error {
	line, err := encodeLine(fl)
	if err != nil {
		return err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed.Load() {
		return ErrLedgerClosed
	}
	if l.err != nil {
		return l.err
	}
	if _, err := l.f.WriteAt(line, l.size); err != nil {
		l.err = fmt.Errorf("tracking: ledger file %s: write failed, reopen the ledger: %w", l.path, l.named(err))
		return l.err
	}
	if err := l.f.Sync(); err != nil {
		l.err = fmt.Errorf("tracking: ledger file %s: fsync failed, reopen the ledger: %w", l.path, l.named(err))
		return l.err
	}
	l.size += int64(len(line))
	return nil
}

// named returns err with the ledger's path where it names the open file:
// after a compaction that is the renamed ".tmp" file, a name that no longer
// exists and would send a person looking in the wrong place.
func (l *FileLedger) named(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) && pe.Path != l.path {
		return &fs.PathError{Op: pe.Op, Path: l.path, Err: pe.Err}
	}
	return err
}

// replay reads a ledger file from its start. It returns the state of every
// key (last record, last note), how many good lines there are and how many
// bytes they take.
// torn reports that a last line was cut or unreadable: a crash in the
// middle of a write, whose Commit never returned, so it is dropped.
func replay(f *os.File, path string) (states map[LedgerKey]*fileState, lines int, size int64, torn bool, err error) {
	states = make(map[LedgerKey]*fileState)
	r := bufio.NewReader(f)
	var bad error // the unreadable line just read; fatal unless it is the last
	for n := 1; ; n++ {
		line, err := r.ReadBytes('\n')
		if err != nil && err != io.EOF {
			return nil, 0, 0, false, fmt.Errorf("tracking: read ledger file %s: %w", path, err)
		}
		if bad != nil && len(line) > 0 {
			return nil, 0, 0, false, bad
		}
		if err == io.EOF { // line, if any, has no newline: its write was cut
			torn = torn || bad != nil || len(line) > 0
			return states, lines, size, torn, nil
		}
		var fl fileLine
		if err := json.Unmarshal(line, &fl); err != nil {
			bad = fmt.Errorf("%w %s line %d: %v", ErrCorruptLedger, path, n, err)
			continue
		}
		if err := fl.Key.Validate(); err != nil {
			bad = fmt.Errorf("%w %s line %d: %v", ErrCorruptLedger, path, n, err)
			continue
		}
		if (fl.Record == nil) == (fl.Note == nil) {
			bad = fmt.Errorf("%w %s line %d: want a record or a note", ErrCorruptLedger, path, n)
			continue
		}
		st := states[fl.Key]
		if st == nil {
			st = &fileState{}
			states[fl.Key] = st
		}
		if fl.Record != nil {
			st.rec, st.note, st.touched = fl.Record, "", fl.Record.PushedAt
		} else {
			st.note, st.touched = *fl.Note, fl.At
		}
		lines++
		size += int64(len(line))
	}
}

// compact writes states to path+".tmp", a record and a note line per key
// at most, fsyncs it and renames it over path. The new file is locked before the rename, so that
// no other process can open it unlocked in between.
func compact(path string, states map[LedgerKey]*fileState, perm os.FileMode) (_ *os.File, size int64, err error) {
	tmp := path + ".tmp"
	f, err := os.OpenFile(tmp, os.O_RDWR|os.O_CREATE|os.O_TRUNC, perm)
	if err != nil {
		return nil, 0, fmt.Errorf("tracking: compact ledger file: %w", err)
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
	}()
	if err := lockFile(f); err != nil {
		return nil, 0, fmt.Errorf("tracking: compact ledger file: %s is %w", tmp, err)
	}
	w := bufio.NewWriter(f)
	for _, k := range slices.SortedFunc(maps.Keys(states), compareKeys) {
		st := states[k]
		var lines []fileLine
		if st.rec != nil {
			lines = append(lines, fileLine{Key: k, Record: st.rec})
		}
		if st.note != "" {
			lines = append(lines, fileLine{Key: k, Note: &st.note, At: st.touched})
		}
		for _, fl := range lines {
			line, err := encodeLine(fl)
			if err != nil {
				return nil, 0, err
			}
			w.Write(line) // a write error is kept and returned by Flush
			size += int64(len(line))
		}
	}
	if err := w.Flush(); err != nil {
		return nil, 0, fmt.Errorf("tracking: compact ledger file: %w", err)
	}
	if err := f.Sync(); err != nil {
		return nil, 0, fmt.Errorf("tracking: compact ledger file: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return nil, 0, fmt.Errorf("tracking: compact ledger file: %w", err)
	}
	if err := syncDir(filepath.Dir(path)); err != nil {
		return nil, 0, err
	}
	return f, size, nil
}

// encodeLine renders one line of a ledger file. JSON escapes newlines in
// strings, so the only newline is the one that ends the line.
func encodeLine(fl fileLine) ([]byte, error) {
	b, err := json.Marshal(fl)
	if err != nil {
		return nil, fmt.Errorf("tracking: encode ledger line of %s: %w", fl.Key, err)
	}
	return append(b, '\n'), nil
}

// compareKeys orders keys so that a compacted file is the same for the same
// records.
func compareKeys(a, b LedgerKey) int {
	return cmp.Or(
		cmp.Compare(a.Channel, b.Channel),
		cmp.Compare(a.Store, b.Store),
		cmp.Compare(a.OrderID, b.OrderID),
		cmp.Compare(a.ShipmentID, b.ShipmentID),
		cmp.Compare(a.Purpose, b.Purpose),
	)
}

// syncDir fsyncs a directory, which makes a file created or renamed in it
// survive a crash. Windows cannot fsync a directory: there a rename is as
// durable as NTFS makes it.
func syncDir(dir string) error {
	if runtime.GOOS == "windows" {
		return nil
	}
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("tracking: sync ledger directory: %w", err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("tracking: sync ledger directory: %w", err)
	}
	return nil
}
