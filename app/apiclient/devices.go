package apiclient

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/myaccount/myaccount/shared/paths"
	"github.com/myaccount/myaccount/shared/resource"
)

// NewEmailDevice is the body of a user's own email device creation.
type NewEmailDevice struct {
	Type     string `json:"type"`
	Email    string `json:"email"`
	Nickname string `json:"nickname,omitempty"`
}

// CreateEmailDevice adds an email device to sub; the server answers it
// ACTIVATION_REQUIRED and mails a passcode to email.
func (c *Client) CreateEmailDevice(ctx context.Context, sub, accessToken, email string) (resource.Device, error) {
	var out resource.Device
	err := c.send(ctx, "POST", paths.Build(paths.Devices, c.env, sub), accessToken, paths.JSON,
		NewEmailDevice{Type: resource.DeviceEmail, Email: email}, &out)
	return out, wrap("create device", err)
}

// NewTOTPDevice is the body of a user's own authenticator-app device
// creation: nothing to send to, the server makes the secret.
type NewTOTPDevice struct {
	Type     string `json:"type"`
	Nickname string `json:"nickname,omitempty"`
}

// CreateTOTPDevice adds an authenticator-app device to sub; the server
// answers it ACTIVATION_REQUIRED with the secret, key URI and QR image to
// pair the app with.
func (c *Client) CreateTOTPDevice(ctx context.Context, sub, accessToken string) (resource.Device, error) {
	var out resource.Device
	err := c.send(ctx, "POST", paths.Build(paths.Devices, c.env, sub), accessToken, paths.JSON,
		NewTOTPDevice{Type: resource.DeviceTOTP}, &out)
	return out, wrap("create device", err)
}

// GetDevice reads one device; a pending TOTP device comes with its pairing
// material again.
func (c *Client) GetDevice(ctx context.Context, sub, accessToken, deviceID string) (resource.Device, error) {
	var out resource.Device
	err := c.do(ctx, "GET", paths.Build(paths.Device, c.env, sub, deviceID), bearer(accessToken), nil, &out, false)
	return out, wrap("read device", err)
}

// ActivateDevice pairs a pending device with the passcode it was sent.
func (c *Client) ActivateDevice(ctx context.Context, sub, accessToken, deviceID, otp string) (resource.Device, error) {
	var out resource.Device
	err := c.send(ctx, "POST", paths.Build(paths.Device, c.env, sub, deviceID), accessToken, paths.ActionDeviceActivate,
		resource.OTPCheck{OTP: otp}, &out)
	return out, wrap("activate device", err)
}

// ResendDeviceCode asks for a new pairing passcode.
func (c *Client) ResendDeviceCode(ctx context.Context, sub, accessToken, deviceID string) error {
	err := c.send(ctx, "POST", paths.Build(paths.Device, c.env, sub, deviceID), accessToken, paths.ActionDeviceSendCode,
		struct{}{}, nil)
	return wrap("resend device code", err)
}

// RenameDevice sets a device's nickname.
func (c *Client) RenameDevice(ctx context.Context, sub, accessToken, deviceID, nickname string) (resource.Device, error) {
	var out resource.Device
	err := c.send(ctx, "PUT", paths.Build(paths.DeviceNickname, c.env, sub, deviceID), accessToken, paths.JSON,
		struct {
			Nickname string `json:"nickname"`
		}{nickname}, &out)
	return out, wrap("rename device", err)
}

// ReorderDevices sets the order of all of sub's devices (ids, each once)
// and returns the list in its new order; the first ACTIVE is the default.
func (c *Client) ReorderDevices(ctx context.Context, sub, accessToken string, ids []string) ([]resource.Device, error) {
	type ref struct {
		ID string `json:"id"`
	}
	body := struct {
		Order []ref `json:"order"`
	}{Order: make([]ref, 0, len(ids))}
	for _, id := range ids {
		body.Order = append(body.Order, ref{id})
	}
	var out resource.List[resource.Device]
	if err := c.send(ctx, "POST", paths.Build(paths.Devices, c.env, sub), accessToken, paths.ActionDevicesReorder, body, &out); err != nil {
		return nil, wrap("reorder devices", err)
	}
	devices := out.Embedded["devices"]
	if devices == nil {
		devices = []resource.Device{}
	}
	return devices, nil
}

// DeleteDevice removes a device.
func (c *Client) DeleteDevice(ctx context.Context, sub, accessToken, deviceID string) error {
	err := c.do(ctx, "DELETE", paths.Build(paths.Device, c.env, sub, deviceID), bearer(accessToken), nil, nil, false)
	return wrap("delete device", err)
}

// send is do with a bearer token and a JSON body of the given media type.
func (c *Client) send(ctx context.Context, method, path, accessToken, mediaType string, in, out any) error {
	b, err := json.Marshal(in)
	if err != nil {
		return fmt.Errorf("encode body: %w", err)
	}
	h := bearer(accessToken)
	h["Content-Type"] = mediaType
	return c.do(ctx, method, path, h, b, out, false)
}
