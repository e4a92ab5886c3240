package manage

import (
	"encoding/base64"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/myaccount/myaccount/shared/apierr"
	"github.com/myaccount/myaccount/shared/valid"
)

// The user list's filter is the one SCIM comparison an administrator's
// search needs and an index serves: `username sw "<prefix>"` (keyword and
// attribute in any case). Anything else is refused, so no filter ever
// reads a whole environment.
var userFilter = regexp.MustCompile(`(?i)^\s*username\s+sw\s+("(?:[^"\\]|\\.)*")\s*$`)

// parseUserFilter returns the username prefix of a user list's filter.
func parseUserFilter(f string) (string, error) {
	bad := func(why string) error {
		return apierr.Invalid("The request has an invalid query parameter.",
			apierr.Field(apierr.DetailInvalidValue, "filter", "filter "+why+"."))
	}
	m := userFilter.FindStringSubmatch(f)
	if m == nil {
		return "", bad(`must be username sw "<prefix>"`)
	}
	prefix, err := strconv.Unquote(m[1])
	if err != nil || utf8.RuneCountInString(prefix) > valid.MaxUsername {
		return "", bad("has an invalid value")
	}
	// Usernames are stored lower-case.
	return strings.ToLower(prefix), nil
}

// A filtered list pages by username: its cursor is the last username
// listed, marked so that it is never taken for an id cursor.
const usernameCursorMark = "username:"

func encodeUsernameCursor(username string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(usernameCursorMark + username))
}

func decodeUsernameCursor(s string) (string, error) {
	if s == "" {
		return "", nil
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	name, ok := strings.CutPrefix(string(b), usernameCursorMark)
	if err != nil || !ok || valid.Username(name) != nil {
		return "", errForeignCursor
	}
	return name, nil
}
