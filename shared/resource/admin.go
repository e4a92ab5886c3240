package resource

// UserEnabled is PingOne's users/{id}/enabled resource.
type UserEnabled struct {
	Links   Links `json:"_links,omitempty"`
	Enabled bool  `json:"enabled"`
}

// ApplicationSecret is PingOne's applications/{id}/secret resource: the
// worker's client secret, answered only by the rotation that made it.
type ApplicationSecret struct {
	Links  Links  `json:"_links,omitempty"`
	Secret string `json:"secret"`
}
