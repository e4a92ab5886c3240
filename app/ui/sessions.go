package ui

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
	"github.com/myaccount/myaccount/app/apiclient"
	"github.com/myaccount/myaccount/shared/apierr"
	"github.com/myaccount/myaccount/shared/resource"
	"github.com/myaccount/myaccount/shared/scope"
)

// The Sessions tab (open sessions, sign one off, sign off all others) and
// the Activity tab (the account's security activity, newest first, by
// kind, with "Secure my account"). Both read with p1:read:sessions; the
// writes need p1:delete:sessions, which reduced scopes keep back until a
// step-up.

// Tab ids, and the fragment that opens "Secure my account" (the link of
// the unfamiliar-sign-on e-mail).
const (
	tabSessions    = "sessions"
	tabActivity    = "activity"
	fragmentSecure = "secure"
)

// Sessions and Activity messages.
const (
	MsgTabActivity            Msg = "tab.activity"
	MsgSessionsTitle          Msg = "sessions.title"
	MsgSessionsExplain        Msg = "sessions.explain"
	MsgSessionsOffline        Msg = "sessions.offline"
	MsgSessionsVerifyExplain  Msg = "sessions.verify.explain"
	MsgSessionsSignOffOthers  Msg = "sessions.signoffOthers"
	MsgSessionsOthersConfirm  Msg = "sessions.signoffOthers.confirm"
	MsgSessionsOthersDone     Msg = "sessions.signoffOthers.done"
	MsgSessionCurrent         Msg = "session.current"
	MsgSessionTimes           Msg = "session.times"
	MsgSessionMethods         Msg = "session.methods"
	MsgSessionEarlier         Msg = "session.earlier"
	MsgSessionSignOff         Msg = "session.signoff"
	MsgSessionSignOffYes      Msg = "session.signoff.yes"
	MsgSessionConfirm         Msg = "session.signoff.confirm"
	MsgSessionDone            Msg = "session.signoff.done"
	MsgSessionGone            Msg = "session.gone"
	MsgAgentOn                Msg = "agent.on"
	MsgAgentBrowser           Msg = "agent.browser"
	MsgAgentUnknown           Msg = "agent.unknown"
	MsgDeviceDesktop          Msg = "session.device.DESKTOP"
	MsgDeviceMobile           Msg = "session.device.MOBILE"
	MsgDeviceTablet           Msg = "session.device.TABLET"
	MsgDeviceBot              Msg = "session.device.BOT"
	MsgDeviceUnknown          Msg = "session.device.UNKNOWN"
	MsgAMRPassword            Msg = "amr.pwd"
	MsgAMRPasscode            Msg = "amr.otp"
	MsgAMRKey                 Msg = "amr.key"
	MsgAMRRecovery            Msg = "amr.rec"
	MsgActivityTitle          Msg = "activity.title"
	MsgActivityExplain        Msg = "activity.explain"
	MsgActivityKinds          Msg = "activity.kinds"
	MsgActivityEmpty          Msg = "activity.empty"
	MsgActivityMore           Msg = "activity.more"
	MsgKindAll                Msg = "activity.kind.all"
	MsgKindSignOn             Msg = "activity.kind.signOn"
	MsgKindMethods            Msg = "activity.kind.methods"
	MsgKindPassword           Msg = "activity.kind.password"
	MsgKindSessions           Msg = "activity.kind.sessions"
	MsgSecureButton           Msg = "secure.button"
	MsgSecureQuestion         Msg = "secure.question"
	MsgSecureEffectSessions   Msg = "secure.effect.sessions"
	MsgSecureEffectPassword   Msg = "secure.effect.password"
	MsgSecureEffectFreeze     Msg = "secure.effect.freeze"
	MsgSecureYes              Msg = "secure.yes"
	MsgSecureVerifyExplain    Msg = "secure.verify.explain"
	MsgSecureDone             Msg = "secure.done"
	MsgSecureDoneOne          Msg = "secure.done.one"
	MsgSecureChangeNow        Msg = "secure.changeNow"
	MsgErrFrozen              Msg = "error.frozen"
	MsgErrFrozenUntil         Msg = "error.frozenUntil"
	MsgEvPasswordOK           Msg = "event.SIGNON_PASSWORD.SUCCESS"
	MsgEvPasswordFailed       Msg = "event.SIGNON_PASSWORD.FAILURE"
	MsgEvMFAOK                Msg = "event.SIGNON_MFA.SUCCESS"
	MsgEvMFAFailed            Msg = "event.SIGNON_MFA.FAILURE"
	MsgEvSignedOn             Msg = "event.SIGNON_COMPLETED"
	MsgEvSignedOnNew          Msg = "event.SIGNON_COMPLETED.unfamiliar"
	MsgEvSignedOff            Msg = "event.SESSION_SIGNED_OFF"
	MsgEvSecured              Msg = "event.ACCOUNT_SECURED"
	MsgEvLocked               Msg = "event.ACCOUNT_LOCKED"
	MsgEvPasswordChanged      Msg = "event.PASSWORD_CHANGED.SUCCESS"
	MsgEvPasswordChangeFailed Msg = "event.PASSWORD_CHANGED.FAILURE"
	MsgEvMethodAdded          Msg = "event.DEVICE_ADDED"
	MsgEvMethodRemoved        Msg = "event.DEVICE_DELETED"
	MsgEvMethodRenamed        Msg = "event.DEVICE_RENAMED"
	MsgEvMethodsReordered     Msg = "event.DEVICES_REORDERED"
	MsgEvMethodBlocked        Msg = "event.DEVICE_BLOCKED"
	MsgEvMethodUnblocked      Msg = "event.DEVICE_UNBLOCKED"
	MsgEvRecoveryCreated      Msg = "event.RECOVERY_CODES_CREATED"
	MsgEvRecoveryDeleted      Msg = "event.RECOVERY_CODES_DELETED"
	MsgEvRecoveryUsed         Msg = "event.RECOVERY_CODE_USED"
	MsgEvTokenReuse           Msg = "event.TOKEN_REUSE_DETECTED"
	MsgEvFailed               Msg = "event.failed"
)

// allOthers is the confirming/busy mark of "Sign off all other sessions".
const allOthers = "*"

// activityPageSize is how many events one "Load more" reads.
const activityPageSize = 20

// sessionsTab is the Sessions tab's part of the MyAccount page.
// Its confirming is a session id, or allOthers; its busy the sign-off under
// way (its confirm button stays, disabled).
type sessionsTab = removableList[resource.UserSession]

// activityTab is the Activity tab's part of the MyAccount page.
type activityTab struct {
	events     []resource.UserEvent
	next       string // cursor of the next page, "" at the end
	kind       string // "" for every kind
	loaded     bool
	loading    bool
	loadErr    string
	securing   bool // the "Secure my account" dialog is open
	secureBusy bool
	secured    *resource.AccountSecured
	err        string
	needVerify bool
}

// secureFragment turns #secure into the Activity tab with its dialog
// open, and the address bar into #activity (a reload must not reopen it).
func (p *MyAccountPage) secureFragment(ctx app.Context) {
	if p.tab != fragmentSecure {
		return
	}
	p.tab, p.activity.securing = tabActivity, true
	u := p.pageURL
	u.Fragment = tabActivity
	p.pageURL = u
	ctx.Page().ReplaceURL(&u)
}

// loadSecurity reads what the tab shows, each time it is opened (another
// browser may have signed on or off meanwhile).
func (p *MyAccountPage) loadSecurity(ctx app.Context, tab string) {
	switch tab {
	case tabSessions:
		p.loadSessions(ctx)
		p.loadLinked(ctx)
	case tabActivity:
		p.loadActivity(ctx, false)
	case tabConsents:
		p.loadConsents(ctx)
	}
}

// sessionEnded sends the browser to sign on again: this session was
// signed off elsewhere (the API answered 401). The control that asked stays
// on the page until the redirect, so go-app delivers the answer.
func (p *MyAccountPage) sessionEnded(ctx app.Context) {
	a, tab := p.acct, p.tab
	ctx.Async(func() {
		r := a.signOnAgain(context.Background(), tab)
		ctx.Dispatch(func(ctx app.Context) { p.applyAuth(ctx, r) })
	})
}

func isUnauthorized(err error) bool {
	e, ok := apiclient.AsAPIError(err)
	return ok && e.Status == 401
}

func (p *MyAccountPage) loadSessions(ctx app.Context) {
	if p.sess == nil || !p.scopes.Has(scope.ReadSessions) {
		return
	}
	api, s := p.acct.api, *p.sess
	p.sessions.load(p, ctx, func(c context.Context) ([]resource.UserSession, error) {
		return api.ListSessions(c, s.sub, s.accessToken)
	})
}

// signOffSession asks to confirm, then signs the session (or, for
// allOthers, every other one) off and reads the list again.
func (p *MyAccountPage) signOffSession(ctx app.Context, id string) {
	w := &p.sessions
	if w.busy != "" || p.sess == nil {
		return
	}
	if w.confirming != id {
		w.confirming, w.err, w.notice = id, "", ""
		return
	}
	w.busy, w.err, w.notice = id, "", ""
	api, s := p.acct.api, *p.sess
	ctx.Async(func() {
		c := context.Background()
		var err error
		if id == allOthers {
			err = api.DeleteOtherSessions(c, s.sub, s.accessToken)
		} else {
			err = api.DeleteSession(c, s.sub, s.accessToken, id)
		}
		// Signed off meanwhile (elsewhere): the list says so.
		e, isAPI := apiclient.AsAPIError(err)
		gone := isAPI && e.Status == 404
		var list []resource.UserSession
		if err == nil || gone {
			list, _ = api.ListSessions(c, s.sub, s.accessToken)
		}
		ctx.Dispatch(func(ctx app.Context) { p.applySignOff(ctx, id, list, err, gone) })
	})
}

func (p *MyAccountPage) applySignOff(ctx app.Context, id string, list []resource.UserSession, err error, gone bool) {
	w := &p.sessions
	w.busy, w.confirming = "", ""
	if list != nil {
		w.list = list
	}
	switch {
	case isUnauthorized(err):
		p.sessionEnded(ctx)
	case gone:
		w.notice = T(MsgSessionGone)
	case err != nil:
		r := failed(err)
		w.err, w.needVerify = r.err, r.needVerify
	case id == allOthers:
		w.notice = T(MsgSessionsOthersDone)
	default:
		w.notice = T(MsgSessionDone)
	}
}

// verifySessions steps up through MFA and comes back to fragment (the
// Sessions tab, or the Activity tab's Secure my account).
func (p *MyAccountPage) verifySessions(ctx app.Context, fragment string) {
	if p.sessions.busy != "" || p.activity.secureBusy {
		return
	}
	p.stepUpTo(ctx, fragment, func(b bool) {
		switch {
		case fragment != tabSessions:
			p.activity.secureBusy = b
		case b:
			p.sessions.busy = "verify"
		default:
			p.sessions.busy = ""
		}
	})
}

// sessionsPanel builds the Sessions tab from the page's state.
func (p *MyAccountPage) sessionsPanel() app.UI {
	w := &p.sessions
	online := !p.offline && p.sess != nil
	canDelete := online && p.scopes.Has(scope.DeleteSessions)
	return &SessionsPanel{
		Sessions:   w.list,
		Loading:    w.loading && !w.loaded,
		LoadError:  w.loadErr,
		Offline:    p.offline,
		CanDelete:  canDelete,
		NeedVerify: online && (w.needVerify || !canDelete),
		Confirming: w.confirming,
		Busy:       w.busy,
		Error:      w.err,
		Notice:     w.notice,
		OnSignOff:  p.signOffSession,
		OnCancel:   func(ctx app.Context) { p.sessions.confirming = "" },
		OnVerify:   func(ctx app.Context) { p.verifySessions(ctx, tabSessions) },
	}
}

// loadActivity reads the newest page of the chosen kind, or (more) the
// next page after what is shown.
func (p *MyAccountPage) loadActivity(ctx app.Context, more bool) {
	w := &p.activity
	if p.sess == nil || !p.scopes.Has(scope.ReadSessions) || w.loading || p.offline || (more && w.next == "") {
		return
	}
	w.loading = true
	cursor := ""
	if more {
		cursor = w.next
	}
	api, s, kind := p.acct.api, *p.sess, w.kind
	ctx.Async(func() {
		page, err := api.ListEvents(context.Background(), s.sub, s.accessToken, cursor, resource.EventKindFilter(kind), activityPageSize)
		ctx.Dispatch(func(ctx app.Context) {
			w := &p.activity
			w.loading = false
			if w.kind != kind {
				return // the kind changed meanwhile; its own load is on the way
			}
			if isUnauthorized(err) {
				p.sessionEnded(ctx)
				return
			}
			if err != nil {
				w.loadErr = failed(err).err
				return
			}
			if more {
				w.events = append(w.events, page.Events...)
			} else {
				w.events = page.Events
			}
			w.next, w.loaded, w.loadErr = page.Next, true, ""
		})
	})
}

// chooseKind shows one kind of activity ("" for all).
func (p *MyAccountPage) chooseKind(ctx app.Context, kind string) {
	w := &p.activity
	if w.kind == kind && w.loaded {
		return
	}
	w.kind, w.events, w.next, w.loaded, w.loading = kind, nil, "", false, false
	p.loadActivity(ctx, false)
}

// secureAccount asks to confirm (the dialog), then secures the account.
func (p *MyAccountPage) secureAccount(ctx app.Context) {
	w := &p.activity
	if w.secureBusy || p.sess == nil {
		return
	}
	if !w.securing {
		w.securing, w.err, w.secured = true, "", nil
		return
	}
	w.secureBusy, w.err = true, ""
	api, s := p.acct.api, *p.sess
	ctx.Async(func() {
		out, err := api.SecureAccount(context.Background(), s.sub, s.accessToken)
		ctx.Dispatch(func(ctx app.Context) {
			w := &p.activity
			w.secureBusy = false
			switch {
			case isUnauthorized(err):
				p.sessionEnded(ctx)
			case err != nil:
				r := failed(err)
				w.err, w.needVerify = r.err, r.needVerify
			default:
				w.securing, w.secured, w.needVerify = false, &out, false
				p.sessions.loaded = false // the list changed
				p.loadActivity(ctx, false)
			}
		})
	})
}

// activityPanel builds the Activity tab from the page's state.
func (p *MyAccountPage) activityPanel() app.UI {
	w := &p.activity
	online := !p.offline && p.sess != nil
	canSecure := online && p.scopes.Has(scope.DeleteSessions)
	return &ActivityPanel{
		Events:        w.events,
		Kind:          w.kind,
		Loading:       w.loading,
		Loaded:        w.loaded,
		LoadError:     w.loadErr,
		Offline:       p.offline,
		HasMore:       w.next != "",
		CanSecure:     online,
		Securing:      w.securing,
		SecureBusy:    w.secureBusy,
		NeedVerify:    online && (w.needVerify || !canSecure),
		Secured:       w.secured,
		CanChangePass: p.scopes.Has(scope.ValidateUserPassword),
		Error:         w.err,
		OnKind:        p.chooseKind,
		OnMore:        func(ctx app.Context) { p.loadActivity(ctx, true) },
		OnSecure:      p.secureAccount,
		OnCancel:      func(ctx app.Context) { p.activity.securing, p.activity.err = false, "" },
		OnVerify:      func(ctx app.Context) { p.verifySessions(ctx, fragmentSecure) },
		OnPassword:    func(ctx app.Context) { p.onSelectTab(ctx, "password") },
	}
}

// SessionsPanel is the Sessions tab: the open sessions, newest first, the
// current one marked, each with what signed on, from where, when and how,
// and "Sign off" (confirmed first) on the others.
type SessionsPanel struct {
	app.Compo
	Sessions   []resource.UserSession
	Loading    bool
	LoadError  string
	Offline    bool
	CanDelete  bool
	NeedVerify bool
	Confirming string
	Busy       string
	Error      string
	Notice     string

	OnSignOff func(ctx app.Context, id string)
	OnCancel  func(ctx app.Context)
	OnVerify  func(ctx app.Context)
}

// Render implements app.Composer.
func (c *SessionsPanel) Render() app.UI {
	others := 0
	for _, s := range c.Sessions {
		if !s.Current {
			others++
		}
	}
	return app.Div().ID("sessions").Body(
		app.H2().Class("methods-title").Text(T(MsgSessionsTitle)),
		app.P().Class("hint").Text(T(MsgSessionsExplain)),
		app.If(c.Error != "", func() app.UI { return app.P().ID("sessions-error").Class("error").Role("alert").Text(c.Error) }),
		app.If(c.Notice != "", func() app.UI { return app.P().ID("sessions-notice").Class("notice").Role("status").Text(c.Notice) }),
		app.If(c.LoadError != "", func() app.UI { return app.P().Class("error").Role("alert").Text(c.LoadError) }),
		app.If(c.Offline, func() app.UI { return app.P().Class("empty").Text(T(MsgSessionsOffline)) }),
		app.If(c.Loading, func() app.UI { return &Loading{Label: T(MsgLoading)} }),
		app.If(c.NeedVerify && !c.Offline, func() app.UI {
			return app.Div().Class("verify").Body(
				app.P().Class("hint").Text(T(MsgSessionsVerifyExplain)),
				app.Button().ID("sessions-verify").Type("button").Class("primary").Text(T(MsgVerify)).
					Disabled(c.Busy != "").OnClick(func(ctx app.Context, e app.Event) { call(c.OnVerify, ctx) }),
			)
		}),
		app.Ul().ID("session-list").Class("devices").Body(
			app.Range(c.Sessions).Slice(func(i int) app.UI { return c.row(c.Sessions[i]) }),
		),
		app.If(c.CanDelete && others > 0, func() app.UI {
			return app.Div().Body(
				app.If(c.Confirming != allOthers, func() app.UI {
					return app.Button().ID("signoff-others").Type("button").Class("action").Text(T(MsgSessionsSignOffOthers)).
						Disabled(c.Busy != "").OnClick(func(ctx app.Context, e app.Event) { callID(c.OnSignOff, ctx, allOthers) })
				}).Else(func() app.UI {
					return c.confirm("others", T(MsgSessionsOthersConfirm, others), allOthers)
				}),
			)
		}),
	)
}

func (c *SessionsPanel) row(s resource.UserSession) app.UI {
	li := app.Li().Class("device", "session").DataSet("session-id", s.ID)
	if s.Current {
		li = li.Class("session-current")
	}
	where := []string{deviceTypeText(s.Device.Type)}
	if len(s.Locations) > 0 {
		where = append(where, placeText(s.Locations[0].RemoteIP, s.Locations[0].City, s.Locations[0].Country))
	} else if s.LastSignOn.RemoteIP != "" {
		where = append(where, s.LastSignOn.RemoteIP)
	}
	var earlier []string
	for i, l := range s.Locations {
		if i > 0 {
			earlier = append(earlier, placeText(l.RemoteIP, l.City, l.Country))
		}
	}
	return li.Body(
		app.Div().Class("device-head").Body(
			app.Span().Class("device-type", "session-device").Text(agentName(s.Browser, s.OperatingSystem)),
			app.If(s.Current, func() app.UI { return app.Span().Class("badge").Text(T(MsgSessionCurrent)) }),
		),
		app.Div().Class("device-target", "session-where").Text(strings.Join(where, " · ")),
		app.Div().Class("device-status", "session-times").Text(T(MsgSessionTimes, when(s.CreatedAt), when(s.ActiveAt))),
		app.If(len(s.Methods) > 0, func() app.UI {
			return app.Div().Class("device-target", "session-methods").Text(T(MsgSessionMethods, methodNames(s.Methods)))
		}),
		app.If(len(earlier) > 0, func() app.UI {
			return app.Div().Class("device-target", "session-earlier").Text(T(MsgSessionEarlier, strings.Join(earlier, ", ")))
		}),
		app.If(c.CanDelete && !s.Current, func() app.UI {
			if c.Confirming == s.ID {
				return c.confirm(s.ID, T(MsgSessionConfirm, agentName(s.Browser, s.OperatingSystem)), s.ID)
			}
			return app.Div().Class("row-actions").Body(
				app.Button().ID("signoff-"+s.ID).Type("button").Class("action").Text(T(MsgSessionSignOff)).
					Disabled(c.Busy != "").
					OnClick(func(ctx app.Context, e app.Event) { callID(c.OnSignOff, ctx, s.ID) }, app.EventScope(s.ID)),
			)
		}),
	)
}

// confirm is the "Sign off …?" question; its yes button stays (disabled)
// while the sign-off is under way.
func (c *SessionsPanel) confirm(idPart, question, id string) app.UI {
	return app.Div().Class("confirm").Role("alertdialog").Aria("labelledby", "confirm-text-"+idPart).Body(
		app.P().ID("confirm-text-"+idPart).Text(question),
		app.Div().Class("row-actions").Body(
			app.Button().ID("confirm-signoff-"+idPart).Type("button").Class("action", "danger").Text(T(MsgSessionSignOffYes)).
				Disabled(c.Busy != "").
				OnClick(func(ctx app.Context, e app.Event) { callID(c.OnSignOff, ctx, id) }, app.EventScope(id)),
			app.Button().ID("cancel-signoff-"+idPart).Type("button").Class("action").Text(T(MsgCancel)).
				Disabled(c.Busy != "").
				OnClick(func(ctx app.Context, e app.Event) { call(c.OnCancel, ctx) }, app.EventScope(id)),
		),
	)
}

// ActivityPanel is the Activity tab: the account's security activity,
// newest first, by kind, "Load more", and "Secure my account".
type ActivityPanel struct {
	app.Compo
	Events        []resource.UserEvent
	Kind          string
	Loading       bool
	Loaded        bool
	LoadError     string
	Offline       bool
	HasMore       bool
	CanSecure     bool
	Securing      bool
	SecureBusy    bool
	NeedVerify    bool
	Secured       *resource.AccountSecured
	CanChangePass bool
	Error         string

	OnKind     func(ctx app.Context, kind string)
	OnMore     func(ctx app.Context)
	OnSecure   func(ctx app.Context)
	OnCancel   func(ctx app.Context)
	OnVerify   func(ctx app.Context)
	OnPassword func(ctx app.Context)
}

// Render implements app.Composer.
func (c *ActivityPanel) Render() app.UI {
	kinds := append([]string{""}, kindIDs()...)
	return app.Div().ID("activity").Body(
		app.H2().Class("methods-title").Text(T(MsgActivityTitle)),
		app.P().Class("hint").Text(T(MsgActivityExplain)),
		c.secure(),
		app.Div().Class("row-actions", "activity-kinds").Role("group").Aria("label", T(MsgActivityKinds)).Body(
			app.Range(kinds).Slice(func(i int) app.UI {
				k := kinds[i]
				id := "kind-" + k
				if k == "" {
					id = "kind-all"
				}
				return app.Button().ID(id).Type("button").Class("action").Aria("pressed", k == c.Kind).
					Text(kindLabel(k)).OnClick(func(ctx app.Context, e app.Event) {
					if c.OnKind != nil {
						c.OnKind(ctx, k)
					}
				}, app.EventScope(k))
			}),
		),
		app.If(c.LoadError != "", func() app.UI { return app.P().Class("error").Role("alert").Text(c.LoadError) }),
		app.If(c.Offline, func() app.UI { return app.P().Class("empty").Text(T(MsgSessionsOffline)) }),
		app.If(c.Loaded && len(c.Events) == 0, func() app.UI { return app.P().ID("activity-empty").Class("empty").Text(T(MsgActivityEmpty)) }),
		app.Ul().ID("activity-list").Class("devices").Body(
			app.Range(c.Events).Slice(func(i int) app.UI { return eventRow(c.Events[i]) }),
		),
		app.If(c.Loading, func() app.UI { return &Loading{Label: T(MsgLoading)} }),
		app.If(c.HasMore, func() app.UI {
			return app.Button().ID("activity-more").Type("button").Class("action").Text(T(MsgActivityMore)).
				Disabled(c.Loading).OnClick(func(ctx app.Context, e app.Event) { call(c.OnMore, ctx) })
		}),
	)
}

// secure is "Secure my account": the button, its confirmation dialog
// (with the step-up when the session needs one) and the outcome.
func (c *ActivityPanel) secure() app.UI {
	return app.Div().Class("secure-account").Body(
		app.If(c.Secured != nil, func() app.UI {
			return app.Div().ID("secure-done").Class("notice").Role("status").Body(
				app.P().Text(securedText(c.Secured)),
				app.If(c.CanChangePass, func() app.UI {
					return app.Button().ID("secure-change-password").Type("button").Class("link").Text(T(MsgSecureChangeNow)).
						OnClick(func(ctx app.Context, e app.Event) { call(c.OnPassword, ctx) })
				}),
			)
		}),
		app.If(c.Securing, func() app.UI {
			return app.Div().ID("secure-dialog").Class("confirm").Role("alertdialog").Aria("labelledby", "secure-question").Body(
				app.P().ID("secure-question").Text(T(MsgSecureQuestion)),
				app.Ul().Class("secure-effects").Body(
					app.Li().Text(T(MsgSecureEffectSessions)),
					app.Li().Text(T(MsgSecureEffectPassword)),
					app.Li().Text(T(MsgSecureEffectFreeze)),
				),
				app.If(c.Error != "", func() app.UI { return app.P().ID("secure-error").Class("error").Role("alert").Text(c.Error) }),
				app.If(c.NeedVerify, func() app.UI {
					return app.Div().Class("row-actions").Body(
						app.P().Class("hint").Text(T(MsgSecureVerifyExplain)),
						app.Button().ID("secure-verify").Type("button").Class("action", "danger").Text(T(MsgVerify)).
							Disabled(c.SecureBusy).OnClick(func(ctx app.Context, e app.Event) { call(c.OnVerify, ctx) }),
						app.Button().ID("cancel-secure").Type("button").Class("action").Text(T(MsgCancel)).
							Disabled(c.SecureBusy).OnClick(func(ctx app.Context, e app.Event) { call(c.OnCancel, ctx) }),
					)
				}).Else(func() app.UI {
					return app.Div().Class("row-actions").Body(
						app.Button().ID("confirm-secure").Type("button").Class("action", "danger").Text(T(MsgSecureYes)).
							Disabled(c.SecureBusy).OnClick(func(ctx app.Context, e app.Event) { call(c.OnSecure, ctx) }),
						app.Button().ID("cancel-secure").Type("button").Class("action").Text(T(MsgCancel)).
							Disabled(c.SecureBusy).OnClick(func(ctx app.Context, e app.Event) { call(c.OnCancel, ctx) }),
					)
				}),
			)
		}).ElseIf(c.CanSecure, func() app.UI {
			return app.Button().ID("secure-account").Type("button").Class("action", "danger").Text(T(MsgSecureButton)).
				OnClick(func(ctx app.Context, e app.Event) { call(c.OnSecure, ctx) })
		}),
	)
}

func eventRow(e resource.UserEvent) app.UI {
	li := app.Li().Class("device", "event").DataSet("action", e.Action).DataSet("outcome", e.Outcome)
	var where []string
	if e.Browser != nil || e.OS != nil {
		var b resource.SessionBrowser
		var o resource.SessionOS
		if e.Browser != nil {
			b = *e.Browser
		}
		if e.OS != nil {
			o = *e.OS
		}
		where = append(where, agentName(b, o))
	}
	if e.RemoteIP != "" {
		where = append(where, placeText(e.RemoteIP, e.City, e.Country))
	}
	status := app.Div().Class("device-status", "event-time").Text(when(e.CreatedAt))
	head := app.Span().Class("device-type", "event-what").Text(eventText(e))
	if e.Outcome == "FAILURE" {
		head = head.Class("device-status-blocked")
	}
	return li.Body(
		app.Div().Class("device-head").Body(head),
		app.If(len(where) > 0, func() app.UI {
			return app.Div().Class("device-target", "event-where").Text(strings.Join(where, " · "))
		}),
		status,
	)
}

// agentName says what a browser is for people: "Chrome 131 on Linux".
func agentName(b resource.SessionBrowser, o resource.SessionOS) string {
	name := b.Name
	if v, _, _ := strings.Cut(b.Version, "."); name != "" && v != "" {
		name += " " + v
	}
	switch {
	case name != "" && o.Name != "":
		return T(MsgAgentOn, name, o.Name)
	case name != "":
		return name
	case o.Name != "":
		return T(MsgAgentOn, T(MsgAgentBrowser), o.Name)
	}
	return T(MsgAgentUnknown)
}

func deviceTypeText(t string) string {
	switch t {
	case resource.SessionDesktop:
		return T(MsgDeviceDesktop)
	case resource.SessionMobile:
		return T(MsgDeviceMobile)
	case resource.SessionTablet:
		return T(MsgDeviceTablet)
	case resource.SessionBot:
		return T(MsgDeviceBot)
	}
	return T(MsgDeviceUnknown)
}

// methodNames names a session's amr values for people.
func methodNames(amr []string) string {
	var out []string
	for _, m := range amr {
		var n string
		switch m {
		case "pwd":
			n = T(MsgAMRPassword)
		case "otp":
			n = T(MsgAMRPasscode)
		case "hwk", "swk", "fido":
			n = T(MsgAMRKey)
		case "rec":
			n = T(MsgAMRRecovery)
		case "fed":
			n = T(MsgAMRFederated)
		case "mfa":
			continue // said by the others
		default:
			n = m
		}
		out = append(out, n)
	}
	return strings.Join(out, ", ")
}

// when is a time for people, in the browser's zone.
func when(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Local().Format("2 Jan 2006, 15:04")
}

func kindIDs() []string {
	var out []string
	for _, k := range resource.EventKinds() {
		out = append(out, k.ID)
	}
	return out
}

func kindLabel(k string) string {
	switch k {
	case "":
		return T(MsgKindAll)
	case "signOn":
		return T(MsgKindSignOn)
	case "methods":
		return T(MsgKindMethods)
	case "password":
		return T(MsgKindPassword)
	case "sessions":
		return T(MsgKindSessions)
	}
	return k
}

// eventText says what happened, for people; an action without words of
// its own shows its name.
func eventText(e resource.UserEvent) string {
	failed := e.Outcome == "FAILURE"
	var m Msg
	switch e.Action {
	case "SIGNON_PASSWORD":
		m = pick(failed, MsgEvPasswordFailed, MsgEvPasswordOK)
	case "SIGNON_MFA":
		m = pick(failed, MsgEvMFAFailed, MsgEvMFAOK)
	case "SIGNON_COMPLETED":
		m = MsgEvSignedOn
		if e.Details["unfamiliar"] == "true" {
			m = MsgEvSignedOnNew
		}
	case "SESSION_SIGNED_OFF":
		m = MsgEvSignedOff
	case "ACCOUNT_SECURED":
		m = MsgEvSecured
	case "ACCOUNT_LOCKED":
		m = MsgEvLocked
	case "PASSWORD_CHANGED":
		m = pick(failed, MsgEvPasswordChangeFailed, MsgEvPasswordChanged)
	case "DEVICE_CREATED", "DEVICE_PAIRED", "DEVICE_ACTIVATED":
		m = MsgEvMethodAdded
	case "DEVICE_DELETED":
		m = MsgEvMethodRemoved
	case "DEVICE_RENAMED":
		m = MsgEvMethodRenamed
	case "DEVICES_REORDERED":
		m = MsgEvMethodsReordered
	case "DEVICE_BLOCKED":
		m = MsgEvMethodBlocked
	case "DEVICE_UNBLOCKED":
		m = MsgEvMethodUnblocked
	case "RECOVERY_CODES_CREATED":
		m = MsgEvRecoveryCreated
	case "RECOVERY_CODES_DELETED":
		m = MsgEvRecoveryDeleted
	case "RECOVERY_CODE_USED":
		m = MsgEvRecoveryUsed
	case "TOKEN_REUSE_DETECTED":
		m = MsgEvTokenReuse
	case "LINKED_ACCOUNT_ADDED":
		m = MsgEvLinkedAdded
	case "LINKED_ACCOUNT_DELETED":
		m = MsgEvLinkedRemoved
	case "SIGNON_EXTERNAL":
		m = pick(failed, MsgEvExternalFailed, MsgEvExternalOK)
	default:
		text := e.Action
		if failed {
			text += " (" + T(MsgEvFailed) + ")"
		}
		return text
	}
	return T(m)
}

func pick(cond bool, yes, no Msg) Msg {
	if cond {
		return yes
	}
	return no
}

// errorFrozen says when a frozen account's method changes open again.
func errorFrozen(e *apierr.Error) (string, bool) {
	for _, d := range e.Details {
		if d.Code == apierr.DetailAccountFrozen {
			until, _ := d.InnerError["frozenUntil"].(string)
			if t, err := time.Parse(time.RFC3339, until); err == nil {
				return T(MsgErrFrozenUntil, when(t)), true
			}
			return T(MsgErrFrozen), true
		}
	}
	return "", false
}

// frozenText is the text of an ACCOUNT_FROZEN refusal inside err ("" when
// it is not one).
func frozenText(err error) string {
	var e *apierr.Error
	if !errors.As(err, &e) {
		return ""
	}
	text, _ := errorFrozen(e)
	return text
}

// securedText says what "Secure my account" did.
func securedText(a *resource.AccountSecured) string {
	if a.SessionsEnded == 1 {
		return T(MsgSecureDoneOne, when(a.MethodsFrozenUntil))
	}
	return T(MsgSecureDone, a.SessionsEnded, when(a.MethodsFrozenUntil))
}
