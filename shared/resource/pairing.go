package resource

// AppPairing is the pairing rules of an environment as the MyAccount PWA
// needs them (config.json's pairing): which method types a user may add,
// whether adding is turned off, and whether to ask for a nickname.
type AppPairing struct {
	// Disabled: a user may pair only a first method (none ACTIVE or
	// BLOCKED yet); the PWA then hides "Add method".
	Disabled bool `json:"disabled"`
	// PromptForNickname: the add forms ask for an optional nickname.
	PromptForNickname bool `json:"promptForNickname"`
	// Methods are the device types a user may create, in display order:
	// EMAIL always, the others while mfaSettings.methods lists them.
	Methods []string `json:"methods"`
}
