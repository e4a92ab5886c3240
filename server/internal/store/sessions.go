package store

import (
	"context"
	"time"
)

// MaxLiveSessions is how many live sessions one user keeps: a sign-on
// beyond it ends the oldest (PingOne keeps 10).
const MaxLiveSessions = 10

// MaxSessionLocations bounds Session.Locations.
const MaxSessionLocations = 5

// SessionLocation is one address a session was used from and when it was
// last seen there.
type SessionLocation struct {
	IP string    `bson:"ip" json:"ip"`
	At time.Time `bson:"at" json:"at"`
}

// EventPage asks for one page of events, newest first: those strictly
// older than the position (BeforeAt, BeforeID) when BeforeID is set, not
// expired at Now, at most Limit.
type EventPage struct {
	BeforeAt time.Time
	BeforeID string
	Now      time.Time
	Limit    int
}

// EventPager pages through events by position (created time, then id),
// so a page boundary stays put while new events arrive.
type EventPager interface {
	// PageEvents returns the user's events (userID "" means every user's)
	// as EventPage says.
	PageEvents(ctx context.Context, envID, userID string, p EventPage) ([]Event, error)
}
