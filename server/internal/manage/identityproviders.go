package manage

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/myaccount/myaccount/server/internal/audit"
	"github.com/myaccount/myaccount/server/internal/ids"
	"github.com/myaccount/myaccount/server/internal/secret"
	"github.com/myaccount/myaccount/server/internal/store"
	"github.com/myaccount/myaccount/shared/apierr"
	"github.com/myaccount/myaccount/shared/paths"
	"github.com/myaccount/myaccount/shared/resource"
	"github.com/myaccount/myaccount/shared/valid"
)

// The environment's external identity providers: PingOne's
// /environments/{envId}/identityProviders, OPENID_CONNECT only. Readers of
// the environment read; Environment Admins write. The client secret is
// write-only and sealed at rest with the server's secret box.

// Bounds of an identity provider's attributes.
const (
	maxIdPURL          = 2048 // characters in the issuer
	maxIdPScopes       = 20   // scopes asked for
	maxIdPScope        = 100  // characters in a scope or a claim name
	maxIdPClientSecret = 512  // characters in the client secret
)

var errIdPLimit = apierr.New(http.StatusBadRequest, apierr.RequestFailed,
	fmt.Sprintf("An environment has at most %d identity providers.", store.MaxIdentityProviders),
	apierr.Field(apierr.DetailLimitExceeded, "identityProviders", "Delete an identity provider first."))

// errNoBox: the server was started without a secret box, so it cannot
// keep a client secret (never the case in a configured server).
var errNoBox = errors.New("identity provider: no secret box to seal the client secret")

var identityProviders = policyList[store.IdentityProvider, resource.ExternalIdentityProvider]{
	name: "identityProviders", path: paths.IdentityProviders, param: "identityProviderId",
	list: func(e *store.Environment) []store.IdentityProvider { return e.IdentityProviders },
	set:  func(e *store.Environment, ps []store.IdentityProvider) { e.IdentityProviders = ps },
	id:   func(p store.IdentityProvider) string { return p.ID },
	show: (*API).identityProviderResource,
}

// IdentityProviderSecretAD is the associated data a provider's client
// secret is sealed with: a sealed secret copied to another provider or
// environment does not open.
func IdentityProviderSecretAD(envID, idpID string) []byte {
	return []byte("identityProvider/" + envID + "/" + idpID)
}

// OpenIdentityProviderSecret returns p's client secret ("" when it has
// none).
func OpenIdentityProviderSecret(box *secret.Box, envID string, p store.IdentityProvider) (string, error) {
	if len(p.ClientSecretSealed) == 0 {
		return "", nil
	}
	if box == nil {
		return "", errNoBox
	}
	b, err := box.Open(p.ClientSecretSealed, IdentityProviderSecretAD(envID, p.ID))
	if err != nil {
		return "", fmt.Errorf("open identity provider secret: %w", err)
	}
	return string(b), nil
}

// ListIdentityProviders answers GET /v1/environments/{envId}/identityProviders.
func (a *API) ListIdentityProviders() fiber.Handler {
	return func(c *fiber.Ctx) error { return identityProviders.listAll(a, c) }
}

// GetIdentityProvider answers GET …/identityProviders/{identityProviderId}.
func (a *API) GetIdentityProvider() fiber.Handler {
	return func(c *fiber.Ctx) error { return identityProviders.getOne(a, c) }
}

// CreateIdentityProvider answers POST …/identityProviders (Environment Admin).
func (a *API) CreateIdentityProvider() fiber.Handler {
	return func(c *fiber.Ctx) error {
		envID, p, err := identityProviders.create(a, c, func(e *store.Environment, ps []store.IdentityProvider) ([]store.IdentityProvider, store.IdentityProvider, error) {
			if len(ps) >= store.MaxIdentityProviders {
				return nil, store.IdentityProvider{}, errIdPLimit
			}
			now := a.now()
			p, err := a.readIdentityProvider(c.Body(), e.ID, store.IdentityProvider{ID: ids.New(), CreatedAt: now}, nil, ps)
			if err != nil {
				return nil, p, err
			}
			p.UpdatedAt = now
			return append(ps, p), p, nil
		})
		if err != nil {
			return err
		}
		out := a.identityProviderResource(envID, p)
		a.record(c, envID, audit.ActionIdentityProviderUpdated, "", identityProviderDetails("created", p))
		return created(c, out.Links, out)
	}
}

// PutIdentityProvider answers PUT …/identityProviders/{identityProviderId}
// (Environment Admin): the body replaces the provider; a clientSecret left
// out keeps the one there was, null removes it.
func (a *API) PutIdentityProvider() fiber.Handler {
	return func(c *fiber.Ctx) error {
		envID, updated, err := identityProviders.change(a, c, true, func(e *store.Environment, ps []store.IdentityProvider, i int) ([]store.IdentityProvider, store.IdentityProvider, error) {
			cur := a.identityProviderResource(e.ID, ps[i])
			others := slices.Delete(slices.Clone(ps), i, i+1)
			p, err := a.readIdentityProvider(c.Body(), e.ID, ps[i], &cur, others)
			if err != nil {
				return nil, p, err
			}
			p.UpdatedAt = a.now()
			ps[i] = p
			return ps, p, nil
		})
		if err != nil {
			return err
		}
		a.record(c, envID, audit.ActionIdentityProviderUpdated, "", identityProviderDetails("updated", updated))
		return c.JSON(a.identityProviderResource(envID, updated))
	}
}

// DeleteIdentityProvider answers DELETE …/identityProviders/{identityProviderId}
// (Environment Admin).
func (a *API) DeleteIdentityProvider() fiber.Handler {
	return func(c *fiber.Ctx) error {
		envID, gone, err := identityProviders.change(a, c, false, func(_ *store.Environment, ps []store.IdentityProvider, i int) ([]store.IdentityProvider, store.IdentityProvider, error) {
			return slices.Delete(ps, i, i+1), ps[i], nil
		})
		if err != nil {
			return err
		}
		a.record(c, envID, audit.ActionIdentityProviderUpdated, "", identityProviderDetails("deleted", gone))
		return c.SendStatus(http.StatusNoContent)
	}
}

// identityProviderDetails are an audit event's details: never the secret.
func identityProviderDetails(change string, p store.IdentityProvider) map[string]string {
	return map[string]string{"change": change, "identityProviderId": p.ID, "name": p.Name,
		"issuer": p.Issuer, "enabled": strconv.FormatBool(p.Enabled)}
}

// readIdentityProvider reads a create or replace body onto base (id,
// createdAt and, unless the body says otherwise, the sealed secret kept).
// current is the provider as the API shows it now (nil for a create);
// others are the environment's other providers, whose names a name must
// not take.
func (a *API) readIdentityProvider(body []byte, envID string, base store.IdentityProvider, current *resource.ExternalIdentityProvider, others []store.IdentityProvider) (store.IdentityProvider, error) {
	o, err := parseObject(body)
	if err != nil {
		return store.IdentityProvider{}, err
	}
	p := store.IdentityProvider{ID: base.ID, Type: resource.IdentityProviderOIDC, CreatedAt: base.CreatedAt,
		ClientSecretSealed: base.ClientSecretSealed, Scopes: []string{"openid", "email", "profile"},
		AttributeMapping: store.AttributeMapping{Email: "email", GivenName: "given_name", FamilyName: "family_name"}}
	o.Require("name", "issuer", "clientId")
	var typ string
	if o.String("type", &typ, false) && typ != resource.IdentityProviderOIDC {
		o.Fail("type", "must be OPENID_CONNECT.")
	}
	if o.String("name", &p.Name, false) {
		switch {
		case strings.TrimSpace(p.Name) == "" || valid.Text(p.Name, valid.MaxName) != nil:
			o.Fail("name", fmt.Sprintf("must be 1 to %d characters without control characters.", valid.MaxName))
		case slices.ContainsFunc(others, func(q store.IdentityProvider) bool { return strings.EqualFold(q.Name, p.Name) }):
			*o.details = append(*o.details, apierr.Field(apierr.DetailUniqueness, "name", "name is taken by another identity provider."))
		}
	}
	if o.String("description", &p.Description, true) && valid.Text(p.Description, MaxPolicyDescription) != nil {
		o.Fail("description", fmt.Sprintf("must be at most %d characters without control characters.", MaxPolicyDescription))
	}
	o.Bool("enabled", &p.Enabled)
	o.Bool("createUsers", &p.CreateUsers)
	if o.String("issuer", &p.Issuer, false) && !issuerURL(p.Issuer) {
		o.Fail("issuer", "must be an https URL without query or fragment (http only for localhost).")
	}
	if o.String("clientId", &p.ClientID, false) &&
		(strings.TrimSpace(p.ClientID) == "" || valid.Text(p.ClientID, valid.MaxName) != nil) {
		o.Fail("clientId", fmt.Sprintf("must be 1 to %d characters without control characters.", valid.MaxName))
	}
	if o.Has("clientSecret") {
		var s string
		if o.String("clientSecret", &s, true) {
			switch {
			case s == "":
				p.ClientSecretSealed = nil
			case valid.Text(s, maxIdPClientSecret) != nil || strings.TrimSpace(s) != s:
				o.Fail("clientSecret", fmt.Sprintf("must be at most %d characters without control characters or surrounding spaces.", maxIdPClientSecret))
			case a.d.Box == nil:
				return p, errNoBox
			default:
				p.ClientSecretSealed = a.d.Box.Seal([]byte(s), IdentityProviderSecretAD(envID, p.ID))
			}
		}
	}
	if o.Strings("scopes", &p.Scopes) {
		switch {
		case len(p.Scopes) > maxIdPScopes:
			o.Fail("scopes", fmt.Sprintf("must hold at most %d scopes.", maxIdPScopes))
		case !slices.Contains(p.Scopes, "openid"):
			o.Fail("scopes", "must include openid.")
		case slices.ContainsFunc(p.Scopes, func(s string) bool { return !claimName(s) }):
			o.Fail("scopes", fmt.Sprintf("must be 1 to %d printable characters each, without spaces.", maxIdPScope))
		}
		p.Scopes = slices.Compact(p.Scopes)
	}
	if m, _ := o.Object("attributeMapping"); m != nil {
		for _, f := range []struct {
			name string
			dst  *string
		}{{"email", &p.AttributeMapping.Email}, {"givenName", &p.AttributeMapping.GivenName}, {"familyName", &p.AttributeMapping.FamilyName}} {
			if m.String(f.name, f.dst, true) && *f.dst != "" && !claimName(*f.dst) {
				m.Fail(f.name, fmt.Sprintf("must name a claim: 1 to %d printable characters without spaces.", maxIdPScope))
			}
		}
		m.Rest(nil)
	}
	var cur any
	if current != nil {
		cur = current
	}
	o.Rest(cur, "id", "environment", "clientSecretSet", "createdAt", "updatedAt", "_links")
	if err := invalid(o.Details()); err != nil {
		return store.IdentityProvider{}, err
	}
	return p, nil
}

// issuerURL accepts an absolute https URL, or http to a loopback host (a
// provider on the same machine in development and tests), without user
// info, query or fragment.
func issuerURL(s string) bool {
	if len(s) > maxIdPURL {
		return false
	}
	u, err := url.Parse(s)
	if err != nil || u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" || strings.ContainsAny(s, " \t\r\n") {
		return false
	}
	switch u.Scheme {
	case "https":
		return true
	case "http":
		host := u.Hostname()
		ip := net.ParseIP(host)
		return host == "localhost" || (ip != nil && ip.IsLoopback())
	}
	return false
}

// claimName accepts a scope or claim name: printable ASCII without spaces.
func claimName(s string) bool {
	if s == "" || len(s) > maxIdPScope {
		return false
	}
	for _, r := range s {
		if r <= ' ' || r > '~' || r == '"' || r == '\\' {
			return false
		}
	}
	return true
}

// identityProviderResource is a stored provider as the API shows it.
func (a *API) identityProviderResource(envID string, p store.IdentityProvider) resource.ExternalIdentityProvider {
	scopes := slices.Clone(p.Scopes)
	if scopes == nil {
		scopes = []string{}
	}
	return resource.ExternalIdentityProvider{
		Links:       resource.Links{"self": a.link(paths.Build(paths.IdentityProvider, envID, p.ID)), "environment": a.link(paths.Build(paths.Environment, envID))},
		ID:          p.ID,
		Environment: resource.Ref{ID: envID},
		Type:        resource.IdentityProviderOIDC,
		Name:        p.Name, Description: p.Description, Enabled: p.Enabled,
		Issuer: p.Issuer, ClientID: p.ClientID, ClientSecretSet: len(p.ClientSecretSealed) > 0,
		Scopes: scopes,
		AttributeMapping: resource.IdentityProviderMapping{Email: p.AttributeMapping.Email,
			GivenName: p.AttributeMapping.GivenName, FamilyName: p.AttributeMapping.FamilyName},
		CreateUsers: p.CreateUsers,
		CreatedAt:   p.CreatedAt.UTC(), UpdatedAt: p.UpdatedAt.UTC(),
	}
}
