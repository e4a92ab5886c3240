package apiclient

import (
	"context"

	"github.com/myaccount/myaccount/shared/paths"
	"github.com/myaccount/myaccount/shared/resource"
)

// NewPhoneDevice is the body of a user's own SMS or voice device creation.
// Region, an ISO 3166-1 alpha-2 code, is where a national number is
// dialled; the server normalises the number to E.164.
type NewPhoneDevice struct {
	Type     string `json:"type"`
	Phone    string `json:"phone"`
	Region   string `json:"region,omitempty"`
	Nickname string `json:"nickname,omitempty"`
}

// CreatePhoneDevice adds an SMS or VOICE device (kind) to sub; the server
// answers it ACTIVATION_REQUIRED and texts or calls the number with a
// passcode.
func (c *Client) CreatePhoneDevice(ctx context.Context, sub, accessToken, kind, phone, region string) (resource.Device, error) {
	var out resource.Device
	err := c.send(ctx, "POST", paths.Build(paths.Devices, c.env, sub), accessToken, paths.JSON,
		NewPhoneDevice{Type: kind, Phone: phone, Region: region}, &out)
	return out, wrap("create device", err)
}
