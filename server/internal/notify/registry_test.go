package notify

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/myaccount/myaccount/server/internal/store"
)

// TestBuiltinTextsUnchanged pins the built-in English texts to the ones
// the Go functions wrote before they became templates
// (testdata/builtin.golden was made by the old code).
func TestBuiltinTextsUnchanged(t *testing.T) {
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	var b strings.Builder
	p := func(s, t string) { fmt.Fprintf(&b, "%q\n%q\n", s, t) }
	for _, ch := range []string{ChannelEmail, ChannelSMS, ChannelVoice} {
		for _, m := range []int{1, 5} {
			p(OTPMessage(ch, "123456", m))
		}
	}
	p(OTPEmail("9", 2))
	p(DevicePairedNotice("The phone ****1", "https://x"))
	p(DevicePairedEmail("a***@b", "https://x"))
	for _, by := range []bool{false, true} {
		p(DeviceRemovedNotice("M", by, "https://x"))
		p(PasswordChangedNotice(by, "https://x"))
	}
	p(RecoveryCodesCreatedNotice())
	for _, n := range []int{0, 1, 7} {
		p(RecoveryCodeUsedNotice(n))
		p(AccountSecuredNotice(n, at, "https://m"))
	}
	p(NewSignOnNotice("", "1.2.3.4", at, "https://x"))
	p(NewSignOnNotice("Chrome", "1.2.3.4", at, "https://x"))
	want, err := os.ReadFile("testdata/builtin.golden")
	if err != nil {
		t.Fatal(err)
	}
	if b.String() != string(want) {
		t.Errorf("built-in texts changed:\n%s\nwant:\n%s", b.String(), want)
	}
}

func TestRegistry(t *testing.T) {
	seen := map[string]bool{}
	for _, tm := range TemplateList() {
		if seen[tm.Name] {
			t.Errorf("template %s listed twice", tm.Name)
		}
		seen[tm.Name] = true
		for _, text := range []string{tm.Subject, tm.Body} {
			if u := UnknownVariables(tm, text); len(u) > 0 {
				t.Errorf("%s uses undeclared variables %v", tm.Name, u)
			}
		}
		if (tm.Channel == ChannelEmail) != (tm.Subject != "") {
			t.Errorf("%s: channel %s with subject %q", tm.Name, tm.Channel, tm.Subject)
		}
	}
}

func TestRender(t *testing.T) {
	vars := Vars{"otp": "123456", "minutes": "5", "evil": "${otp}", "method": "$${otp}}"}
	tests := []struct {
		name, text, want string
	}{
		{name: "substitutes", text: "code ${otp} in ${minutes} min", want: "code 123456 in 5 min"},
		{name: "unknownLeftOut", text: "a${nope}b", want: "ab"},
		{name: "valueNotRescanned", text: "x ${evil} y", want: "x ${otp} y"},
		{name: "valueWithBraces", text: "${method}", want: "$${otp}}"},
		{name: "unterminated", text: "a ${otp", want: "a ${otp"},
		{name: "notAName", text: "${1a} ${a-b} ${} $otp", want: "${1a} ${a-b} ${} $otp"},
		{name: "adjacent", text: "${otp}${otp}", want: "123456123456"},
		{name: "noTemplateSyntax", text: "{{.otp}} {{printf \"x\"}} <b>", want: "{{.otp}} {{printf \"x\"}} <b>"},
		{name: "empty", text: "", want: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Render(tt.text, vars); got != tt.want {
				t.Errorf("Render(%q) = %q, want %q", tt.text, got, tt.want)
			}
		})
	}
	if got := RenderSubject("New ${v}", Vars{"v": "a\r\nBcc: x@y"}); got != "New a  Bcc: x@y" {
		t.Errorf("RenderSubject kept a line break: %q", got)
	}
}

func TestUnknownVariables(t *testing.T) {
	tm, _ := LookupTemplate(TemplatePasswordChanged)
	got := UnknownVariables(tm, "${secureUrl} ${otp} ${x} ${otp} ${1bad}")
	if strings.Join(got, ",") != "otp,x" {
		t.Errorf("UnknownVariables = %v, want [otp x]", got)
	}
}

func TestFallback(t *testing.T) {
	content := func(s string) store.TemplateContent {
		return store.TemplateContent{Subject: s, Body: s + " ${secureUrl}"}
	}
	full := map[string]store.TemplateContent{"fr-CA": content("fr-CA"), "fr": content("fr"), "en": content("en")}
	n := PasswordChanged(false, "https://u")
	builtinSubject, _ := n.Builtin()
	tests := []struct {
		name      string
		overrides map[string]store.TemplateContent
		locale    string
		want      string
	}{
		{name: "exact", overrides: full, locale: "fr-CA", want: "fr-CA"},
		{name: "caseInsensitive", overrides: full, locale: "fr-ca", want: "fr-CA"},
		{name: "base", overrides: full, locale: "fr-FR", want: "fr"},
		{name: "english", overrides: full, locale: "de-DE", want: "en"},
		{name: "noLocale", overrides: full, locale: "", want: "en"},
		{name: "badLocale", overrides: full, locale: "not a locale!", want: "en"},
		{name: "baseOnlyMissing", overrides: map[string]store.TemplateContent{"fr-CA": content("fr-CA")}, locale: "fr-FR", want: builtinSubject},
		{name: "builtin", overrides: nil, locale: "fr-CA", want: builtinSubject},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := &store.Environment{}
			if tt.overrides != nil {
				env.Templates = map[string]map[string]store.TemplateContent{n.Template: tt.overrides}
			}
			subject, text := Resolve(env, tt.locale, n)
			if subject != tt.want {
				t.Errorf("subject = %q, want %q", subject, tt.want)
			}
			if tt.want != builtinSubject && text != tt.want+" https://u" {
				t.Errorf("text = %q", text)
			}
		})
	}
	if got := Fallback("fr-CA"); strings.Join(got, ",") != "fr-CA,fr,en" {
		t.Errorf("Fallback(fr-CA) = %v", got)
	}
	if got := Fallback("en-GB"); strings.Join(got, ",") != "en-GB,en" {
		t.Errorf("Fallback(en-GB) = %v", got)
	}
}

func TestUserLocale(t *testing.T) {
	if got := UserLocale(&store.User{Profile: store.Profile{Locale: "fr-FR", PreferredLanguage: "de"}}); got != "fr-FR" {
		t.Errorf("UserLocale = %q, want the locale", got)
	}
	if got := UserLocale(&store.User{Profile: store.Profile{PreferredLanguage: "de, en;q=0.5"}}); got != "de" {
		t.Errorf("UserLocale = %q, want the preferred language", got)
	}
}
