//go:build !js

package ui

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
	"golang.org/x/net/html"

	"github.com/myaccount/myaccount/app/apiclient"
	"github.com/myaccount/myaccount/shared/resource"
	"github.com/myaccount/myaccount/shared/scope"
)

// nodeT shortens predicates in tests.
type nodeT = html.Node

// memStorage is an app.BrowserStorage in memory that tests can inspect.
type memStorage struct {
	mu   sync.Mutex
	data map[string]string
}

func newMemStorage() *memStorage { return &memStorage{data: map[string]string{}} }

func (s *memStorage) Set(k string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.data[k] = string(b)
	return nil
}

func (s *memStorage) Get(k string, v any) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	b, ok := s.data[k]
	if !ok {
		return nil
	}
	return json.Unmarshal([]byte(b), v)
}

func (s *memStorage) Del(k string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.data, k)
}

func (s *memStorage) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.data)
}

func (s *memStorage) Clear() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.data = map[string]string{}
}

func (s *memStorage) ForEach(f func(k string)) {
	for _, k := range s.keys() {
		f(k)
	}
}

func (s *memStorage) Contains(k string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.data[k]
	return ok
}

func (s *memStorage) keys() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var ks []string
	for k := range s.data {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// raw returns the stored JSON of k ("" when absent).
func (s *memStorage) raw(k string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.data[k]
}

// fakeBrowser records redirects and plays online/offline.
type fakeBrowser struct {
	mu        sync.Mutex
	offline   bool
	redirects []string
	copied    []string
}

func (b *fakeBrowser) Redirect(u string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.redirects = append(b.redirects, u)
}

func (b *fakeBrowser) Online() bool { return !b.offline }
func (b *fakeBrowser) Focus(string) {}

func (b *fakeBrowser) CopyText(text string) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.copied = append(b.copied, text)
	return true
}

func (b *fakeBrowser) last() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.redirects) == 0 {
		return ""
	}
	return b.redirects[len(b.redirects)-1]
}

// harness is a component that hands out the go-app Context of a test
// engine, so page methods that take one (and use ctx.Async/ctx.Dispatch)
// run as they do in the browser; ConsumeAll then waits for their
// goroutines and dispatches.
type harness struct {
	app.Compo
	ctx app.Context
}

func (h *harness) OnPreRender(ctx app.Context) { h.ctx = ctx }
func (h *harness) Render() app.UI              { return app.Div() }

func newHarness(t *testing.T) (app.Context, app.TestEngine) {
	t.Helper()
	e := app.NewTestEngine()
	h := &harness{}
	if err := e.Load(h); err != nil {
		t.Fatal(err)
	}
	e.ConsumeAll()
	return h.ctx, e
}

// render encodes ui to HTML (go-app's own encoder) and parses it back.
func render(t *testing.T, ui app.UI) *html.Node {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(app.HTMLString(ui)))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

func attr(n *html.Node, name string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == name {
			return a.Val, true
		}
	}
	return "", false
}

func hasClass(n *html.Node, class string) bool {
	v, _ := attr(n, "class")
	for _, c := range strings.Fields(v) {
		if c == class {
			return true
		}
	}
	return false
}

// findAll returns the element nodes under n for which match is true, in
// document order.
func findAll(n *html.Node, match func(*html.Node) bool) []*html.Node {
	var out []*html.Node
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && match(n) {
			out = append(out, n)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return out
}

func byID(n *html.Node, id string) *html.Node {
	all := findAll(n, func(n *html.Node) bool { v, ok := attr(n, "id"); return ok && v == id })
	if len(all) == 0 {
		return nil
	}
	return all[0]
}

func byClass(n *html.Node, class string) []*html.Node {
	return findAll(n, func(n *html.Node) bool { return hasClass(n, class) })
}

// text is the whitespace-normalised text content of n.
func text(n *html.Node) string {
	if n == nil {
		return ""
	}
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
			b.WriteByte(' ')
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return strings.Join(strings.Fields(b.String()), " ")
}

// mustID fails the test when the element is missing.
func mustID(t *testing.T, doc *html.Node, id string) *html.Node {
	t.Helper()
	n := byID(doc, id)
	if n == nil {
		t.Fatalf("no #%s in:\n%s", id, dump(doc))
	}
	return n
}

func dump(n *html.Node) string {
	var b strings.Builder
	_ = html.Render(&b, n)
	return b.String()
}

// deviceScopes are the scopes of a user who may read and change every
// device.
func deviceScopes() scope.Set {
	return scope.Set{scope.ReadDevice, scope.CreateDevice, scope.UpdateDevice, scope.DeleteDevice}
}

// mfaTabPage is a MyAccount page signed on with scopes, open on the
// Authentication tab with devices listed, whose API calls go to api (served
// for the test). Its account is newAccountFixture's (a *fakeBrowser in
// p.acct.browser); ctx and e are the go-app harness its actions run in.
func mfaTabPage(t *testing.T, api http.Handler, scopes scope.Set, devices []resource.Device) (*MyAccountPage, app.Context, app.TestEngine) {
	t.Helper()
	srv := httptest.NewServer(api)
	t.Cleanup(srv.Close)
	f := newAccountFixture(t, "openid")
	f.acct.api = apiclient.New(apiclient.Config{BaseURL: srv.URL, EnvironmentID: testEnv, Transport: apiclient.HTTPTransport{Client: srv.Client()}})
	ctx, e := newHarness(t)
	p := &MyAccountPage{acct: f.acct, sess: &session{accessToken: "tok", sub: userID, scopes: scopes}, scopes: scopes,
		phase: phaseReady, loaded: true, tab: "mfa", devices: devices}
	return p, ctx, e
}

// jsonReply is a fake server's answer writer for w: status, and v as JSON
// (no body for nil).
func jsonReply(w http.ResponseWriter) func(status int, v any) {
	return func(status int, v any) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		if v != nil {
			_ = json.NewEncoder(w).Encode(v)
		}
	}
}

// wantIDs checks doc has an element for each id of shown and none for
// the ids of hidden.
func wantIDs(t *testing.T, doc *html.Node, shown, hidden []string) {
	t.Helper()
	for _, id := range shown {
		mustID(t, doc, id)
	}
	for _, id := range hidden {
		if byID(doc, id) != nil {
			t.Errorf("#%s shown", id)
		}
	}
}
