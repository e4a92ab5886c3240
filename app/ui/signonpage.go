package ui

import (
	"context"
	"net/url"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// What the signed-on pages (MyAccount, the portal, the console) share
// around signing on: starting it, the error state's card and its button.

// authenticate signs on in the background and gives the outcome to done
// on the UI goroutine: kind retryStart begins again at page (finishing a
// sign-on that came back to it), any other kind signs on again
// interactively, coming back to fragment.
func authenticate(ctx app.Context, a *account, page url.URL, kind retryKind, fragment string, done func(app.Context, authResult)) {
	ctx.Async(func() {
		var r authResult
		if kind == retryStart {
			r = a.begin(context.Background(), &page)
		} else {
			r = a.signOnAgain(context.Background(), fragment)
		}
		ctx.Dispatch(func(ctx app.Context) { done(ctx, r) })
	})
}

// retryButton is the error state's button, if kind has one: Sign on, or
// Try again after being offline. It stays mounted, disabled, while
// retrying: go-app drops a Dispatch whose source element is gone.
func retryButton(kind retryKind, retrying bool, onRetry app.EventHandler) app.UI {
	return app.If(kind != retryNone, func() app.UI {
		label := T(MsgSignOn)
		if kind == retryStart {
			label = T(MsgRetry)
		}
		return app.Button().ID("retry").Type("button").Class("primary").Text(label).Disabled(retrying).OnClick(onRetry)
	})
}

// errorCard is a page's error state: the error and its retry button.
func errorCard(errText string, kind retryKind, retrying bool, onRetry app.EventHandler) app.UI {
	return app.Div().Class("card").Body(&ErrorMessage{Text: errText}, retryButton(kind, retrying, onRetry))
}
