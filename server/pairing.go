package server

import (
	"github.com/myaccount/myaccount/server/internal/mfapolicy"
	"github.com/myaccount/myaccount/server/internal/store"
	"github.com/myaccount/myaccount/shared/resource"
)

// appPairing is config.json's pairing block: the rules the management API
// applies to a user's own device writes, for the PWA to offer only what
// will be accepted (the server still enforces them).
func appPairing(s store.MFASettings) *resource.AppPairing {
	return &resource.AppPairing{
		Disabled:          s.PairingDisabled,
		PromptForNickname: s.PromptForNickname,
		Methods:           mfapolicy.Pairable(s),
	}
}
