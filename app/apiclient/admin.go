package apiclient

import (
	"context"
	"fmt"

	"github.com/myaccount/myaccount/shared/paths"
	"github.com/myaccount/myaccount/shared/resource"
)

// The admin console's calls. The console signs on to the Administrators
// environment and then works on any environment its roles cover, so these
// calls name the environment in each path instead of using the Client's.

// GetAdminConfig reads the admin console's configuration: the
// Administrators environment and the client the console signs on as.
func (c *Client) GetAdminConfig(ctx context.Context) (resource.AppConfig, error) {
	var out resource.AppConfig
	err := c.do(ctx, "GET", paths.AdminConfig, nil, nil, &out, false)
	return out, wrap("get admin config", err)
}

// Call sends one management API request with a bearer token: a JSON body
// of mediaType when in is not nil (paths.JSON when mediaType is ""), and
// the 2xx answer decoded into out when out is not nil. The console's pages
// use it for the resources they edit.
func (c *Client) Call(ctx context.Context, method, path, accessToken, mediaType string, in, out any) error {
	what := method + " " + path
	if in == nil {
		return wrap(what, c.do(ctx, method, path, bearer(accessToken), nil, out, false))
	}
	if mediaType == "" {
		mediaType = paths.JSON
	}
	return wrap(what, c.send(ctx, method, path, accessToken, mediaType, in, out))
}

// ListEnvironments reads the environments the caller holds a role over.
func (c *Client) ListEnvironments(ctx context.Context, accessToken string) ([]resource.Environment, error) {
	var out resource.List[resource.Environment]
	if err := c.Call(ctx, "GET", paths.Environments, accessToken, "", nil, &out); err != nil {
		return nil, err
	}
	return Embedded(out, "environments"), nil
}

// Embedded returns a list answer's items under name, never nil.
func Embedded[E any](l resource.List[E], name string) []E {
	if s := l.Embedded[name]; s != nil {
		return s
	}
	return []E{}
}

// ListOf reads a list resource at path and returns its items under name.
func ListOf[E any](ctx context.Context, c *Client, path, accessToken, name string) ([]E, error) {
	var out resource.List[E]
	if err := c.Call(ctx, "GET", path, accessToken, "", nil, &out); err != nil {
		return nil, fmt.Errorf("list %s: %w", name, err)
	}
	return Embedded(out, name), nil
}
