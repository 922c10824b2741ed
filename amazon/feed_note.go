package amazon

import (
	"fmt"
	"strconv"
	"strings"
)

// FeedExporter records on each shipment's ledger key, before and after
// createFeed, which feed carries it (tracking.Ledger Note), so that a run
// that finds the shipment again — after a crash, a cancel, a lease
// takeover or an unknown outcome — reads that feed's report instead of
// sending the package a second time:
//
//	feed-pending:<feedDocumentId>/<messageId>  about to be submitted in that document
//	feed:<feedId>/<messageId>                  submitted as that feed's message
//
// A commit clears the note.
const (
	notePrefixFeed    = "feed"
	notePrefixPending = "feed-pending:"
	notePrefixFeedID  = "feed:"
)

type noteKind int

const (
	noteNone    noteKind = iota // nothing recorded: never in a feed of this ledger
	notePending                 // a feed may or may not have been created
	noteFeed                    // submitted: the feed's report tells
)

// feedNote is a parsed note.
type feedNote struct {
	kind    noteKind
	id      string // feed document id (pending) or feed id
	message int
}

func pendingNote(documentID string, message int) string {
	return fmt.Sprintf("%s%s/%d", notePrefixPending, documentID, message)
}

func submittedNote(feedID string, message int) string {
	return fmt.Sprintf("%s%s/%d", notePrefixFeedID, feedID, message)
}

// parseNote reads a note. One this package did not write counts as
// pending: something may have been sent, so the order is read first.
func parseNote(s string) feedNote {
	var n feedNote
	switch {
	case s == "":
		return n
	case strings.HasPrefix(s, notePrefixPending):
		n.kind, s = notePending, strings.TrimPrefix(s, notePrefixPending)
	case strings.HasPrefix(s, notePrefixFeedID):
		n.kind, s = noteFeed, strings.TrimPrefix(s, notePrefixFeedID)
	default:
		return feedNote{kind: notePending}
	}
	id, msg, ok := strings.Cut(s, "/")
	m, err := strconv.Atoi(msg)
	if !ok || id == "" || err != nil || m < 1 {
		return feedNote{kind: notePending}
	}
	n.id, n.message = id, m
	return n
}
