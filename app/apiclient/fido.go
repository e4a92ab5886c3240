package apiclient

import (
	"context"

	"github.com/myaccount/myaccount/shared/paths"
	"github.com/myaccount/myaccount/shared/resource"
)

// NewFIDO2Device is the body of a user's own FIDO2 device creation.
type NewFIDO2Device struct {
	Type     string `json:"type"`
	Kind     string `json:"kind"`
	Nickname string `json:"nickname,omitempty"`
}

// CreateFIDO2Device adds a security key (resource.FIDO2SecurityKey) or a
// passkey (resource.FIDO2Platform) to sub; the server answers it
// ACTIVATION_REQUIRED with the creation options for the browser.
func (c *Client) CreateFIDO2Device(ctx context.Context, sub, accessToken, kind string) (resource.Device, error) {
	var out resource.Device
	err := c.send(ctx, "POST", paths.Build(paths.Devices, c.env, sub), accessToken, paths.JSON,
		NewFIDO2Device{Type: resource.DeviceFIDO2, Kind: kind}, &out)
	return out, wrap("create device", err)
}

// ActivateFIDO2Device pairs a pending FIDO2 device with the attestation
// (the PublicKeyCredential JSON) the browser made at origin.
func (c *Client) ActivateFIDO2Device(ctx context.Context, sub, accessToken, deviceID, attestation, origin string) (resource.Device, error) {
	var out resource.Device
	err := c.send(ctx, "POST", paths.Build(paths.Device, c.env, sub, deviceID), accessToken, paths.ActionDeviceActivate,
		resource.FIDO2Activate{Attestation: attestation, Origin: origin}, &out)
	return out, wrap("activate device", err)
}
