package ui

// The admin console's Applications, Identity providers, Agreements and
// Environments sections (admin_apps.go, admin_idps.go,
// admin_agreements.go, admin_envs.go).
const (
	MsgConUnsupported         Msg = "admin.conapps.unsupported"
	MsgConNameRequired        Msg = "admin.conapps.name.required"
	MsgConOpen                Msg = "admin.conapps.open"
	MsgConBack                Msg = "admin.conapps.back"
	MsgConCreate              Msg = "admin.conapps.create"
	MsgConSave                Msg = "admin.conapps.save"
	MsgConSaved               Msg = "admin.conapps.saved"
	MsgConAdd                 Msg = "admin.conapps.add"
	MsgConEdit                Msg = "admin.conapps.edit"
	MsgConDelete              Msg = "admin.conapps.delete"
	MsgConName                Msg = "admin.conapps.name"
	MsgConDescription         Msg = "admin.conapps.description"
	MsgConID                  Msg = "admin.conapps.id"
	MsgConStatus              Msg = "admin.conapps.status"
	MsgConEnabled             Msg = "admin.conapps.enabled"
	MsgConDisabled            Msg = "admin.conapps.disabled"
	MsgConEnable              Msg = "admin.conapps.enable"
	MsgConDisable             Msg = "admin.conapps.disable"
	MsgConAgreements          Msg = "admin.conapps.ag"
	MsgConAgHint              Msg = "admin.conapps.ag.hint"
	MsgConAgEmpty             Msg = "admin.conapps.ag.empty"
	MsgConAgNew               Msg = "admin.conapps.ag.new"
	MsgConAgCreated           Msg = "admin.conapps.ag.created"
	MsgConAgDeleted           Msg = "admin.conapps.ag.deleted"
	MsgConAgDeleteQ           Msg = "admin.conapps.ag.deleteq"
	MsgConAgLanguages         Msg = "admin.conapps.ag.languages"
	MsgConAgNoLanguages       Msg = "admin.conapps.ag.nolanguages"
	MsgConAgAddLanguage       Msg = "admin.conapps.ag.addlanguage"
	MsgConAgLanguageAdded     Msg = "admin.conapps.ag.languageadded"
	MsgConAgLocale            Msg = "admin.conapps.ag.locale"
	MsgConAgLocaleHint        Msg = "admin.conapps.ag.localehint"
	MsgConAgLocaleRequired    Msg = "admin.conapps.ag.localerequired"
	MsgConAgNoRevision        Msg = "admin.conapps.ag.norevision"
	MsgConAgCurrent           Msg = "admin.conapps.ag.current"
	MsgConAgRevisions         Msg = "admin.conapps.ag.revisions"
	MsgConAgRevisionsOf       Msg = "admin.conapps.ag.revisionsof"
	MsgConAgNoRevisions       Msg = "admin.conapps.ag.norevisions"
	MsgConAgAddRevision       Msg = "admin.conapps.ag.addrevision"
	MsgConAgRevisionAdded     Msg = "admin.conapps.ag.revisionadded"
	MsgConAgText              Msg = "admin.conapps.ag.text"
	MsgConAgTextRequired      Msg = "admin.conapps.ag.textrequired"
	MsgConAgContentType       Msg = "admin.conapps.ag.contenttype"
	MsgConAgPlain             Msg = "admin.conapps.ag.plain"
	MsgConAgHTML              Msg = "admin.conapps.ag.html"
	MsgConAgEffectiveAt       Msg = "admin.conapps.ag.effectiveat"
	MsgConAgEffectiveHint     Msg = "admin.conapps.ag.effectivehint"
	MsgConAgBadTime           Msg = "admin.conapps.ag.badtime"
	MsgConAgRequireReconsent  Msg = "admin.conapps.ag.requirereconsent"
	MsgConAgReconsent         Msg = "admin.conapps.ag.reconsent"
	MsgConAgEffective         Msg = "admin.conapps.ag.effective"
	MsgConApplications        Msg = "admin.conapps.app"
	MsgConAppHint             Msg = "admin.conapps.app.hint"
	MsgConAppEmpty            Msg = "admin.conapps.app.empty"
	MsgConAppMyAccount        Msg = "admin.conapps.app.myaccount"
	MsgConAppNewOIDC          Msg = "admin.conapps.app.newoidc"
	MsgConAppNewWorker        Msg = "admin.conapps.app.newworker"
	MsgConAppEdit             Msg = "admin.conapps.app.edit"
	MsgConAppCreated          Msg = "admin.conapps.app.created"
	MsgConAppDeleted          Msg = "admin.conapps.app.deleted"
	MsgConAppDeleteQ          Msg = "admin.conapps.app.deleteq"
	MsgConAppRotate           Msg = "admin.conapps.app.rotate"
	MsgConAppRotateQ          Msg = "admin.conapps.app.rotateq"
	MsgConAppRotated          Msg = "admin.conapps.app.rotated"
	MsgConAppSecretOnce       Msg = "admin.conapps.app.secretonce"
	MsgConAppCopy             Msg = "admin.conapps.app.copy"
	MsgConAppCopied           Msg = "admin.conapps.app.copied"
	MsgConAppSecretDone       Msg = "admin.conapps.app.secretdone"
	MsgConAppClientID         Msg = "admin.conapps.app.clientid"
	MsgConAppType             Msg = "admin.conapps.app.type"
	MsgConAppTypeHint         Msg = "admin.conapps.app.typehint"
	MsgConAppWorker           Msg = "admin.conapps.app.worker"
	MsgConAppSPA              Msg = "admin.conapps.app.spa"
	MsgConAppWeb              Msg = "admin.conapps.app.web"
	MsgConAppNative           Msg = "admin.conapps.app.native"
	MsgConAppAuthMethod       Msg = "admin.conapps.app.authmethod"
	MsgConAppPKCE             Msg = "admin.conapps.app.pkce"
	MsgConAppPKCEHint         Msg = "admin.conapps.app.pkcehint"
	MsgConAppRedirects        Msg = "admin.conapps.app.redirects"
	MsgConAppRedirectsHint    Msg = "admin.conapps.app.redirectshint"
	MsgConAppRedirectRequired Msg = "admin.conapps.app.redirectrequired"
	MsgConAppStartRequired    Msg = "admin.conapps.app.startrequired"
	MsgConAppRoles            Msg = "admin.conapps.app.roles"
	MsgConAppNoRoles          Msg = "admin.conapps.app.noroles"
	MsgConAppRoleOver         Msg = "admin.conapps.app.roleover"
	MsgConAppRolesOver        Msg = "admin.conapps.app.rolesover"
	MsgConAppRoleRequired     Msg = "admin.conapps.app.rolerequired"
	MsgConAppEveryEnv         Msg = "admin.conapps.app.everyenv"
	MsgConAppWorkerHint       Msg = "admin.conapps.app.workerhint"
	MsgConAppPortal           Msg = "admin.conapps.app.portal"
	MsgConAppPortalShow       Msg = "admin.conapps.app.portalshow"
	MsgConAppPortalTile       Msg = "admin.conapps.app.portaltile"
	MsgConAppPortalShown      Msg = "admin.conapps.app.portalshown"
	MsgConAppPortalHidden     Msg = "admin.conapps.app.portalhidden"
	MsgConAppPortalName       Msg = "admin.conapps.app.portalname"
	MsgConAppPortalIcon       Msg = "admin.conapps.app.portalicon"
	MsgConAppPortalStart      Msg = "admin.conapps.app.portalstart"
	MsgConAppResources        Msg = "admin.conapps.app.resources"
	MsgConAppReducedScopes    Msg = "admin.conapps.app.reducedscopes"
	MsgConAppReducedHint      Msg = "admin.conapps.app.reducedhint"
	MsgConAppPolicies         Msg = "admin.conapps.app.policies"
	MsgConAppPoliciesUnread   Msg = "admin.conapps.app.policiesunread"
	MsgConAppPolicyPassword   Msg = "admin.conapps.app.policypassword"
	MsgConAppPolicyMFA        Msg = "admin.conapps.app.policymfa"
	MsgConAppPolicyCovers     Msg = "admin.conapps.app.policycovers"
	MsgConAppPolicyNotCovers  Msg = "admin.conapps.app.policynotcovers"
	MsgConIdps                Msg = "admin.conapps.idp"
	MsgConIdpHint             Msg = "admin.conapps.idp.hint"
	MsgConIdpEmpty            Msg = "admin.conapps.idp.empty"
	MsgConIdpNew              Msg = "admin.conapps.idp.new"
	MsgConIdpEdit             Msg = "admin.conapps.idp.edit"
	MsgConIdpSaved            Msg = "admin.conapps.idp.saved"
	MsgConIdpDeleted          Msg = "admin.conapps.idp.deleted"
	MsgConIdpDeleteQ          Msg = "admin.conapps.idp.deleteq"
	MsgConIdpIssuer           Msg = "admin.conapps.idp.issuer"
	MsgConIdpIssuerRequired   Msg = "admin.conapps.idp.issuerrequired"
	MsgConIdpClientID         Msg = "admin.conapps.idp.clientid"
	MsgConIdpClientIDRequired Msg = "admin.conapps.idp.clientidrequired"
	MsgConIdpClientLine       Msg = "admin.conapps.idp.clientline"
	MsgConIdpSecret           Msg = "admin.conapps.idp.secret"
	MsgConIdpReplaceSecret    Msg = "admin.conapps.idp.replacesecret"
	MsgConIdpSecretNow        Msg = "admin.conapps.idp.secretnow"
	MsgConIdpSecretSet        Msg = "admin.conapps.idp.secretset"
	MsgConIdpSecretNotSet     Msg = "admin.conapps.idp.secretnotset"
	MsgConIdpRemoveSecret     Msg = "admin.conapps.idp.removesecret"
	MsgConIdpScopes           Msg = "admin.conapps.idp.scopes"
	MsgConIdpOpenID           Msg = "admin.conapps.idp.openid"
	MsgConIdpMapping          Msg = "admin.conapps.idp.mapping"
	MsgConIdpMapEmail         Msg = "admin.conapps.idp.mapemail"
	MsgConIdpMapGiven         Msg = "admin.conapps.idp.mapgiven"
	MsgConIdpMapFamily        Msg = "admin.conapps.idp.mapfamily"
	MsgConIdpCreateUsers      Msg = "admin.conapps.idp.createusers"
	MsgConEnvironments        Msg = "admin.conapps.env"
	MsgConEnvHint             Msg = "admin.conapps.env.hint"
	MsgConEnvNew              Msg = "admin.conapps.env.new"
	MsgConEnvType             Msg = "admin.conapps.env.type"
	MsgConEnvSandbox          Msg = "admin.conapps.env.sandbox"
	MsgConEnvProduction       Msg = "admin.conapps.env.production"
	MsgConEnvTypeRequired     Msg = "admin.conapps.env.typerequired"
	MsgConEnvCreated          Msg = "admin.conapps.env.created"
	MsgConEnvRename           Msg = "admin.conapps.env.rename"
	MsgConEnvNewName          Msg = "admin.conapps.env.newname"
	MsgConEnvRenamed          Msg = "admin.conapps.env.renamed"
	MsgConEnvDeleted          Msg = "admin.conapps.env.deleted"
	MsgConEnvDeleteQ          Msg = "admin.conapps.env.deleteq"
	MsgConEnvTypeName         Msg = "admin.conapps.env.typename"
	MsgConEnvAdministrators   Msg = "admin.conapps.env.administrators"
)

var adminConappsMessages = map[Msg]string{
	MsgConUnsupported:         "This server does not support this yet.",
	MsgConNameRequired:        "Enter a name.",
	MsgConOpen:                "Open",
	MsgConBack:                "Back to the list",
	MsgConCreate:              "Create",
	MsgConSave:                "Save",
	MsgConSaved:               "Saved.",
	MsgConAdd:                 "Add",
	MsgConEdit:                "Edit",
	MsgConDelete:              "Delete",
	MsgConName:                "Name",
	MsgConDescription:         "Description",
	MsgConID:                  "ID",
	MsgConStatus:              "Status",
	MsgConEnabled:             "Enabled",
	MsgConDisabled:            "Disabled",
	MsgConEnable:              "Enable",
	MsgConDisable:             "Disable",
	MsgConAgreements:          "Agreements",
	MsgConAgHint:              "Terms users consent to at sign-on: one language per locale, each with revisions that take effect at a date and time.",
	MsgConAgEmpty:             "No agreements.",
	MsgConAgNew:               "New agreement",
	MsgConAgCreated:           "Agreement created. Add a language and a revision, then enable it.",
	MsgConAgDeleted:           "Agreement %s deleted.",
	MsgConAgDeleteQ:           "Delete the agreement %s with its languages and revisions? Users' consents to it stop mattering.",
	MsgConAgLanguages:         "Languages",
	MsgConAgNoLanguages:       "No languages yet.",
	MsgConAgAddLanguage:       "Add a language",
	MsgConAgLanguageAdded:     "Language %s added.",
	MsgConAgLocale:            "Locale",
	MsgConAgLocaleHint:        "A language tag such as en, fr or fr-CA.",
	MsgConAgLocaleRequired:    "Enter a locale.",
	MsgConAgNoRevision:        "No revision in effect.",
	MsgConAgCurrent:           "Revision in effect: %s",
	MsgConAgRevisions:         "Revisions",
	MsgConAgRevisionsOf:       "Revisions (%s)",
	MsgConAgNoRevisions:       "No revisions yet.",
	MsgConAgAddRevision:       "Add a revision",
	MsgConAgRevisionAdded:     "Revision added.",
	MsgConAgText:              "Text",
	MsgConAgTextRequired:      "Enter the agreement's text.",
	MsgConAgContentType:       "Format",
	MsgConAgPlain:             "Plain text",
	MsgConAgHTML:              "HTML (sanitised by the server)",
	MsgConAgEffectiveAt:       "Takes effect at (UTC)",
	MsgConAgEffectiveHint:     "Leave empty for now.",
	MsgConAgBadTime:           "Enter the date and time as YYYY-MM-DDTHH:MM.",
	MsgConAgRequireReconsent:  "Users who consented to an earlier revision must consent again",
	MsgConAgReconsent:         "Consent asked again",
	MsgConAgEffective:         "Effective %s · %s",
	MsgConApplications:        "Applications",
	MsgConAppHint:             "The environment's OAuth clients: the MyAccount application, OIDC applications users sign on to, and worker applications for the management API.",
	MsgConAppEmpty:            "No applications.",
	MsgConAppMyAccount:        "MyAccount",
	MsgConAppNewOIDC:          "New OIDC application",
	MsgConAppNewWorker:        "New worker application",
	MsgConAppEdit:             "Edit %s",
	MsgConAppCreated:          "Application created.",
	MsgConAppDeleted:          "Application %s deleted.",
	MsgConAppDeleteQ:          "Delete %s? Its tokens stop working at once.",
	MsgConAppRotate:           "Rotate the client secret",
	MsgConAppRotateQ:          "Make a new client secret for %s? The current one stops working at once.",
	MsgConAppRotated:          "New client secret made.",
	MsgConAppSecretOnce:       "The client secret, shown this once: copy it now. It cannot be shown again.",
	MsgConAppCopy:             "Copy",
	MsgConAppCopied:           "Copied.",
	MsgConAppSecretDone:       "I have copied it",
	MsgConAppClientID:         "Client ID",
	MsgConAppType:             "Type",
	MsgConAppTypeHint:         "Single-page and native applications are public clients; a web application is confidential and gets a client secret.",
	MsgConAppWorker:           "Worker",
	MsgConAppSPA:              "Single-page app (public)",
	MsgConAppWeb:              "Web app (confidential)",
	MsgConAppNative:           "Native app (public)",
	MsgConAppAuthMethod:       "Token endpoint authentication",
	MsgConAppPKCE:             "PKCE",
	MsgConAppPKCEHint:         "The authorization code flow always requires PKCE with S256.",
	MsgConAppRedirects:        "Redirect URIs",
	MsgConAppRedirectsHint:    "One absolute URL per line; compared exactly.",
	MsgConAppRedirectRequired: "Enter at least one redirect URI.",
	MsgConAppStartRequired:    "A tile shown in the portal needs a start URL.",
	MsgConAppRoles:            "Roles",
	MsgConAppNoRoles:          "No roles.",
	MsgConAppRoleOver:         "%s over %s",
	MsgConAppRolesOver:        "Roles over %s",
	MsgConAppRoleRequired:     "Choose at least one role.",
	MsgConAppEveryEnv:         "every environment",
	MsgConAppWorkerHint:       "A worker signs on with client credentials (its client ID and secret) and calls the management API with the roles it holds.",
	MsgConAppPortal:           "Application portal",
	MsgConAppPortalShow:       "Show a tile in the application portal",
	MsgConAppPortalTile:       "Tile",
	MsgConAppPortalShown:      "Shown",
	MsgConAppPortalHidden:     "Hidden",
	MsgConAppPortalName:       "Tile name",
	MsgConAppPortalIcon:       "Tile icon URL",
	MsgConAppPortalStart:      "Start URL",
	MsgConAppResources:        "Resources",
	MsgConAppReducedScopes:    "Allow user actions according to granted authentication scopes",
	MsgConAppReducedHint:      "On, a session that has not completed MFA gets read-only scopes; MFA gives the full set. Manage PingID devices via MyAccount turns this on.",
	MsgConAppPolicies:         "Policies",
	MsgConAppPoliciesUnread:   "Your role cannot read this environment's policies.",
	MsgConAppPolicyPassword:   "Password only",
	MsgConAppPolicyMFA:        "Password and MFA",
	MsgConAppPolicyCovers:     "Covers MyAccount's device management",
	MsgConAppPolicyNotCovers:  "Does not cover MyAccount",
	MsgConIdps:                "Identity providers",
	MsgConIdpHint:             "External OpenID Connect providers users may sign on with and link to their account.",
	MsgConIdpEmpty:            "No identity providers.",
	MsgConIdpNew:              "New identity provider",
	MsgConIdpEdit:             "Edit %s",
	MsgConIdpSaved:            "%s saved.",
	MsgConIdpDeleted:          "Identity provider deleted.",
	MsgConIdpDeleteQ:          "Delete %s? Accounts linked to it can no longer sign on with it.",
	MsgConIdpIssuer:           "Issuer URL",
	MsgConIdpIssuerRequired:   "Enter the issuer URL.",
	MsgConIdpClientID:         "Client ID",
	MsgConIdpClientIDRequired: "Enter the client ID.",
	MsgConIdpClientLine:       "Client ID %s · client secret %s",
	MsgConIdpSecret:           "Client secret",
	MsgConIdpReplaceSecret:    "New client secret (leave empty to keep the current one)",
	MsgConIdpSecretNow:        "Client secret: %s",
	MsgConIdpSecretSet:        "set",
	MsgConIdpSecretNotSet:     "not set",
	MsgConIdpRemoveSecret:     "Remove the client secret",
	MsgConIdpScopes:           "Scopes (separated by spaces; openid is required)",
	MsgConIdpOpenID:           "The scopes must include openid.",
	MsgConIdpMapping:          "Claims that fill a new user's attributes",
	MsgConIdpMapEmail:         "Email claim",
	MsgConIdpMapGiven:         "Given name claim",
	MsgConIdpMapFamily:        "Family name claim",
	MsgConIdpCreateUsers:      "Create users who sign on for the first time",
	MsgConEnvironments:        "Environments",
	MsgConEnvHint:             "Every environment you hold a role over. Creating and deleting environments needs Environment Admin over every environment.",
	MsgConEnvNew:              "New environment",
	MsgConEnvType:             "Type",
	MsgConEnvSandbox:          "Sandbox",
	MsgConEnvProduction:       "Production",
	MsgConEnvTypeRequired:     "Choose Sandbox or Production.",
	MsgConEnvCreated:          "Environment %s created.",
	MsgConEnvRename:           "Rename",
	MsgConEnvNewName:          "New name",
	MsgConEnvRenamed:          "Renamed to %s.",
	MsgConEnvDeleted:          "Environment %s deleted.",
	MsgConEnvDeleteQ:          "Delete %s? Its users can no longer sign on, and its applications stop working.",
	MsgConEnvTypeName:         "Type %s to confirm",
	MsgConEnvAdministrators:   "Administrators",
}
