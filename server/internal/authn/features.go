package authn

import (
	"slices"

	"github.com/myaccount/myaccount/server/internal/grant"
	"github.com/myaccount/myaccount/server/internal/store"
	"github.com/myaccount/myaccount/shared/apierr"
)

// dropFeaturesOff removes from a user token's scopes those whose
// self-service feature is switched off in the environment now. Scopes are
// decided when the token is issued (grant); without this a token issued
// before an administrator turned a feature off would keep working until
// it expires. Every self-service check (Self) reads the scopes, so this
// one place covers every feature and endpoint; administrators' role-based
// access does not depend on scopes and is not affected.
func dropFeaturesOff(p *Principal, s store.SelfService) {
	off := grant.Off(s)
	for _, sc := range p.Scopes {
		if f, ok := off[sc]; ok {
			if p.FeaturesOff == nil {
				p.FeaturesOff = map[string]string{}
			}
			p.FeaturesOff[sc] = f.Setting
		}
	}
	if len(p.FeaturesOff) > 0 {
		p.Scopes = slices.DeleteFunc(slices.Clone(p.Scopes), func(sc string) bool {
			_, gone := p.FeaturesOff[sc]
			return gone
		})
	}
}

// FeatureOff is the 403 of a user's own request whose self-service feature
// (setting, the selfService switch) is switched off.
func FeatureOff(setting string) error {
	return apierr.New(403, apierr.InsufficientPermission, "This self-service feature is turned off in this environment.",
		apierr.Field(apierr.DetailFeatureDisabled, setting,
			"An administrator turned off "+setting+" in the environment's self-service settings."))
}
