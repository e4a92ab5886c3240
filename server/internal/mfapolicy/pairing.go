package mfapolicy

import (
	"slices"

	"github.com/myaccount/myaccount/server/internal/store"
	"github.com/myaccount/myaccount/shared/resource"
)

// Pairable lists the device types a user may pair under the MFA settings,
// in Methods() order: those the settings list, and EMAIL always (email
// stays available for pairing even when an administrator leaves it out,
// the "weakest method" rule). Device authentication policies decide what
// an MFA step may challenge, not what may be paired.
func Pairable(s store.MFASettings) []string {
	out := []string{}
	for _, m := range Methods() {
		if m == resource.DeviceEmail || slices.Contains(s.Methods, m) {
			out = append(out, m)
		}
	}
	return out
}
