package tracking

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func ledgerPath(t testing.TB) string {
	return filepath.Join(t.TempDir(), "ledger.jsonl")
}

func openTestLedger(t *testing.T, path string) *FileLedger {
	t.Helper()
	l, err := OpenFileLedger(path)
	require.NoError(t, err)
	t.Cleanup(func() { l.Close() })
	return l
}

func orderKey(i int) LedgerKey {
	return LedgerKey{Channel: ChannelAmazon, Store: "A1/EU", OrderID: fmt.Sprintf("302-%07d", i)}
}

func commitRecord(t *testing.T, l Ledger, key LedgerKey, rec Record) {
	t.Helper()
	lease, err := l.Claim(t.Context(), key, "test", time.Minute)
	require.NoError(t, err)
	require.NoError(t, l.Commit(t.Context(), lease, rec))
}

func requireRecord(t *testing.T, l Ledger, key LedgerKey, want Record) {
	t.Helper()
	rec, ok, err := l.Lookup(t.Context(), key)
	require.NoError(t, err)
	require.True(t, ok, "no record of %s", key)
	require.Equal(t, want, rec)
}

func requireNoRecord(t *testing.T, l Ledger, key LedgerKey) {
	t.Helper()
	_, ok, err := l.Lookup(t.Context(), key)
	require.NoError(t, err)
	require.False(t, ok, "record of %s", key)
}

func countLines(t *testing.T, path string) int {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	return bytes.Count(b, []byte("\n"))
}

func TestFileLedgerPersists(t *testing.T) {
	path := ledgerPath(t)
	odd := LedgerKey{Channel: AllChannels, Store: "shop/\"x\"", OrderID: "line\nbreak", Purpose: "email:shipment-shipped"}
	l := openTestLedger(t, path)
	commitRecord(t, l, orderKey(1), testRecord("F1"))
	commitRecord(t, l, orderKey(2), testRecord("F2"))
	commitRecord(t, l, orderKey(2), testRecord("F2b"))
	commitRecord(t, l, odd, testRecord("odd"))
	_, err := l.Claim(t.Context(), orderKey(3), "w1", time.Hour)
	require.NoError(t, err)
	require.NoError(t, l.Close())

	l = openTestLedger(t, path)
	requireRecord(t, l, orderKey(1), testRecord("F1"))
	requireRecord(t, l, orderKey(2), testRecord("F2b"))
	requireRecord(t, l, odd, testRecord("odd"))
	requireNoRecord(t, l, orderKey(3))
	_, err = l.Claim(t.Context(), orderKey(3), "w2", time.Hour)
	require.NoError(t, err, "leases end with the process that held them")
}

func TestFileLedgerTornTail(t *testing.T) {
	tests := []struct {
		name     string
		damage   func(t *testing.T, path string)
		lastKept bool // the last commit survives the damage
	}{
		{"cut inside the last record", truncateBy(5), false},
		{"last newline missing", truncateBy(1), false},
		{"unreadable last line", appendBytes([]byte("{\"key\":garbage\n")), true},
		{"zero-filled tail", appendBytes(make([]byte, 512)), true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := ledgerPath(t)
			l := openTestLedger(t, path)
			for i := range 3 {
				commitRecord(t, l, orderKey(i), testRecord(fmt.Sprint(i)))
			}
			require.NoError(t, l.Close())
			tc.damage(t, path)

			l = openTestLedger(t, path)
			requireRecord(t, l, orderKey(0), testRecord("0"))
			requireRecord(t, l, orderKey(1), testRecord("1"))
			if tc.lastKept {
				requireRecord(t, l, orderKey(2), testRecord("2"))
			} else {
				requireNoRecord(t, l, orderKey(2))
			}
			b, err := os.ReadFile(path)
			require.NoError(t, err)
			require.True(t, bytes.HasSuffix(b, []byte("}\n")), "the torn tail is cut off: %q", b)

			commitRecord(t, l, orderKey(3), testRecord("3"))
			require.NoError(t, l.Close())
			l = openTestLedger(t, path)
			requireRecord(t, l, orderKey(1), testRecord("1"))
			requireRecord(t, l, orderKey(3), testRecord("3"))
		})
	}
}

func truncateBy(n int64) func(*testing.T, string) {
	return func(t *testing.T, path string) {
		fi, err := os.Stat(path)
		require.NoError(t, err)
		require.NoError(t, os.Truncate(path, fi.Size()-n))
	}
}

func appendBytes(b []byte) func(*testing.T, string) {
	return func(t *testing.T, path string) {
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
		require.NoError(t, err)
		_, err = f.Write(b)
		require.NoError(t, err)
		require.NoError(t, f.Close())
	}
}

func TestFileLedgerCorruptLine(t *testing.T) {
	tests := []struct {
		name    string
		line2   string
		tail    string
		wantMsg string
	}{
		{"not json", "not json\n", "", "line 2"},
		{"record without key", `{"key":{},"record":{}}` + "\n", "", "line 2"},
		{"bad line before a torn tail", "not json\n", `{"key":`, "line 2"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := ledgerPath(t)
			l := openTestLedger(t, path)
			for i := range 3 {
				commitRecord(t, l, orderKey(i), testRecord(fmt.Sprint(i)))
			}
			require.NoError(t, l.Close())
			b, err := os.ReadFile(path)
			require.NoError(t, err)
			lines := bytes.SplitAfter(b, []byte("\n"))
			lines[1] = []byte(tc.line2)
			b = append(bytes.Join(lines, nil), tc.tail...)
			require.NoError(t, os.WriteFile(path, b, 0o600))

			_, err = OpenFileLedger(path)
			require.ErrorIs(t, err, ErrCorruptLedger)
			require.ErrorContains(t, err, path)
			require.ErrorContains(t, err, tc.wantMsg)
			after, err := os.ReadFile(path)
			require.NoError(t, err)
			require.Equal(t, b, after, "a corrupt ledger is left for a person to repair")
		})
	}
}

func TestFileLedgerCompacts(t *testing.T) {
	path := ledgerPath(t)
	l := openTestLedger(t, path)
	for i := range 100 {
		commitRecord(t, l, orderKey(0), testRecord(fmt.Sprint(i)))
	}
	commitRecord(t, l, orderKey(1), testRecord("one"))
	commitRecord(t, l, orderKey(2), testRecord("two"))
	require.NoError(t, l.Close())
	require.Equal(t, 102, countLines(t, path))
	require.NoError(t, os.Chmod(path, 0o640))

	l = openTestLedger(t, path)
	require.Equal(t, 3, countLines(t, path))
	requireRecord(t, l, orderKey(0), testRecord("99"))
	requireRecord(t, l, orderKey(1), testRecord("one"))
	requireRecord(t, l, orderKey(2), testRecord("two"))
	fi, err := os.Stat(path)
	require.NoError(t, err)
	require.Equal(t, fs.FileMode(0o640), fi.Mode().Perm(), "compaction keeps the file's permissions")
	_, err = os.Stat(path + ".tmp")
	require.ErrorIs(t, err, fs.ErrNotExist)

	commitRecord(t, l, orderKey(1), testRecord("one again"))
	require.NoError(t, l.Close())
	l = openTestLedger(t, path)
	require.Equal(t, 3, countLines(t, path))
	requireRecord(t, l, orderKey(1), testRecord("one again"))
}

func TestFileLedgerInUse(t *testing.T) {
	if !fileLocking {
		t.Skip("no file locking on this system")
	}
	path := ledgerPath(t)
	first := openTestLedger(t, path)

	_, err := OpenFileLedger(path)
	require.ErrorIs(t, err, ErrLedgerInUse)
	require.ErrorContains(t, err, "ledger file "+path+" is in use by another process")

	commitRecord(t, first, orderKey(1), testRecord("F1"))
	require.NoError(t, first.Close())
	second := openTestLedger(t, path)
	requireRecord(t, second, orderKey(1), testRecord("F1"))
}

func TestFileLedgerClosed(t *testing.T) {
	path := ledgerPath(t)
	l := openTestLedger(t, path)
	ctx := t.Context()
	lease, err := l.Claim(ctx, testKey, "w1", time.Minute)
	require.NoError(t, err)
	require.NoError(t, l.Close())
	require.NoError(t, l.Close(), "closing again does nothing")

	_, _, err = l.Lookup(ctx, testKey)
	require.ErrorIs(t, err, ErrLedgerClosed)
	_, err = l.Claim(ctx, orderKey(1), "w1", time.Minute)
	require.ErrorIs(t, err, ErrLedgerClosed)
	require.ErrorIs(t, l.Commit(ctx, lease, testRecord("F1")), ErrLedgerClosed)
	require.ErrorIs(t, l.Release(ctx, lease), ErrLedgerClosed)

	requireNoRecord(t, openTestLedger(t, path), testKey)
}

func TestOpenFileLedgerMissingDir(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "missing")
	_, err := OpenFileLedger(filepath.Join(dir, "ledger.jsonl"))
	require.ErrorIs(t, err, fs.ErrNotExist)
	require.ErrorContains(t, err, dir)
	_, err = os.Stat(dir)
	require.ErrorIs(t, err, fs.ErrNotExist, "the directory is not created")
}

// FuzzFileLedgerReplay opens arbitrary bytes as a ledger file. Opening may
// fail but must not panic, and a file that opened must open again unchanged:
// whatever recovery or compaction did left a clean file.
func FuzzFileLedgerReplay(f *testing.F) {
	good := `{"key":{"channel":"shopify","store":"s","order":"1"},"record":{"remote_id":"F1","pushed_at":"2026-03-01T12:00:00Z"}}` + "\n"
	for _, seed := range []string{
		"",
		good,
		good + good,
		good + good[:20],
		good + "not json\n" + good,
		good + "\x00\x00\x00",
		"null\n",
		`{"key":{"channel":"shopify","store":"s","order":"1"},"record":{"pushed_at":"bad"}}` + "\n",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		path := ledgerPath(t)
		require.NoError(t, os.WriteFile(path, data, 0o600))
		l, err := OpenFileLedger(path)
		if err != nil {
			return
		}
		require.NoError(t, l.Close())
		opened, err := os.ReadFile(path)
		require.NoError(t, err)

		l, err = OpenFileLedger(path)
		require.NoError(t, err)
		require.NoError(t, l.Close())
		again, err := os.ReadFile(path)
		require.NoError(t, err)
		require.Equal(t, opened, again)
	})
}

func TestFileLedgerNotesSurviveRestartsAndCompaction(t *testing.T) {
	path := ledgerPath(t)
	l := openTestLedger(t, path)
	lease, err := l.Claim(t.Context(), orderKey(1), "w1", time.Hour)
	require.NoError(t, err)
	require.NoError(t, l.Note(t.Context(), lease, "feed-pending:B1"))
	require.NoError(t, l.Note(t.Context(), lease, "feed:F9")) // supersedes: compaction on open
	done, err := l.Claim(t.Context(), orderKey(2), "w1", time.Hour)
	require.NoError(t, err)
	require.NoError(t, l.Note(t.Context(), done, "feed:F8"))
	require.NoError(t, l.Commit(t.Context(), done, testRecord("F2"))) // clears its note
	require.NoError(t, l.Close())                                     // a crash: the lease dies, the note stays

	for range 2 { // the second open reads the compacted file
		l = openTestLedger(t, path)
		again, err := l.Claim(t.Context(), orderKey(1), "w2", time.Hour)
		require.NoError(t, err)
		require.Equal(t, "feed:F9", again.Note)
		other, err := l.Claim(t.Context(), orderKey(2), "w2", time.Hour)
		require.NoError(t, err)
		require.Empty(t, other.Note, "committed")
		requireRecord(t, l, orderKey(2), testRecord("F2"))
		require.NoError(t, l.Close())
	}
	require.Equal(t, 2, countLines(t, path), "one record and one note")
}

func TestFileLedgerPruneRewritesTheFile(t *testing.T) {
	path := ledgerPath(t)
	l := openTestLedger(t, path)
	old := testRecord("old") // pushed in March 2026
	commitRecord(t, l, orderKey(1), old)
	recent := testRecord("recent")
	recent.PushedAt = time.Now().UTC().Truncate(time.Second)
	commitRecord(t, l, orderKey(2), recent)
	n, err := l.Prune(t.Context(), time.Now().Add(-time.Hour))
	require.NoError(t, err)
	require.Equal(t, 1, n)
	commitRecord(t, l, orderKey(3), recent) // appends to the new file
	require.NoError(t, l.Close())
	require.Equal(t, 2, countLines(t, path))
	l = openTestLedger(t, path)
	requireNoRecord(t, l, orderKey(1))
	requireRecord(t, l, orderKey(2), recent)
	requireRecord(t, l, orderKey(3), recent)
}

func TestFileLedgerWriteErrorsNameTheLedgerFile(t *testing.T) {
	path := ledgerPath(t)
	l := openTestLedger(t, path)
	commitRecord(t, l, orderKey(1), testRecord("a"))
	commitRecord(t, l, orderKey(1), testRecord("b"))
	require.NoError(t, l.Close())
	l = openTestLedger(t, path) // compacts through path+".tmp"

	require.NoError(t, l.f.Close()) // make the next write fail
	lease, err := l.Claim(t.Context(), orderKey(2), "w1", time.Hour)
	require.NoError(t, err)
	err = l.Commit(t.Context(), lease, testRecord("c"))
	require.Error(t, err)
	require.NotContains(t, err.Error(), ".tmp", "the renamed file's old name")
	var pe *fs.PathError
	require.ErrorAs(t, err, &pe)
	require.Equal(t, path, pe.Path)
}
