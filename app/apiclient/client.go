// Package apiclient is the PWA's one client of the MyAccount server: the
// hosted sign-on flow, the token endpoint, the MyAccount configuration and
// the self-management API. It speaks the contract in shared/ (paths,
// resource types, apierr) over a small Transport, so the same code runs on
// the browser's fetch in app.wasm and on net/http in host tests.
package apiclient

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/myaccount/myaccount/shared/apierr"
	"github.com/myaccount/myaccount/shared/paths"
	"github.com/myaccount/myaccount/shared/resource"
)

// Config wires a Client.
type Config struct {
	// BaseURL is prepended to every path. Empty in the browser (same-origin
	// relative URLs); the httptest server's URL in host tests.
	BaseURL string
	// EnvironmentID is the environment every call is about.
	EnvironmentID string
	// Transport sends requests; DefaultTransport() when nil.
	Transport Transport
}

// Client calls the MyAccount server for one environment.
type Client struct {
	base string
	env  string
	tr   Transport
}

// New returns a Client for c.
func New(c Config) *Client {
	tr := c.Transport
	if tr == nil {
		tr = DefaultTransport()
	}
	return &Client{base: strings.TrimRight(c.BaseURL, "/"), env: c.EnvironmentID, tr: tr}
}

// ConfigPath is where the server publishes the MyAccount configuration of an
// environment (resource.AppConfig).
func ConfigPath(envID string) string { return paths.Build(paths.MyAccount, envID) + "config.json" }

// GetConfig reads the environment's MyAccount configuration: its public
// client id and public URL.
func (c *Client) GetConfig(ctx context.Context) (resource.AppConfig, error) {
	var out resource.AppConfig
	err := c.do(ctx, "GET", ConfigPath(c.env), nil, nil, &out, false)
	return out, wrap("get config", err)
}

// GetFlow reads a hosted sign-on flow. The browser sends the flow cookie
// along (same-origin fetch); without it the server answers 404.
func (c *Client) GetFlow(ctx context.Context, flowID string) (resource.Flow, error) {
	var out resource.Flow
	err := c.do(ctx, "GET", paths.Build(paths.Flow, c.env, flowID), nil, nil, &out, false)
	return out, wrap("get flow", err)
}

// FlowAction posts one action ("usernamePassword.check", "otp.check", …)
// to a flow with Content-Type application/vnd.pingidentity.<action>+json and
// returns the flow's new state.
func (c *Client) FlowAction(ctx context.Context, flowID, action string, body any) (resource.Flow, error) {
	if body == nil {
		body = struct{}{}
	}
	b, err := json.Marshal(body)
	if err != nil {
		return resource.Flow{}, fmt.Errorf("flow action %s: encode body: %w", action, err)
	}
	h := map[string]string{"Content-Type": "application/vnd.pingidentity." + action + "+json"}
	var out resource.Flow
	err = c.do(ctx, "POST", paths.Build(paths.Flow, c.env, flowID), h, b, &out, false)
	return out, wrap("flow action "+action, err)
}

// CodeExchange is an authorization_code grant of a public client with PKCE.
type CodeExchange struct {
	Code         string
	RedirectURI  string
	ClientID     string
	CodeVerifier string
}

// ExchangeCode trades an authorization code for tokens at the environment's
// token endpoint (a form POST, as RFC 6749 says).
func (c *Client) ExchangeCode(ctx context.Context, x CodeExchange) (resource.TokenResponse, error) {
	form := url.Values{
		"grant_type":    {"authorization_code"},
		"code":          {x.Code},
		"redirect_uri":  {x.RedirectURI},
		"client_id":     {x.ClientID},
		"code_verifier": {x.CodeVerifier},
	}
	h := map[string]string{"Content-Type": "application/x-www-form-urlencoded"}
	var out resource.TokenResponse
	err := c.do(ctx, "POST", paths.Build(paths.Token, c.env), h, []byte(form.Encode()), &out, true)
	return out, wrap("exchange code", err)
}

// GetMe reads the signed-on user (sub) with their access token.
func (c *Client) GetMe(ctx context.Context, sub, accessToken string) (resource.User, error) {
	var out resource.User
	err := c.do(ctx, "GET", paths.Build(paths.User, c.env, sub), bearer(accessToken), nil, &out, false)
	return out, wrap("get user", err)
}

// ListDevices reads the user's MFA devices, in order (the first ACTIVE one is
// the default).
func (c *Client) ListDevices(ctx context.Context, sub, accessToken string) ([]resource.Device, error) {
	var out resource.List[resource.Device]
	if err := c.do(ctx, "GET", paths.Build(paths.Devices, c.env, sub), bearer(accessToken), nil, &out, false); err != nil {
		return nil, wrap("list devices", err)
	}
	devices := out.Embedded["devices"]
	if devices == nil {
		devices = []resource.Device{}
	}
	return devices, nil
}

func bearer(token string) map[string]string {
	return map[string]string{"Authorization": "Bearer " + token}
}

func wrap(what string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("%s: %w", what, err)
}

// do sends one request and decodes a 2xx JSON body into out, or the error
// body into an *apierr.Error. oauth marks the /as/ endpoints, whose errors
// are RFC 6749 bodies.
func (c *Client) do(ctx context.Context, method, path string, h map[string]string, body []byte, out any, oauth bool) error {
	hdr := map[string]string{"Accept": paths.JSON}
	for k, v := range h {
		hdr[k] = v
	}
	res, err := c.tr.Do(ctx, Request{Method: method, URL: c.base + path, Header: hdr, Body: body})
	if err != nil {
		return err
	}
	if res.Status < 200 || res.Status > 299 {
		return decodeError(res, oauth)
	}
	if out == nil || len(res.Body) == 0 {
		return nil
	}
	if err := json.Unmarshal(res.Body, out); err != nil {
		return fmt.Errorf("decode %s %s answer: %w", method, path, err)
	}
	return nil
}

// decodeError turns a non-2xx answer into an *apierr.Error. OAuth errors
// keep their RFC 6749 code ("invalid_grant") in Code and their description
// in Message; a body that is neither shape gets a code from the status.
func decodeError(res Response, oauth bool) *apierr.Error {
	// One struct for both shapes: PingOne's {"id","code","message","details"}
	// and RFC 6749's {"error","error_description"}.
	var body struct {
		ID          string          `json:"id"`
		Code        string          `json:"code"`
		Message     string          `json:"message"`
		Details     []apierr.Detail `json:"details"`
		OAuth       string          `json:"error"`
		Description string          `json:"error_description"`
	}
	_ = json.Unmarshal(res.Body, &body) // an unreadable body still has a status
	out := &apierr.Error{ID: body.ID, Code: body.Code, Message: body.Message, Details: body.Details, Status: res.Status}
	if (oauth || out.Code == "") && body.OAuth != "" {
		out.Code, out.Message = body.OAuth, body.Description
	}
	if out.Code == "" {
		out.Code = codeOf(res.Status)
	}
	if out.Message == "" {
		out.Message = "request failed with status " + strconv.Itoa(res.Status)
	}
	if ra, err := strconv.Atoi(strings.TrimSpace(res.Get("Retry-After"))); err == nil && ra > 0 {
		out.RetryAfter = ra
	}
	return out
}

func codeOf(status int) string {
	switch {
	case status == 400:
		return apierr.InvalidData
	case status == 401:
		return apierr.InvalidToken
	case status == 403:
		return apierr.InsufficientPermission
	case status == 404:
		return apierr.NotFound
	case status == 409:
		return apierr.Conflict
	case status == 413:
		return apierr.RequestTooLarge
	case status == 415:
		return apierr.UnsupportedMediaType
	case status == 429:
		return apierr.RequestLimited
	case status == 503:
		return apierr.ServiceUnavailable
	case status >= 500:
		return apierr.UnexpectedServerError
	default:
		return apierr.RequestFailed
	}
}

// AsAPIError returns the *apierr.Error inside err, if any.
func AsAPIError(err error) (*apierr.Error, bool) {
	var e *apierr.Error
	ok := errors.As(err, &e)
	return e, ok
}
