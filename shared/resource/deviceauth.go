package resource

import "time"

// DeviceAuthentication is one MFA check an application started for a user
// (PingOne's /{envId}/deviceAuthentications): the same statuses and actions
// as a sign-on flow's MFA step, without a browser.
type DeviceAuthentication struct {
	Links          Links                `json:"_links"`
	Embedded       *DeviceAuthNEmbedded `json:"_embedded,omitempty"`
	ID             string               `json:"id"`
	Environment    Ref                  `json:"environment"`
	User           Ref                  `json:"user"`
	Application    Ref                  `json:"application"`
	Policy         *Ref                 `json:"policy,omitempty"`
	Status         string               `json:"status"`
	SelectedDevice *Ref                 `json:"selectedDevice,omitempty"`
	Error          *DeviceAuthNError    `json:"error,omitempty"`
	AMR            []string             `json:"authenticationMethods,omitempty"`
	OneTime        *OneTimeDevice       `json:"oneTime,omitempty"`
	// PublicKeyCredentialRequestOptions is the WebAuthn request (a JSON
	// string) while the status is ASSERTION_REQUIRED.
	PublicKeyCredentialRequestOptions string    `json:"publicKeyCredentialRequestOptions,omitempty"`
	CreatedAt                         time.Time `json:"createdAt"`
	UpdatedAt                         time.Time `json:"updatedAt"`
	ExpiresAt                         time.Time `json:"expiresAt"`
}

// DeviceAuthNEmbedded lists the devices a device authentication may
// challenge (targets masked).
type DeviceAuthNEmbedded struct {
	Devices []Device `json:"devices,omitempty"`
}

// DeviceAuthNError says why a device authentication FAILED
// (code NO_USABLE_DEVICES when the user has nothing to challenge).
type DeviceAuthNError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// OneTimeDevice is a target that receives a passcode without being paired
// (selectedDevice.oneTime in the create body; masked in responses).
type OneTimeDevice struct {
	Type  string `json:"type"`
	Email string `json:"email,omitempty"`
	Phone string `json:"phone,omitempty"`
}

// DeviceAuthNCreate is the body of POST /{envId}/deviceAuthentications.
type DeviceAuthNCreate struct {
	User           Ref                `json:"user"`
	Policy         *Ref               `json:"policy,omitempty"` // a deviceAuthenticationPolicy; the default when absent
	SelectedDevice *DeviceAuthNSelect `json:"selectedDevice,omitempty"`
}

// DeviceAuthNSelect chooses the device up front: a paired device by id, or
// a one-time target.
type DeviceAuthNSelect struct {
	ID      string         `json:"id,omitempty"`
	OneTime *OneTimeDevice `json:"oneTime,omitempty"`
}
