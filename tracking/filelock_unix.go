//go:build unix && !aix && (!solaris || illumos)

package tracking

import (
	"errors"
	"os"
	"syscall"
)

// fileLocking tells tests whether lockFile really locks.
const fileLocking = true

// lockFile takes an exclusive advisory lock on f that lasts until f is
// closed, so that two processes never append to one ledger: each would
// miss the other's commits and compaction would drop them. It fails with
// ErrLedgerInUse when another open file description holds the lock, without
// waiting.
func lockFile(f *os.File) error {
	err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
	if errors.Is(err, syscall.EWOULDBLOCK) {
		return ErrLedgerInUse
	}
	return err
}
