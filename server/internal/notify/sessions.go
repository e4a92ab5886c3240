package notify

import (
	"fmt"
	"time"
)

// NewSignOnNotice tells the account's e-mail address about a sign-on from
// a browser or a network not seen in the account's recent sign-ons, with
// the "this wasn't me" link (MyAccount's Secure my account). device says
// what signed on ("Chrome on Linux"); it and ip come from the request.
func NewSignOnNotice(device, ip string, at time.Time, secureURL string) (subject, text string) {
	return NewSignOn(device, ip, at, secureURL).Builtin()
}

// AccountSecuredNotice confirms "Secure my account" to the account's
// address, so an owner who did not ask for it hears of it at once.
func AccountSecuredNotice(sessionsEnded int, frozenUntil time.Time, myAccountURL string) (subject, text string) {
	return AccountSecured(sessionsEnded, frozenUntil, myAccountURL).Builtin()
}

func sessionsText(n int) string {
	if n == 1 {
		return "1 other session was"
	}
	return fmt.Sprintf("%d other sessions were", n)
}
