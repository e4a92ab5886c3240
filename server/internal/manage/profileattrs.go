package manage

import (
	"github.com/myaccount/myaccount/server/internal/store"
	"github.com/myaccount/myaccount/shared/resource"
)

// readProfileAttributes reads selfService.profileAttributes from a PUT
// body into s. It is optional: absent keeps the setting, null goes back to
// the defaults, an object replaces the setting (attributes it leaves out
// take their defaults).
func readProfileAttributes(o *object, s *store.SelfService) {
	sub, null := o.Object("profileAttributes")
	if null {
		s.ProfileAttributes = nil
		return
	}
	if sub == nil {
		return
	}
	m := map[string]string{}
	for _, name := range resource.ProfileAttributeNames {
		var v string
		if !sub.Has(name) || !sub.String(name, &v, false) {
			continue
		}
		switch {
		case v != resource.AttributeHidden && v != resource.AttributeReadOnly && v != resource.AttributeEditable:
			sub.Fail(name, "must be HIDDEN, READ_ONLY or EDITABLE.")
		case v == resource.AttributeHidden && (name == "username" || name == "email"):
			// Users sign on with one and get their codes and notices at the
			// other: hiding either leaves them unable to follow their account.
			sub.Fail(name, "cannot be HIDDEN.")
		default:
			m[name] = v
		}
	}
	sub.Rest(nil)
	s.ProfileAttributes = m
}
