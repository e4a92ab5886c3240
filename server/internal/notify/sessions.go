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
	subject = "New sign-on to your MyAccount account"
	if device == "" {
		device = "An unknown browser"
	}
	text = fmt.Sprintf("Your MyAccount account was just signed on to from a device or place it was not used from recently:\n\n"+
		"  %s\n  Address: %s\n  Time: %s\n\n"+
		"If this was you, there is nothing to do.\n\n"+
		"If it was not you, someone knows your password and passed your second factor. "+
		"This wasn't me: open %s , sign on and choose \"Secure my account\": it signs every other session off "+
		"and makes you choose a new password.\n", device, ip, at.UTC().Format("2 Jan 2006 15:04 MST"), secureURL)
	return subject, text
}

// AccountSecuredNotice confirms "Secure my account" to the account's
// address, so an owner who did not ask for it hears of it at once.
func AccountSecuredNotice(sessionsEnded int, frozenUntil time.Time, myAccountURL string) (subject, text string) {
	subject = "Your MyAccount account was secured"
	text = fmt.Sprintf("\"Secure my account\" was used on your MyAccount account: %s signed off, "+
		"the next sign-on asks for a new password, and sign-on methods cannot be changed until %s "+
		"except by an administrator.\n\n"+
		"If this was not you, contact your administrator. MyAccount: %s\n",
		sessionsText(sessionsEnded), frozenUntil.UTC().Format("2 Jan 2006 15:04 MST"), myAccountURL)
	return subject, text
}

func sessionsText(n int) string {
	if n == 1 {
		return "1 other session was"
	}
	return fmt.Sprintf("%d other sessions were", n)
}
