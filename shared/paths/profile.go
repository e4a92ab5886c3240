package paths

// EmailUndo is where the link in an "your email address changed" notice
// leads (our extension): GET shows a page asking to restore the previous
// address, POST (the page's form) restores it. The link carries the user
// id and a one-time token in its query, which access logs leave out.
const EmailUndo = "/:envId/emailChange/undo"

// Media types of the actions on a user (POST to User).
const (
	// ActionUserVerify confirms a pending contact change with its code.
	ActionUserVerify = "application/vnd.pingidentity.user.verify+json"
	// ActionUserSendVerificationCode sends a new code for the pending change.
	ActionUserSendVerificationCode = "application/vnd.pingidentity.user.sendVerificationCode+json"
	// ActionUserCancelVerification drops the pending change (ours).
	ActionUserCancelVerification = "application/vnd.pingidentity.user.cancelVerification+json"
)
