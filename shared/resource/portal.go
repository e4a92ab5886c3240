package resource

// AppPortal is the application resource's `portal` object: whether and how
// the application shows as a tile in the application portal
// (/{envId}/myapps/). PingOne spreads the same facts over the application
// (icon.href, homePageUrl/loginPageUrl, hiddenFromAppPortal); here they sit
// together so one PATCH changes a tile.
type AppPortal struct {
	// Show puts the application in the portal of every enabled user of
	// its environment (there are no groups to assign it to).
	Show bool `json:"show"`
	// Name is the tile's label; the application's name when empty.
	Name string `json:"name,omitempty"`
	// IconURL is an https URL or a base64 PNG/SVG data: URL.
	IconURL string `json:"iconUrl,omitempty"`
	// StartURL is what the tile opens: https, or http on localhost.
	StartURL string `json:"startUrl,omitempty"`
}

// PortalApplication is one tile of a user's application portal, as
// GET /v1/environments/{envId}/users/{userId}/applications lists it: no
// secrets, redirect URIs or settings.
type PortalApplication struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	IconURL  string `json:"iconUrl,omitempty"`
	StartURL string `json:"startUrl"`
}
