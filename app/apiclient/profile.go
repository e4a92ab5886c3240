package apiclient

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/myaccount/myaccount/shared/paths"
	"github.com/myaccount/myaccount/shared/resource"
)

// Profile is a user as read or written, with the ETag (the record's
// version) that a later write sends back as If-Match.
type Profile struct {
	User resource.User
	ETag string
}

// GetProfile reads the signed-on user (sub) and its ETag.
func (c *Client) GetProfile(ctx context.Context, sub, accessToken string) (Profile, error) {
	p, err := c.profileCall(ctx, "GET", sub, accessToken, "", "", nil)
	return p, wrap("get user", err)
}

// PatchProfile sends a JSON merge patch of sub's attributes (nil values
// clear), guarded by etag: a record that changed since is a 412 CONFLICT
// (see IsConflict).
func (c *Client) PatchProfile(ctx context.Context, sub, accessToken, etag string, patch map[string]any) (Profile, error) {
	b, err := json.Marshal(patch)
	if err != nil {
		return Profile{}, fmt.Errorf("encode patch: %w", err)
	}
	p, err := c.profileCall(ctx, "PATCH", sub, accessToken, etag, paths.JSON, b)
	return p, wrap("update user", err)
}

// VerifyContact confirms the pending email or phone change with its code.
func (c *Client) VerifyContact(ctx context.Context, sub, accessToken, code string) (Profile, error) {
	b, err := json.Marshal(resource.VerificationCode{VerificationCode: code})
	if err != nil {
		return Profile{}, fmt.Errorf("encode code: %w", err)
	}
	p, err := c.profileCall(ctx, "POST", sub, accessToken, "", paths.ActionUserVerify, b)
	return p, wrap("verify contact", err)
}

// ResendContactCode asks for a new code for the pending change.
func (c *Client) ResendContactCode(ctx context.Context, sub, accessToken string) error {
	_, err := c.profileCall(ctx, "POST", sub, accessToken, "", paths.ActionUserSendVerificationCode, []byte("{}"))
	return wrap("resend contact code", err)
}

// CancelContactChange drops the pending change.
func (c *Client) CancelContactChange(ctx context.Context, sub, accessToken string) (Profile, error) {
	p, err := c.profileCall(ctx, "POST", sub, accessToken, "", paths.ActionUserCancelVerification, []byte("{}"))
	return p, wrap("cancel contact change", err)
}

// IsConflict reports whether err says the record changed since it was
// read (412, or a 409 when the server kept losing races).
func IsConflict(err error) bool {
	e, ok := AsAPIError(err)
	return ok && (e.Status == 412 || e.Status == 409)
}

// profileCall sends one request on sub's user and reads the user and ETag
// from a 200 (a 204 leaves them empty).
func (c *Client) profileCall(ctx context.Context, method, sub, accessToken, ifMatch, mediaType string, body []byte) (Profile, error) {
	h := bearer(accessToken)
	h["Accept"] = paths.JSON
	if mediaType != "" {
		h["Content-Type"] = mediaType
	}
	if ifMatch != "" {
		h["If-Match"] = ifMatch
	}
	res, err := c.tr.Do(ctx, Request{Method: method, URL: c.base + paths.Build(paths.User, c.env, sub), Header: h, Body: body})
	if err != nil {
		return Profile{}, err
	}
	if res.Status < 200 || res.Status > 299 {
		return Profile{}, decodeError(res, false)
	}
	out := Profile{ETag: res.Get("ETag")}
	if len(res.Body) > 0 {
		if err := json.Unmarshal(res.Body, &out.User); err != nil {
			return Profile{}, fmt.Errorf("decode %s user answer: %w", method, err)
		}
	}
	return out, nil
}
