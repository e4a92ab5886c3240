package mongo

import (
	"context"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/myaccount/myaccount/server/internal/store"
)

// PageEvents returns a page of events newest first (store.EventPager): the
// events strictly before the position (createdAt, _id), not expired at
// p.Now. The {environmentId, userId, createdAt} and {environmentId,
// createdAt} indexes serve both the range and the order.
func (s *Store) PageEvents(ctx context.Context, envID, userID string, p store.EventPage) ([]store.Event, error) {
	filter := bson.D{{Key: "environmentId", Value: envID}}
	if userID != "" {
		filter = append(filter, bson.E{Key: "userId", Value: userID})
	}
	filter = append(filter, bson.E{Key: "expiresAt", Value: bson.D{{Key: "$gt", Value: p.Now}}})
	if p.BeforeID != "" {
		filter = append(filter, bson.E{Key: "$or", Value: bson.A{
			bson.D{{Key: "createdAt", Value: bson.D{{Key: "$lt", Value: p.BeforeAt}}}},
			bson.D{{Key: "createdAt", Value: p.BeforeAt}, {Key: "_id", Value: bson.D{{Key: "$lt", Value: p.BeforeID}}}},
		}})
	}
	opts := options.Find().SetSort(newestFirst())
	if p.Limit > 0 {
		opts.SetLimit(int64(p.Limit))
	}
	return findAll[store.Event](ctx, s.coll(collEvents), "page events", filter, opts)
}
