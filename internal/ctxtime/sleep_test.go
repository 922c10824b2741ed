package ctxtime

import (
	"context"
	"errors"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/require"
)

func TestSleep(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		start := time.Now()
		require.NoError(t, Sleep(t.Context(), 3*time.Second))
		require.Equal(t, 3*time.Second, time.Since(start))

		cause := errors.New("shutting down")
		ctx, cancel := context.WithCancelCause(t.Context())
		time.AfterFunc(time.Second, func() { cancel(cause) })
		start = time.Now()
		require.ErrorIs(t, Sleep(ctx, time.Hour), cause)
		require.Equal(t, time.Second, time.Since(start), "ends with its context")
		require.ErrorIs(t, Sleep(ctx, 0), cause, "an ended context, even without a wait")
		require.NoError(t, Sleep(t.Context(), -time.Second))
	})
}
