package paths

// Device authentication policies (PingOne's "MFA policies").
const (
	DeviceAuthPolicies = "/v1/environments/:envId/deviceAuthenticationPolicies"
	DeviceAuthPolicy   = "/v1/environments/:envId/deviceAuthenticationPolicies/:policyId"
)

// Media types of the administrators' device actions (POST on a device).
const (
	ActionDeviceBlock   = "application/vnd.pingidentity.device.block+json"
	ActionDeviceUnblock = "application/vnd.pingidentity.device.unblock+json"
)
