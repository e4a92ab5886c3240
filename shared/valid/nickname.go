package valid

// MaxNickname bounds a device nickname, in runes (PingOne's limit).
const MaxNickname = 100

// Nickname checks a device nickname: free text of at most MaxNickname
// runes without control characters. Empty is fine: no nickname.
func Nickname(s string) error { return Text(s, MaxNickname) }
