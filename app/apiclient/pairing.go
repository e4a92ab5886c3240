package apiclient

import (
	"context"

	"github.com/myaccount/myaccount/shared/paths"
	"github.com/myaccount/myaccount/shared/resource"
)

// CreateDevice adds a device to sub from a create body: NewEmailDevice,
// NewPhoneDevice, NewTOTPDevice or NewFIDO2Device, each with the nickname
// the user gave at pairing, if any. The server answers the device
// ACTIVATION_REQUIRED with what pairing it needs (a passcode sent, a TOTP
// key, creation options).
func (c *Client) CreateDevice(ctx context.Context, sub, accessToken string, body any) (resource.Device, error) {
	var out resource.Device
	err := c.send(ctx, "POST", paths.Build(paths.Devices, c.env, sub), accessToken, paths.JSON, body, &out)
	return out, wrap("create device", err)
}
