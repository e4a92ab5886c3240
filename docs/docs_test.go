package docs

import (
	"bytes"
	"encoding/json"
	"os"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/myaccount/myaccount/shared/apierr"
	"github.com/myaccount/myaccount/shared/paths"
	"github.com/myaccount/myaccount/shared/resource"
)

// doc is the part of an OpenAPI document these tests read.
type doc struct {
	OpenAPI string `json:"openapi"`
	Info    struct {
		Title   string `json:"title"`
		Version string `json:"version"`
	} `json:"info"`
	Paths      map[string]map[string]json.RawMessage `json:"paths"`
	Components struct {
		Schemas         map[string]schema          `json:"schemas"`
		SecuritySchemes map[string]json.RawMessage `json:"securitySchemes"`
		Parameters      map[string]parameter       `json:"parameters"`
	} `json:"components"`
}

type schema struct {
	Type       string            `json:"type"`
	Required   []string          `json:"required"`
	Properties map[string]schema `json:"properties"`
	AllOf      []schema          `json:"allOf"`
	Ref        string            `json:"$ref"`
}

type parameter struct {
	Ref      string `json:"$ref"`
	Name     string `json:"name"`
	In       string `json:"in"`
	Required bool   `json:"required"`
	Schema   struct {
		Type    string   `json:"type"`
		Format  string   `json:"format"`
		Pattern string   `json:"pattern"`
		Enum    []string `json:"enum"`
	} `json:"schema"`
}

type operation struct {
	OperationID string                     `json:"operationId"`
	Summary     string                     `json:"summary"`
	Parameters  []parameter                `json:"parameters"`
	Responses   map[string]json.RawMessage `json:"responses"`
}

func load(t *testing.T) doc {
	t.Helper()
	var d doc
	dec := json.NewDecoder(bytes.NewReader(OpenAPI))
	if err := dec.Decode(&d); err != nil {
		t.Fatalf("openapi.json does not parse: %v", err)
	}
	return d
}

func TestDocumentShape(t *testing.T) {
	d := load(t)
	if d.OpenAPI != "3.0.3" {
		t.Errorf("openapi = %q, want 3.0.3", d.OpenAPI)
	}
	if d.Info.Title == "" || d.Info.Version == "" {
		t.Errorf("info needs title and version, got %+v", d.Info)
	}
	if len(d.Paths) == 0 {
		t.Fatal("no paths")
	}
	for _, name := range []string{
		"User", "Device", "Flow", "Application", "SignOnPolicy", "MFASettings", "SelfService", "Environment",
		"Error", "OAuthError", "TokenResponse", "UserList", "DeviceList", "ApplicationList", "EnvironmentList",
		"SignOnPolicyList", "OutboxList",
	} {
		if _, ok := d.Components.Schemas[name]; !ok {
			t.Errorf("components.schemas lacks %s", name)
		}
	}
	for _, name := range []string{"bearerAuth", "clientBasic"} {
		if _, ok := d.Components.SecuritySchemes[name]; !ok {
			t.Errorf("components.securitySchemes lacks %s", name)
		}
	}
}

func TestTemplate(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"plain", "/healthz", "/healthz"},
		{"params", paths.User, "/v1/environments/{envId}/users/{userId}"},
		{"guid_constraint", "/:envId<guid>/flows/:flowId<guid>", "/{envId}/flows/{flowId}"},
		{"optional", "/v1/environments/:envId?", "/v1/environments/{envId}"},
		{"dots_kept", paths.OIDCDiscovery, "/{envId}/as/.well-known/openid-configuration"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Template(tt.in); got != tt.want {
				t.Fatalf("Template(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// TestOperations checks every operation is complete: an id (unique), a
// summary, responses, and every {param} of its path declared as a required
// uuid path parameter, with no declared path parameter missing from it.
func TestOperations(t *testing.T) {
	d := load(t)
	ids := map[string]string{}
	tmpl := regexp.MustCompile(`\{([^}]+)\}`)
	for p, item := range d.Paths {
		var shared []parameter
		if raw, ok := item["parameters"]; ok {
			if err := json.Unmarshal(raw, &shared); err != nil {
				t.Fatalf("%s parameters: %v", p, err)
			}
		}
		for m, raw := range item {
			if !slices.Contains(methods, m) {
				continue
			}
			where := strings.ToUpper(m) + " " + p
			var op operation
			if err := json.Unmarshal(raw, &op); err != nil {
				t.Fatalf("%s: %v", where, err)
			}
			if op.OperationID == "" || op.Summary == "" || len(op.Responses) == 0 {
				t.Errorf("%s needs operationId, summary and responses", where)
			}
			if prev, dup := ids[op.OperationID]; dup {
				t.Errorf("operationId %q used by %s and %s", op.OperationID, prev, where)
			}
			ids[op.OperationID] = where
			declared := map[string]parameter{}
			for _, prm := range append(slices.Clone(shared), op.Parameters...) {
				prm = resolveParam(t, d, prm)
				if prm.In == "path" {
					declared[prm.Name] = prm
				}
			}
			var inPath []string
			for _, m := range tmpl.FindAllStringSubmatch(p, -1) {
				inPath = append(inPath, m[1])
				prm, ok := declared[m[1]]
				if !ok {
					t.Errorf("%s: path parameter %s is not declared", where, m[1])
					continue
				}
				// Ids are UUIDs; a name-like parameter (a template name, a
				// locale) must say what it accepts with an enum or a pattern.
				constrained := prm.Schema.Format == "uuid" || len(prm.Schema.Enum) > 0 || prm.Schema.Pattern != ""
				if !prm.Required || prm.Schema.Type != "string" || !constrained {
					t.Errorf("%s: path parameter %s must be a required uuid string (or a string with an enum or pattern)", where, m[1])
				}
			}
			for name := range declared {
				if !slices.Contains(inPath, name) {
					t.Errorf("%s: declares path parameter %s its path does not have", where, name)
				}
			}
		}
	}
}

func resolveParam(t *testing.T, d doc, p parameter) parameter {
	t.Helper()
	if p.Ref == "" {
		return p
	}
	name := strings.TrimPrefix(p.Ref, "#/components/parameters/")
	got, ok := d.Components.Parameters[name]
	if !ok {
		t.Fatalf("unresolved parameter %s", p.Ref)
	}
	return got
}

// TestRefsResolve walks the whole document: every $ref must name something
// that exists.
func TestRefsResolve(t *testing.T) {
	var root any
	if err := json.Unmarshal(OpenAPI, &root); err != nil {
		t.Fatal(err)
	}
	n := 0
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			if ref, ok := v["$ref"].(string); ok {
				n++
				if _, err := pointer(root, ref); err != nil {
					t.Errorf("$ref %s: %v", ref, err)
				}
			}
			for _, x := range v {
				walk(x)
			}
		case []any:
			for _, x := range v {
				walk(x)
			}
		}
	}
	walk(root)
	if n < 50 {
		t.Errorf("only %d $refs found: the walk is broken", n)
	}
}

// pointer follows a local JSON pointer ("#/components/schemas/User").
func pointer(root any, ref string) (any, error) {
	if !strings.HasPrefix(ref, "#/") {
		return nil, errString("not a local reference")
	}
	cur := root
	for _, tok := range strings.Split(ref[2:], "/") {
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		m, ok := cur.(map[string]any)
		if !ok {
			return nil, errString("walks into a non-object at " + tok)
		}
		if cur, ok = m[tok]; !ok {
			return nil, errString("no " + tok)
		}
	}
	return cur, nil
}

type errString string

func (e errString) Error() string { return string(e) }

// TestSchemasMatchGoTypes keeps the document's property names equal to the
// JSON names of the shared types the server sends and reads. For response
// types, every field the Go type always writes (no omitempty) must be
// required in the schema, so clients may rely on it.
func TestSchemasMatchGoTypes(t *testing.T) {
	d := load(t)
	tests := []struct {
		name     string
		typ      any
		response bool
	}{
		{"Link", resource.Link{}, true},
		{"Ref", resource.Ref{}, true},
		{"Error", apierr.Error{}, true},
		{"ErrorDetail", apierr.Detail{}, true},
		{"OAuthError", resource.OAuthError{}, true},
		{"TokenResponse", resource.TokenResponse{}, true},
		{"AppConfig", resource.AppConfig{}, true},
		{"AppPairing", resource.AppPairing{}, true},
		{"Branding", resource.Branding{}, false}, // also the PUT body: logo and updatedAt are read-only,
		{"BrandingColors", resource.BrandingColors{}, true},
		{"PublicBranding", resource.PublicBranding{}, true},
		{"Environment", resource.Environment{}, true},
		{"Name", resource.Name{}, true},
		{"Account", resource.Account{}, true},
		{"Password", resource.Password{}, false},
		{"User", resource.User{}, true},
		{"UserCreate", resource.UserCreate{}, false},
		{"Device", resource.Device{}, false}, // enrollment devices in flows have no id
		{"Flow", resource.Flow{}, true},
		{"FlowEmbedded", resource.FlowEmbedded{}, true},
		{"FlowUser", resource.FlowUser{}, true},
		{"UsernamePassword", resource.UsernamePassword{}, false},
		{"DeviceSelect", resource.DeviceSelect{}, false},
		{"OTPCheck", resource.OTPCheck{}, false},
		{"DeviceRegister", resource.DeviceRegister{}, false},
		{"RecoveryCodeCheck", resource.RecoveryCodeCheck{}, false},
		{"RecoveryCodes", resource.RecoveryCodes{}, true},
		{"RoleAssignment", resource.RoleAssignment{}, true},
		{"Application", resource.Application{}, true},
		{"UserEnabled", resource.UserEnabled{}, true},
		{"ApplicationSecret", resource.ApplicationSecret{}, true},
		{"SignOnPolicy", resource.SignOnPolicy{}, true},
		{"OTPSettings", resource.OTPSettings{}, true},
		{"MFAPairing", resource.MFASettings{}.Pairing, true},
		{"MFASettings", resource.MFASettings{}, true},
		{"MFALockout", resource.MFALockout{}, true},
		{"MFATOTP", resource.MFATOTP{}, true},
		{"TimeAmount", resource.TimeAmount{}, true},
		{"PolicyMethod", resource.PolicyMethod{}, true},
		{"PolicyAuthentication", resource.PolicyAuthentication{}, true},
		{"PolicyOTPFailure", resource.PolicyOTPFailure{}, true},
		{"PolicyOTP", resource.PolicyOTP{}, true},
		{"DeviceAuthPolicy", resource.DeviceAuthPolicy{}, true},
		{"SelfService", resource.SelfService{}, true},
		{"OutboxMessage", resource.OutboxMessage{}, true},
		{"UserSession", resource.UserSession{}, true},
		{"SessionBrowser", resource.SessionBrowser{}, true},
		{"SessionOS", resource.SessionOS{}, true},
		{"SessionDevice", resource.SessionDevice{}, true},
		{"SessionSignOn", resource.SessionSignOn{}, true},
		{"SessionLocation", resource.SessionLocation{}, true},
		{"UserEvent", resource.UserEvent{}, true},
		{"EventActor", resource.EventActor{}, true},
		{"AccountSecured", resource.AccountSecured{}, true},
		{"NotificationTemplate", resource.NotificationTemplate{}, true},
		{"TemplateText", resource.TemplateText{}, true},
		{"TemplateContent", resource.TemplateContent{}, true},
		{"LinkedAccount", resource.LinkedAccount{}, true},
		{"Agreement", resource.Agreement{}, true},
		{"AgreementLanguage", resource.AgreementLanguage{}, true},
		{"AgreementRevision", resource.AgreementRevision{}, true},
		{"UserAgreementConsent", resource.UserAgreementConsent{}, true},
		{"FlowAgreement", resource.FlowAgreement{}, true},
		{"UserOAuthConsent", resource.UserOAuthConsent{}, true},
		{"ConsentHistoryEntry", resource.ConsentHistoryEntry{}, true},
		{"FlowConsent", resource.FlowConsent{}, true},
		{"OAuthConsentAnswer", resource.OAuthConsentAnswer{}, false},
		{"OAuthConsentRevoke", resource.OAuthConsentRevoke{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, ok := d.Components.Schemas[tt.name]
			if !ok {
				t.Fatalf("no schema %s", tt.name)
			}
			fields, always := jsonFields(reflect.TypeOf(tt.typ))
			var props []string
			for p := range s.Properties {
				props = append(props, p)
			}
			slices.Sort(fields)
			slices.Sort(props)
			if !slices.Equal(fields, props) {
				t.Errorf("schema properties %v, Go JSON fields %v", props, fields)
			}
			for _, r := range s.Required {
				if !slices.Contains(props, r) {
					t.Errorf("requires %s, which is not a property", r)
				}
			}
			if !tt.response {
				return
			}
			for _, f := range always {
				if !slices.Contains(s.Required, f) {
					t.Errorf("%s is always sent but not required", f)
				}
			}
		})
	}
}

// jsonFields lists a struct's JSON field names, and those without omitempty.
func jsonFields(t reflect.Type) (all, always []string) {
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		name, opts, _ := strings.Cut(tag, ",")
		if name == "-" || !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		all = append(all, name)
		if !strings.Contains(opts, "omitempty") {
			always = append(always, name)
		}
	}
	return all, always
}

// TestListEnvelopes checks each list schema is the envelope resource.List
// writes, with the embedded name the server uses.
func TestListEnvelopes(t *testing.T) {
	d := load(t)
	envelope, _ := jsonFields(reflect.TypeOf(resource.List[int]{}))
	base := d.Components.Schemas["ListBase"]
	tests := []struct{ name, embedded string }{
		{"EnvironmentList", "environments"},
		{"UserList", "users"},
		{"DeviceList", "devices"},
		{"ApplicationList", "applications"},
		{"SignOnPolicyList", "signOnPolicies"},
		{"OutboxList", "messages"},
		{"SessionList", "sessions"},
		{"UserEventList", "events"},
		{"AgreementList", "agreements"},
		{"AgreementLanguageList", "languages"},
		{"AgreementRevisionList", "revisions"},
		{"UserAgreementConsentList", "agreementConsents"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := d.Components.Schemas[tt.name]
			if len(s.AllOf) != 2 || s.AllOf[0].Ref != "#/components/schemas/ListBase" {
				t.Fatalf("want allOf [ListBase, {_embedded}], got %+v", s.AllOf)
			}
			emb, ok := s.AllOf[1].Properties["_embedded"]
			if !ok || !slices.Equal(emb.Required, []string{tt.embedded}) {
				t.Fatalf("_embedded must require %q, got %+v", tt.embedded, emb)
			}
			for _, f := range envelope {
				_, inBase := base.Properties[f]
				_, inSelf := s.AllOf[1].Properties[f]
				if !inBase && !inSelf {
					t.Errorf("envelope field %s missing", f)
				}
			}
		})
	}
}

// TestAPIDoc keeps api.md in step: every operation of openapi.json (which
// server/openapi_test ties to the router, both ways) is named in it
// ("GET /path"), and every ```json example in it parses.
func TestAPIDoc(t *testing.T) {
	b, err := os.ReadFile("api.md")
	if err != nil {
		t.Fatal(err)
	}
	md := string(b)
	ops, err := Operations()
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range ops {
		op := o.Method + " " + o.Path
		if !strings.Contains(md, op) {
			t.Errorf("api.md does not mention %s", op)
		}
	}
	blocks := regexp.MustCompile("(?s)```json\n(.*?)```").FindAllStringSubmatch(md, -1)
	if len(blocks) < 20 {
		t.Errorf("api.md has %d json examples; the walk is broken or examples went missing", len(blocks))
	}
	for i, m := range blocks {
		if !json.Valid([]byte(m[1])) {
			t.Errorf("json example %d does not parse:\n%s", i+1, m[1])
		}
	}
}
