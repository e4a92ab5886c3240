//go:build !js

package ui

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/nyaruka/phonenumbers"

	"github.com/myaccount/myaccount/app/apiclient"
	"github.com/myaccount/myaccount/shared/apierr"
	"github.com/myaccount/myaccount/shared/paths"
	"github.com/myaccount/myaccount/shared/resource"
)

func TestPhoneSyntax(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want Msg
	}{
		{name: "national", in: "06 12 34 56 78", want: ""},
		{name: "international", in: "+33 6 12 34 56 78", want: ""},
		{name: "usStyle", in: "+1 (201) 555-0123", want: ""},
		{name: "padded", in: "  0612345678  ", want: ""},
		{name: "fourDigits", in: "1234", want: ""},
		{name: "twentyDigits", in: "12345678901234567890", want: ""},
		{name: "empty", in: "", want: MsgErrPhoneRequired},
		{name: "blank", in: "   ", want: MsgErrPhoneRequired},
		{name: "threeDigits", in: "123", want: MsgErrPhone},
		{name: "twentyOneDigits", in: "123456789012345678901", want: MsgErrPhone},
		{name: "letters", in: "call me", want: MsgErrPhone},
		{name: "vanity", in: "1-800-FLOWERS", want: MsgErrPhone},
		{name: "plusInside", in: "06+12345678", want: MsgErrPhone},
		{name: "twoPlus", in: "++33612345678", want: MsgErrPhone},
		{name: "dots", in: "06.12.34.56.78", want: MsgErrPhone},
		{name: "extension", in: "0612345678 ext 12", want: MsgErrPhone},
		{name: "fullwidthDigits", in: "０６１２３４５６７８", want: MsgErrPhone},
		{name: "tooLong", in: "1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7", want: MsgErrPhone},
		{name: "operator", in: `{"$ne":""}`, want: MsgErrPhone},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := phoneSyntax(tt.in); got != tt.want {
				t.Errorf("phoneSyntax(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// TestCountries checks the selector's list against libphonenumber (a test
// dependency only: it stays out of the wasm build).
func TestCountries(t *testing.T) {
	if len(countries) < 20 {
		t.Fatalf("only %d countries", len(countries))
	}
	code := regexp.MustCompile(`^[A-Z]{2}$`)
	dial := regexp.MustCompile(`^[1-9][0-9]{0,2}$`)
	seen := map[string]bool{}
	for _, c := range countries {
		if !code.MatchString(c.Code) || !dial.MatchString(c.Dial) || c.Name == "" {
			t.Errorf("malformed entry %+v", c)
		}
		if seen[c.Code] {
			t.Errorf("%s listed twice", c.Code)
		}
		seen[c.Code] = true
		if want := phonenumbers.GetCountryCodeForRegion(c.Code); want == 0 || c.Dial != strconv.Itoa(want) {
			t.Errorf("%s (%s): calling code +%s, libphonenumber says +%d", c.Code, c.Name, c.Dial, want)
		}
	}
	if !sort.SliceIsSorted(countries, func(i, j int) bool { return countries[i].Name < countries[j].Name }) {
		t.Error("countries are not in name order")
	}
	if got := (Country{Code: "FR", Name: "France", Dial: "33"}).Label(); got != "France (+33)" {
		t.Errorf("Label = %q", got)
	}
}

func TestCountryByCode(t *testing.T) {
	tests := []struct {
		name, in, want string
		ok             bool
	}{
		{name: "upper", in: "FR", want: "France", ok: true},
		{name: "lower", in: "gb", want: "United Kingdom", ok: true},
		{name: "spaces", in: " us ", want: "United States", ok: true},
		{name: "unknown", in: "XX"},
		{name: "empty", in: ""},
		{name: "alpha3", in: "FRA"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, ok := countryByCode(tt.in)
			if ok != tt.ok || c.Name != tt.want {
				t.Errorf("countryByCode(%q) = %+v %v, want %q %v", tt.in, c, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestDefaultCountry(t *testing.T) {
	first := countries[0].Code
	tests := []struct {
		name  string
		langs []string
		want  string
	}{
		{name: "none", langs: nil, want: first},
		{name: "region", langs: []string{"fr-FR", "en-US"}, want: "FR"},
		{name: "underscore", langs: []string{"de_CH"}, want: "CH"},
		{name: "lowerRegion", langs: []string{"en-gb"}, want: "GB"},
		{name: "script", langs: []string{"zh-Hant-TW"}, want: "TW"},
		{name: "bareLanguageSkipped", langs: []string{"fr", "en-US"}, want: "US"},
		{name: "bareLanguageOnly", langs: []string{"fr"}, want: first},
		{name: "numericRegion", langs: []string{"es-419"}, want: first},
		{name: "unlistedRegion", langs: []string{"en-ZZ", "pt-BR"}, want: "BR"},
		{name: "garbage", langs: []string{"", "-", "--x"}, want: first},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := defaultCountry(tt.langs); got != tt.want {
				t.Errorf("defaultCountry(%q) = %s, want %s", tt.langs, got, tt.want)
			}
		})
	}
}

func TestAddPhoneChoicesAndStep(t *testing.T) {
	choose := render(t, &MethodsPanel{Step: PairChoose})
	for id, want := range map[string]string{"add-sms": "Text message", "add-voice": "Voice call", "add-email": "Email"} {
		if got := text(mustID(t, choose, id)); got != want {
			t.Errorf("#%s = %q, want %q", id, got, want)
		}
	}
	if d, _ := attr(mustID(t, choose, "add-sms"), "aria-describedby"); d != "add-sms-hint" {
		t.Errorf("#add-sms aria-describedby = %q", d)
	}
	mustID(t, choose, "add-sms-hint")

	doc := render(t, &MethodsPanel{Step: PairPhone, PairType: resource.DeviceSMS, Country: "FR"})
	for _, id := range []string{"region", "phone", "submit", "cancel"} {
		mustID(t, doc, id)
	}
	for _, id := range []string{"phone-error", "region-error", "error"} {
		if byID(doc, id) != nil {
			t.Errorf("#%s shown without an error", id)
		}
	}
	if !strings.Contains(text(doc), "Text message") {
		t.Errorf("SMS step title missing: %q", text(doc))
	}
	opts := findAll(mustID(t, doc, "region"), func(n *nodeT) bool { return n.Data == "option" })
	if len(opts) != len(countries) {
		t.Fatalf("%d options, want %d", len(opts), len(countries))
	}
	var selected []string
	for _, o := range opts {
		if _, ok := attr(o, "selected"); ok {
			v, _ := attr(o, "value")
			selected = append(selected, v+" "+text(o))
		}
	}
	if len(selected) != 1 || selected[0] != "FR France (+33)" {
		t.Errorf("selected options = %q, want France", selected)
	}
	for _, id := range []string{"region", "phone"} {
		if l := findAll(doc, func(n *nodeT) bool { v, _ := attr(n, "for"); return n.Data == "label" && v == id }); len(l) != 1 {
			t.Errorf("#%s has no label", id)
		}
	}
	if ty, _ := attr(mustID(t, doc, "phone"), "type"); ty != "tel" {
		t.Errorf("#phone type = %q", ty)
	}

	// Errors sit under their field, which points at them.
	bad := render(t, &MethodsPanel{Step: PairPhone, PairType: resource.DeviceVoice, Country: "GB",
		PhoneError: "This number is not a valid phone number.", RegionError: T(MsgErrRegion)})
	if !strings.Contains(text(bad), "Voice call") {
		t.Errorf("voice step title missing: %q", text(bad))
	}
	if got := text(mustID(t, bad, "phone-error")); got != "This number is not a valid phone number." {
		t.Errorf("#phone-error = %q", got)
	}
	mustID(t, bad, "region-error")
	for id, errID := range map[string]string{"phone": "phone-error", "region": "region-error"} {
		n := mustID(t, bad, id)
		if _, ok := attr(n, "aria-invalid"); !ok {
			t.Errorf("#%s not marked invalid", id)
		}
		if d, _ := attr(n, "aria-describedby"); !strings.Contains(d, errID) {
			t.Errorf("#%s aria-describedby = %q, want %s", id, d, errID)
		}
	}
}

func TestPhonePairingStepAndList(t *testing.T) {
	tests := []struct {
		name, kind, title, sent string
	}{
		{name: "email", kind: "", title: "Email pairing", sent: "We sent a one-time passcode to ********5678."},
		{name: "sms", kind: resource.DeviceSMS, title: "Text message pairing", sent: "We sent a one-time passcode to ********5678."},
		{name: "voice", kind: resource.DeviceVoice, title: "Voice call pairing", sent: "We are calling ********5678 to read out a one-time passcode."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := render(t, &MethodsPanel{Step: PairOTP, PairType: tt.kind, PairTarget: "********5678"})
			if h := findAll(doc, func(n *nodeT) bool { return n.Data == "h1" }); len(h) != 1 || text(h[0]) != tt.title {
				t.Errorf("title = %v, want %q", text(doc), tt.title)
			}
			if got := text(mustID(t, doc, "otp-target")); got != tt.sent {
				t.Errorf("#otp-target = %q, want %q", got, tt.sent)
			}
			mustID(t, doc, "resend")
		})
	}

	doc := render(t, &MethodsPanel{Devices: []resource.Device{
		{ID: "e", Type: resource.DeviceEmail, Status: resource.DeviceActive, Email: "jane@example.com"},
		{ID: "s", Type: resource.DeviceSMS, Status: resource.DeviceActive, Phone: "+33612345678"},
		{ID: "v", Type: resource.DeviceVoice, Status: resource.DeviceActivationRequired, Phone: "+447400123456"},
	}, CanCreate: true})
	rows := byClass(doc, "device")
	if len(rows) != 3 {
		t.Fatalf("%d rows", len(rows))
	}
	wants := []struct{ kind, target string }{{"Email", "j***@example.com"}, {"Text message", "********5678"}, {"Voice call", "*********3456"}}
	for i, w := range wants {
		if got := text(byClass(rows[i], "device-type")[0]); got != w.kind {
			t.Errorf("row %d type %q, want %q", i, got, w.kind)
		}
		if got := text(byClass(rows[i], "device-target")[0]); got != w.target {
			t.Errorf("row %d target %q, want %q", i, got, w.target)
		}
		phone := len(byClass(rows[i], "device-icon-phone")) == 1
		if phone != (i > 0) {
			t.Errorf("row %d phone icon %v", i, phone)
		}
		weak := byClass(rows[i], "device-weak")
		if (len(weak) == 1) != (i == 0) {
			t.Errorf("row %d weakest-method note %d", i, len(weak))
		}
		if i == 0 && !strings.Contains(text(weak[0]), "least secure") {
			t.Errorf("email note = %q", text(weak[0]))
		}
	}
	if n := len(byClass(rows[2], "finish-pairing")); n != 1 {
		t.Errorf("pending voice device has %d finish-pairing buttons", n)
	}
}

// phoneServer is the device API fake with phone creation: it records the
// bodies, refuses a landline for SMS as the server does, and answers the
// rest through deviceServer.
type phoneServer struct {
	ds     *deviceServer
	mu     sync.Mutex
	bodies []string
}

func (s *phoneServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	var in apiclient.NewPhoneDevice
	_ = json.Unmarshal(body, &in)
	if r.Method != "POST" || r.URL.Path != paths.Build(paths.Devices, testEnv, userID) || !isPhoneType(in.Type) {
		r.Body = io.NopCloser(bytes.NewReader(body))
		s.ds.ServeHTTP(w, r)
		return
	}
	s.mu.Lock()
	s.bodies = append(s.bodies, string(body))
	s.mu.Unlock()
	reply := jsonReply(w)
	if strings.HasPrefix(in.Phone, "01") {
		reply(400, apierr.Error{Code: apierr.InvalidData, Message: "The request has invalid data.", Details: []apierr.Detail{{
			Code: apierr.DetailInvalidValue, Target: "phone", Message: "phone is not a mobile number, which text messages need."}}})
		return
	}
	e164 := map[string]string{"FR": "+33", "GB": "+44"}[in.Region] + strings.TrimPrefix(strings.ReplaceAll(in.Phone, " ", ""), "0")
	d := resource.Device{ID: "new-" + strings.ToLower(in.Type), Type: in.Type, Phone: e164, Status: resource.DeviceActivationRequired}
	s.ds.mu.Lock()
	s.ds.devices = append(s.ds.devices, d)
	s.ds.mu.Unlock()
	reply(201, d)
}

func TestMyAccountPagePairsPhones(t *testing.T) {
	ds := &deviceServer{t: t, devices: []resource.Device{
		{ID: "d1", Type: resource.DeviceEmail, Status: resource.DeviceActive, Email: "jane@example.com"},
	}}
	ps := &phoneServer{ds: ds}
	p, ctx, e := mfaTabPage(t, ps, deviceScopes(), ds.devices)

	// Add method → Text message: the host has no browser languages, so
	// the first country is selected.
	p.methodsPanel().(*MethodsPanel).OnAdd(ctx)
	p.methodsPanel().(*MethodsPanel).OnChoosePhone(ctx, resource.DeviceSMS)
	if p.methods.step != PairPhone || p.methods.pairType != resource.DeviceSMS || p.methods.country != countries[0].Code {
		t.Fatalf("after choosing SMS: %+v", p.methods)
	}
	mustID(t, render(t, p), "phone")

	// Bad shapes never leave the page.
	p.addPhone(ctx, "FR", "06 12 ab")
	if p.methods.phoneErr != T(MsgErrPhone) || p.methods.regionErr != "" {
		t.Errorf("letters: %+v", p.methods)
	}
	p.addPhone(ctx, "XX", "0612345678")
	if p.methods.regionErr != T(MsgErrRegion) || p.methods.phoneErr != "" {
		t.Errorf("unknown country: %+v", p.methods)
	}
	p.addPhone(ctx, "FR", "")
	if p.methods.phoneErr != T(MsgErrPhoneRequired) {
		t.Errorf("empty: %+v", p.methods)
	}
	if len(ps.bodies) != 0 || len(ds.calls) != 0 {
		t.Fatalf("bad input reached the server: %v %v", ps.bodies, ds.calls)
	}

	// The server's objection to the number shows under it; the step and
	// the country stay.
	p.addPhone(ctx, "FR", "01 42 68 53 00")
	e.ConsumeAll()
	if p.methods.step != PairPhone || p.methods.country != "FR" || p.methods.err != "" ||
		p.methods.phoneErr != "This number is not a mobile number, which text messages need." {
		t.Fatalf("server refusal: %+v", p.methods)
	}
	doc := render(t, p)
	if got := text(mustID(t, doc, "phone-error")); got != p.methods.phoneErr {
		t.Errorf("#phone-error = %q", got)
	}

	// A mobile number: pairing with the texted code.
	p.addPhone(ctx, " FR ", " 06 12 34 56 78 ")
	e.ConsumeAll()
	if p.methods.step != PairOTP || p.methods.pairID != "new-sms" || p.methods.pairType != resource.DeviceSMS ||
		p.methods.pairTarget != "********5678" || p.methods.phoneErr != "" {
		t.Fatalf("after create: %+v", p.methods)
	}
	if !strings.Contains(text(render(t, p)), "Text message pairing") {
		t.Error("the pairing step is not the text message one")
	}
	p.activate(ctx, "123456")
	e.ConsumeAll()
	if p.methods.step != PairNone || len(p.devices) != 2 || p.devices[1].Status != resource.DeviceActive {
		t.Fatalf("after activation: %+v %+v", p.methods, p.devices)
	}

	// Voice call, then "Finish pairing" from the list keeps its title.
	p.methodsPanel().(*MethodsPanel).OnChoosePhone(ctx, resource.DeviceVoice)
	p.addPhone(ctx, "GB", "07400 123456")
	e.ConsumeAll()
	if p.methods.step != PairOTP || p.methods.pairType != resource.DeviceVoice {
		t.Fatalf("voice create: %+v", p.methods)
	}
	p.methodsPanel().(*MethodsPanel).OnCancel(ctx)
	p.finishPairing(ctx, "new-voice")
	if p.methods.step != PairOTP || p.methods.pairType != resource.DeviceVoice || p.methods.pairTarget != "*********3456" {
		t.Fatalf("finish voice pairing: %+v", p.methods)
	}
	if !strings.Contains(text(render(t, p)), "Voice call pairing") {
		t.Error("finish pairing lost the voice title")
	}

	want := []string{
		`{"type":"SMS","phone":"01 42 68 53 00","region":"FR"}`,
		`{"type":"SMS","phone":"06 12 34 56 78","region":"FR"}`,
		`{"type":"VOICE","phone":"07400 123456","region":"GB"}`,
	}
	if strings.Join(ps.bodies, "\n") != strings.Join(want, "\n") {
		t.Errorf("bodies:\n%s\nwant:\n%s", strings.Join(ps.bodies, "\n"), strings.Join(want, "\n"))
	}
}
