package amazontest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestFaultStatuses(t *testing.T) {
	tests := []struct {
		name   string
		fault  Fault
		status int
		body   string
	}{
		{"500 default body", Fault{Operation: OpConfirmShipment, Status: 500}, 500,
			`{"errors":[{"code":"InternalFailure","message":"We encountered an internal error. Please try again.","details":""}]}`},
		{"503 default body", Fault{Operation: OpConfirmShipment, Status: 503}, 503,
			`{"errors":[{"code":"ServiceUnavailable","message":"Temporary overloading or maintenance of the server.","details":""}]}`},
		{"429 default body", Fault{Operation: OpConfirmShipment, Status: 429}, 429,
			`{"errors":[{"code":"QuotaExceeded","message":"You exceeded your quota for the requested resource.","details":""}]}`},
		{"custom body", Fault{Operation: OpConfirmShipment, Seller: testSellerID, Status: 400, Body: `{"errors":[{"code":"InvalidInput","message":"odd"}]}`}, 400,
			`{"errors":[{"code":"InvalidInput","message":"odd"}]}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			e.addOrderA()
			e.srv.InjectFault(tc.fault)
			r := e.confirm(orderA, confirmBody("1"))
			require.Equal(t, tc.status, r.status)
			require.JSONEq(t, tc.body, string(r.body))
			require.Empty(t, r.header.Get("Retry-After"))
			require.Empty(t, e.seller.Packages(orderA), "an injected status applies nothing")
			last := e.srv.Requests()[len(e.srv.Requests())-1]
			require.True(t, last.Fault)
			require.False(t, last.Applied)
			require.False(t, last.RateLimited)
			require.Zero(t, e.srv.Throttled(), "injected 429s are not usage-plan refusals")

			// Consumed: the next one goes through.
			require.Equal(t, http.StatusNoContent, e.confirm(orderA, confirmBody("1")).status)
		})
	}
}

func TestFaultMatchingTimesAndOrder(t *testing.T) {
	e := newEnv(t)
	e.addOrderA()
	e.srv.InjectFault(Fault{Operation: OpGetOrder, Status: 502, Times: 2})
	e.srv.InjectFault(Fault{Seller: "SOMEONE-ELSE", Status: 500})
	e.srv.InjectFault(Fault{Operation: OpGetOrderV0, Status: 503})

	require.Equal(t, http.StatusOK, e.call(http.MethodGet, "/orders/v0/orders/"+orderA+"/orderItems", nil).status, "no fault for getOrderItems of this seller")
	require.Equal(t, 503, e.call(http.MethodGet, "/orders/v0/orders/"+orderA, nil).status)
	require.Equal(t, http.StatusOK, e.call(http.MethodGet, "/orders/v0/orders/"+orderA, nil).status)
	require.Equal(t, 502, e.call(http.MethodGet, "/orders/2026-01-01/orders/"+orderA, nil).status)
	require.Equal(t, 502, e.call(http.MethodGet, "/orders/2026-01-01/orders/"+orderA, nil).status)
	require.Equal(t, http.StatusOK, e.call(http.MethodGet, "/orders/2026-01-01/orders/"+orderA, nil).status)

	// Faults on LWA pick the seller from the refresh token.
	e.srv.InjectFault(Fault{Operation: OpLWAToken, Seller: testSellerID, Status: 500, Body: `{"error":"server_error"}`})
	require.Equal(t, 500, e.lwa(tokenForm(testRefresh)).status)
	require.Equal(t, http.StatusOK, e.lwa(tokenForm(testRefresh)).status)
}

func TestFaultDropAfterCommit(t *testing.T) {
	e := newEnv(t)
	e.addOrderA()
	token := e.login()
	e.srv.InjectFault(Fault{Operation: OpConfirmShipment, DropAfterCommit: true})

	raw, err := json.Marshal(confirmBody("1", item(itemA1, 2)))
	require.NoError(t, err)
	req, err := http.NewRequest(http.MethodPost, e.srv.URL()+"/orders/v0/orders/"+orderA+"/shipmentConfirmation", bytes.NewReader(raw))
	require.NoError(t, err)
	req.Header.Set("x-amz-access-token", token)
	req.Header.Set("User-Agent", testUserAgent)
	req.Header.Set("Content-Type", "application/json")
	_, err = http.DefaultClient.Do(req)
	require.Error(t, err, "the client sees a transport error")

	// … although Amazon applied the confirmation.
	pkgs := e.seller.Packages(orderA)
	require.Len(t, pkgs, 1)
	require.Equal(t, 2, pkgs[0].Items[0].Quantity)
	last := e.srv.Requests()[len(e.srv.Requests())-1]
	require.Equal(t, 0, last.Status)
	require.True(t, last.Applied)
	require.True(t, last.Fault)

	// A retry with the same packageReferenceId is an edit, not a second
	// package: that is what makes the write safe to repeat.
	require.Equal(t, http.StatusNoContent, e.confirm(orderA, confirmBody("1", item(itemA1, 2))).status)
	require.Len(t, e.seller.Packages(orderA), 1)
	require.Equal(t, 1, e.seller.Packages(orderA)[0].Edits)
}

func TestFaultDropBeforeCommit(t *testing.T) {
	e := newEnv(t)
	e.addOrderA()
	token := e.login()
	e.srv.InjectFault(Fault{Operation: OpConfirmShipment, DropBeforeCommit: true})
	raw, err := json.Marshal(confirmBody("1"))
	require.NoError(t, err)
	req, err := http.NewRequest(http.MethodPost, e.srv.URL()+"/orders/v0/orders/"+orderA+"/shipmentConfirmation", bytes.NewReader(raw))
	require.NoError(t, err)
	req.Header.Set("x-amz-access-token", token)
	req.Header.Set("User-Agent", testUserAgent)
	_, err = http.DefaultClient.Do(req)
	require.Error(t, err)
	require.Empty(t, e.seller.Packages(orderA))
	last := e.srv.Requests()[len(e.srv.Requests())-1]
	require.False(t, last.Applied)
}

func TestFaultDelay(t *testing.T) {
	e := newEnv(t)
	e.addOrderA()
	token := e.login()
	e.srv.InjectFault(Fault{Operation: OpConfirmShipment, Delay: 2 * time.Second})
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	raw, err := json.Marshal(confirmBody("1"))
	require.NoError(t, err)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, e.srv.URL()+"/orders/v0/orders/"+orderA+"/shipmentConfirmation", bytes.NewReader(raw))
	require.NoError(t, err)
	req.Header.Set("x-amz-access-token", token)
	req.Header.Set("User-Agent", testUserAgent)
	_, err = http.DefaultClient.Do(req)
	require.True(t, errors.Is(err, context.DeadlineExceeded), "err: %v", err)
	require.Eventually(t, func() bool {
		for _, r := range e.srv.Requests() {
			if r.Operation == OpConfirmShipment && r.Fault {
				return true
			}
		}
		return false
	}, 2*time.Second, 5*time.Millisecond, "the delayed request ends when the client gives up")
	require.Empty(t, e.seller.Packages(orderA), "a client that timed out sees no write")

	// A short delay just slows the answer.
	e.srv.InjectFault(Fault{Operation: OpGetOrderV0, Delay: 20 * time.Millisecond})
	start := time.Now()
	require.Equal(t, http.StatusOK, e.call(http.MethodGet, "/orders/v0/orders/"+orderA, nil).status)
	require.GreaterOrEqual(t, time.Since(start), 20*time.Millisecond)
}

func TestFaultOnDocuments(t *testing.T) {
	e := newEnv(t)
	_, u := e.createDocument(xmlContentType)
	e.srv.InjectFault(Fault{Operation: OpUploadFeedDocument, Seller: testSellerID, Status: 503, Body: "<Error><Code>SlowDown</Code></Error>"})
	r := e.upload(u, "<x/>", "Content-Type", xmlContentType)
	require.Equal(t, 503, r.status)
	require.Contains(t, string(r.body), "SlowDown")
	require.Equal(t, http.StatusOK, e.upload(u, "<x/>", "Content-Type", xmlContentType).status)
}

func TestServerErrorsAreChargedAndRepeatable(t *testing.T) {
	count := func() (failed, ok int) {
		e := newEnv(t, WithServerErrors(0.25, 7), WithUsagePlan(OpGetOrderV0, 0, 0))
		e.addOrderA()
		for range 200 {
			switch r := e.call(http.MethodGet, "/orders/v0/orders/"+orderA, nil); r.status {
			case http.StatusOK:
				ok++
			case http.StatusInternalServerError, http.StatusServiceUnavailable:
				failed++
				require.Contains(t, []string{CodeInternalFailure, "ServiceUnavailable"}, r.onlyError(t).Code)
			default:
				t.Fatalf("status %d", r.status)
			}
		}
		return failed, ok
	}
	f1, ok1 := count()
	f2, ok2 := count()
	require.Equal(t, []int{f1, ok1}, []int{f2, ok2}, "the same seed fails the same requests")
	require.InDelta(t, 50, f1, 20)

	// Charged: a bucket of 2 refuses the third request, failed or not.
	e := newEnv(t, WithServerErrors(1, 1), WithUsagePlan(OpGetOrderV0, 0.001, 2))
	e.addOrderA()
	for i, want := range []int{0, 0, http.StatusTooManyRequests} {
		r := e.call(http.MethodGet, "/orders/v0/orders/"+orderA, nil)
		if want == 0 {
			require.GreaterOrEqual(t, r.status, 500, "request %d", i)
			continue
		}
		require.Equal(t, want, r.status)
	}
}
