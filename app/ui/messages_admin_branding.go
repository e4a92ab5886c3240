package ui

// The admin console's branding section.
const (
	MsgAdminBranding            Msg = "admin.branding.title"
	MsgAdminBrandingName        Msg = "admin.branding.name"
	MsgAdminBrandingBrand       Msg = "admin.branding.brand"
	MsgAdminBrandingText        Msg = "admin.branding.text"
	MsgAdminBrandingBackground  Msg = "admin.branding.background"
	MsgAdminBrandingColourHint  Msg = "admin.branding.colourhint"
	MsgAdminBrandingPreview     Msg = "admin.branding.preview"
	MsgAdminBrandingFooter      Msg = "admin.branding.footer"
	MsgAdminBrandingSave        Msg = "admin.branding.save"
	MsgAdminBrandingSaved       Msg = "admin.branding.saved"
	MsgAdminBrandingBadColour   Msg = "admin.branding.badcolour"
	MsgAdminBrandingContrast    Msg = "admin.branding.contrast"
	MsgAdminBrandingFooterLong  Msg = "admin.branding.footerlong"
	MsgAdminBrandingLogo        Msg = "admin.branding.logo"
	MsgAdminBrandingNoLogo      Msg = "admin.branding.nologo"
	MsgAdminBrandingLogoFile    Msg = "admin.branding.logofile"
	MsgAdminBrandingLogoHint    Msg = "admin.branding.logohint"
	MsgAdminBrandingLogoRemove  Msg = "admin.branding.logoremove"
	MsgAdminBrandingLogoSaved   Msg = "admin.branding.logosaved"
	MsgAdminBrandingLogoRemoved Msg = "admin.branding.logoremoved"
	MsgAdminBrandingLogoTooBig  Msg = "admin.branding.logotoobig"
	MsgAdminBrandingDisplay     Msg = "admin.branding.display"
	MsgAdminBrandingApplyTheme  Msg = "admin.branding.applytheme"
	MsgAdminBrandingShowFooter  Msg = "admin.branding.showfooter"
)

var adminBrandingMessages = map[Msg]string{
	MsgAdminBranding:            "Branding",
	MsgAdminBrandingName:        "Company name",
	MsgAdminBrandingBrand:       "Brand colour",
	MsgAdminBrandingText:        "Text on the brand colour",
	MsgAdminBrandingBackground:  "Page background",
	MsgAdminBrandingColourHint:  "#rrggbb, or empty for the default.",
	MsgAdminBrandingPreview:     "Preview of the brand colours",
	MsgAdminBrandingFooter:      "Footer text",
	MsgAdminBrandingSave:        "Save branding",
	MsgAdminBrandingSaved:       "Saved.",
	MsgAdminBrandingBadColour:   "Colours must be in the form #rrggbb.",
	MsgAdminBrandingContrast:    "The text colour does not contrast enough with the brand colour (at least 4.5:1).",
	MsgAdminBrandingFooterLong:  "The footer must be plain text of at most 500 characters.",
	MsgAdminBrandingLogo:        "Logo",
	MsgAdminBrandingNoLogo:      "No logo.",
	MsgAdminBrandingLogoFile:    "Upload a logo",
	MsgAdminBrandingLogoHint:    "PNG, JPEG, WebP or GIF; at most 512 KB and 1024×1024 pixels.",
	MsgAdminBrandingLogoRemove:  "Remove logo",
	MsgAdminBrandingLogoSaved:   "Logo uploaded.",
	MsgAdminBrandingLogoRemoved: "Logo removed.",
	MsgAdminBrandingLogoTooBig:  "The file is larger than 512 KB.",
	MsgAdminBrandingDisplay:     "Where it shows",
	MsgAdminBrandingApplyTheme:  "Apply active theme (logo, name and colours on the sign-on page, MyAccount and the portal)",
	MsgAdminBrandingShowFooter:  "Show footer",
}
