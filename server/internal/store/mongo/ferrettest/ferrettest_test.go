package ferrettest

import (
	"bytes"
	"encoding/binary"
	"net/url"
	"strings"
	"sync"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

func connect(t *testing.T, uri string) *mongo.Client {
	t.Helper()
	c, err := mongo.Connect(options.Client().ApplyURI(uri))
	if err != nil {
		t.Fatalf("connect: %v", err)
	}
	t.Cleanup(func() { _ = c.Disconnect(t.Context()) })
	return c
}

func dbName(t *testing.T, uri string) string {
	t.Helper()
	u, err := url.Parse(uri)
	if err != nil {
		t.Fatalf("parse %q: %v", uri, err)
	}
	return strings.TrimPrefix(u.Path, "/")
}

// TestServer starts a server, writes through one URI and checks a second
// URI names another, empty database.
func TestServer(t *testing.T) {
	s, err := New()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Error(err)
		}
	})
	first, second := s.NewURI(t), s.NewURI(t)
	if a, b := dbName(t, first), dbName(t, second); a == b || a == "" {
		t.Fatalf("databases %q and %q: want two distinct names", a, b)
	}
	if s.FerretDB() && !strings.Contains(first, "maxPoolSize=1") {
		t.Errorf("FerretDB URI %q lacks maxPoolSize=1", first)
	}

	ctx := t.Context()
	c := connect(t, first)
	coll := c.Database(dbName(t, first)).Collection("things")
	if _, err := coll.InsertOne(ctx, bson.D{{Key: "_id", Value: "a"}, {Key: "n", Value: 1}}); err != nil {
		t.Fatalf("insert: %v", err)
	}
	if _, err := coll.InsertOne(ctx, bson.D{{Key: "_id", Value: "a"}}); !mongo.IsDuplicateKeyError(err) {
		t.Errorf("second insert of one _id: %v, want a duplicate key error", err)
	}
	n, err := connect(t, second).Database(dbName(t, second)).Collection("things").CountDocuments(ctx, bson.D{})
	if err != nil || n != 0 {
		t.Errorf("documents in the second database: %d, %v; want 0", n, err)
	}
}

// TestProxyKeepsIncrementsExact increments one document from several
// clients at once. Straight to FerretDB v1 this loses most increments (its
// update reads, then writes back); through the proxy every one counts.
func TestProxyKeepsIncrementsExact(t *testing.T) {
	uri := Start(t)
	const clients, each = 4, 25
	ctx := t.Context()
	db := dbName(t, uri)
	colls := make([]*mongo.Collection, clients)
	for i := range colls {
		colls[i] = connect(t, uri).Database(db).Collection("counters")
	}
	if _, err := colls[0].InsertOne(ctx, bson.D{{Key: "_id", Value: "c"}, {Key: "n", Value: int64(0)}}); err != nil {
		t.Fatalf("insert: %v", err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, clients*each)
	for _, coll := range colls {
		wg.Go(func() {
			for range each {
				_, err := coll.UpdateOne(ctx, bson.D{{Key: "_id", Value: "c"}},
					bson.D{{Key: "$inc", Value: bson.D{{Key: "n", Value: int64(1)}}}})
				if err != nil {
					errs <- err
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatalf("inc: %v", err)
	}
	var got struct {
		N int64 `bson:"n"`
	}
	if err := colls[0].FindOne(ctx, bson.D{{Key: "_id", Value: "c"}}).Decode(&got); err != nil {
		t.Fatalf("find: %v", err)
	}
	if got.N != clients*each {
		t.Errorf("n = %d after %d increments", got.N, clients*each)
	}
}

func TestURI(t *testing.T) {
	tests := []struct {
		name     string
		base     string
		ferretDB bool
		want     string
	}{
		{name: "ferretDB", base: "mongodb://127.0.0.1:1234/", ferretDB: true,
			want: "mongodb://127.0.0.1:1234/db1?maxPoolSize=1"},
		{name: "realKeepsOptions", base: "mongodb://h1,h2/?replicaSet=rs0&w=majority",
			want: "mongodb://h1,h2/db1?replicaSet=rs0&w=majority"},
		{name: "credentialsKeepAdminAuthSource", base: "mongodb://u:p@h/",
			want: "mongodb://u:p@h/db1?authSource=admin"},
		{name: "credentialsKeepPathAuthSource", base: "mongodb://u:p@h/accounts",
			want: "mongodb://u:p@h/db1?authSource=accounts"},
		{name: "explicitAuthSourceKept", base: "mongodb://u:p@h/x?authSource=other",
			want: "mongodb://u:p@h/db1?authSource=other"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u, err := url.Parse(tt.base)
			if err != nil {
				t.Fatal(err)
			}
			s := &Server{base: u, ferretDB: tt.ferretDB}
			if got := s.uri("db1"); got != tt.want {
				t.Errorf("uri = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestReadMessage(t *testing.T) {
	msg := func(length int32, opCode, flags uint32, total int) []byte {
		b := make([]byte, total)
		binary.LittleEndian.PutUint32(b[0:], uint32(length))
		binary.LittleEndian.PutUint32(b[12:], opCode)
		if total >= headerLen+4 {
			binary.LittleEndian.PutUint32(b[16:], flags)
		}
		return b
	}
	tests := []struct {
		name         string
		in           []byte
		wantErr      bool
		wantMoreToGo bool
	}{
		{name: "opMsg", in: msg(21, opMsg, 0, 21)},
		{name: "moreToCome", in: msg(21, opMsg, flagMoreToCome, 21), wantMoreToGo: true},
		{name: "otherOpCode", in: msg(21, 2004, flagMoreToCome, 21)},
		{name: "tooShort", in: msg(8, opMsg, 0, 21), wantErr: true},
		{name: "tooLong", in: msg(maxMessageLen+1, opMsg, 0, 21), wantErr: true},
		{name: "truncated", in: msg(40, opMsg, 0, 21), wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := readMessage(bytes.NewReader(tt.in))
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, want error: %v", err, tt.wantErr)
			}
			if err != nil {
				return
			}
			if !bytes.Equal(got, tt.in) {
				t.Errorf("read %x, want %x", got, tt.in)
			}
			if moreToCome(got) != tt.wantMoreToGo {
				t.Errorf("moreToCome = %v, want %v", !tt.wantMoreToGo, tt.wantMoreToGo)
			}
		})
	}
}
