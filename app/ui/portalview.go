package ui

import (
	"strings"
	"unicode"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
	"github.com/myaccount/myaccount/shared/resource"
	"github.com/myaccount/myaccount/shared/valid"
)

// AppTiles shows the application portal's tiles (#apps): a link per
// application to its start URL, opened in the same tab, with its icon or,
// without one, its initials. Start and icon URLs are checked again here
// (the server already refuses others): a tile never becomes a
// javascript: link.
type AppTiles struct {
	app.Compo
	Label string
	Apps  []resource.PortalApplication
	Empty string
}

// Render implements app.Composer.
func (c *AppTiles) Render() app.UI {
	apps := make([]resource.PortalApplication, 0, len(c.Apps))
	for _, a := range c.Apps {
		if valid.PortalStartURL(a.StartURL) == nil {
			apps = append(apps, a)
		}
	}
	if len(apps) == 0 {
		return app.P().ID("apps-empty").Class("empty").Text(c.Empty)
	}
	return app.Ul().ID("apps").Class("tiles").Aria("label", c.Label).Body(
		app.Range(apps).Slice(func(i int) app.UI {
			a := apps[i]
			var icon app.UI
			if a.IconURL != "" && valid.PortalIconURL(a.IconURL) == nil {
				icon = app.Img().Class("tile-icon").Src(a.IconURL).Alt("")
			} else {
				icon = app.Span().Class("tile-icon", "tile-initials").Aria("hidden", "true").Text(initials(a.Name))
			}
			return app.Li().Class("tile-item").Body(
				app.A().ID("tile-"+a.ID).Class("tile").Href(a.StartURL).DataSet("app-id", a.ID).Body(
					icon,
					app.Span().Class("tile-name").Text(a.Name),
				),
			)
		}),
	)
}

// initials are the first letters of the first two words of s, upper case
// ("Team wiki" → "TW"); "?" when s has no letters or digits.
func initials(s string) string {
	var b strings.Builder
	n := 0
	for _, w := range strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		r := []rune(w)[0]
		b.WriteRune(unicode.ToUpper(r))
		if n++; n == 2 {
			break
		}
	}
	if n == 0 {
		return "?"
	}
	return b.String()
}

// MenuItem is one entry of an AvatarMenu.
type MenuItem struct {
	ID    string
	Label string
}

// AvatarMenu is the portal's account menu, the WAI-ARIA menu button
// pattern: a button (#avatar) showing the user's initials with
// aria-haspopup and aria-expanded, and a role=menu list of role=menuitem
// buttons (#menu-{id}). Enter, Space (the button's click) and ArrowDown on
// the button open it on the first item, ArrowUp on the last; in the menu the arrow keys,
// Home and End move, Escape and Tab close it (Escape back to the
// button), and Enter or Space activates the focused item (a button's own
// click). A backdrop behind an open menu closes it on a tap elsewhere.
// Open is the page's state; OnOpen and OnChoose tell it what happened.
type AvatarMenu struct {
	app.Compo
	Initials string
	Label    string // the button's accessible name ("Account menu for Jane Doe")
	Items    []MenuItem
	Open     bool
	OnOpen   func(ctx app.Context, open bool)
	OnChoose func(ctx app.Context, id string)
	// Focus moves keyboard focus (nil: the browser's); tests watch it.
	Focus func(id string)
}

// Render implements app.Composer.
func (c *AvatarMenu) Render() app.UI {
	// The backdrop comes last: go-app diffs children by position, and an
	// element inserted before the button would replace it, dropping the
	// focus and the deferred focus move whose source it is.
	return app.Div().Class("avatar-menu").Body(
		app.Button().ID("avatar").Type("button").Class("avatar").
			Aria("haspopup", "menu").Aria("expanded", c.Open).Aria("controls", "account-menu").Aria("label", c.Label).
			OnClick(c.onButtonClick).OnKeyDown(c.onButtonKey).
			Text(c.Initials),
		c.list().Body(
			app.Range(c.Items).Slice(func(i int) app.UI {
				it := c.Items[i]
				return app.Li().Role("none").Body(
					app.Button().ID("menu-"+it.ID).Type("button").Class("menu-item").Role("menuitem").TabIndex(-1).
						OnClick(func(ctx app.Context, e app.Event) { c.choose(ctx, it.ID) }, app.EventScope(it.ID)).
						OnKeyDown(func(ctx app.Context, e app.Event) { c.onItemKey(ctx, e, i) }, app.EventScope(it.ID)).
						Text(it.Label),
				)
			}),
		),
		app.If(c.Open, func() app.UI {
			return app.Div().ID("menu-backdrop").Class("menu-backdrop").Aria("hidden", "true").OnClick(c.onBackdrop)
		}),
	)
}

// list is the menu's element, hidden while closed (go-app renders
// Hidden(false) as a present attribute, so it is set only when true).
func (c *AvatarMenu) list() app.HTMLUl {
	ul := app.Ul().ID("account-menu").Class("menu").Role("menu").Aria("labelledby", "avatar")
	if !c.Open {
		ul = ul.Hidden(true)
	}
	return ul
}

func (c *AvatarMenu) onBackdrop(ctx app.Context, e app.Event) { c.setOpen(ctx, false, "") }

func (c *AvatarMenu) onButtonClick(ctx app.Context, e app.Event) {
	if c.Open {
		c.setOpen(ctx, false, "")
		return
	}
	c.setOpen(ctx, true, c.itemID(0))
}

func (c *AvatarMenu) onButtonKey(ctx app.Context, e app.Event) {
	c.buttonKey(ctx, e.Get("key").String(), e.PreventDefault)
}

// buttonKey acts on a key pressed on the button; prevent stops the
// browser's own action (scrolling). Enter and Space are left to the
// button's native click (onButtonClick): go-app runs handlers after the
// browser has moved on, so a late preventDefault cannot stop that click,
// which then landed on the freshly focused first item and chose it.
func (c *AvatarMenu) buttonKey(ctx app.Context, key string, prevent func()) {
	switch key {
	case "ArrowDown":
		prevent()
		c.setOpen(ctx, true, c.itemID(0))
	case "ArrowUp":
		prevent()
		c.setOpen(ctx, true, c.itemID(len(c.Items)-1))
	case "Escape":
		if c.Open {
			prevent()
			c.setOpen(ctx, false, "avatar")
		}
	}
}

func (c *AvatarMenu) onItemKey(ctx app.Context, e app.Event, i int) {
	c.itemKey(ctx, e.Get("key").String(), i, e.PreventDefault)
}

// itemKey acts on a key pressed on item i. Enter and Space are left to
// the button's native click, which calls choose.
func (c *AvatarMenu) itemKey(ctx app.Context, key string, i int, prevent func()) {
	n := len(c.Items)
	if n == 0 {
		return
	}
	j := -1
	switch key {
	case "ArrowDown":
		j = (i + 1) % n
	case "ArrowUp":
		j = (i + n - 1) % n
	case "Home":
		j = 0
	case "End":
		j = n - 1
	case "Escape":
		prevent()
		c.setOpen(ctx, false, "avatar")
		return
	case "Tab":
		c.setOpen(ctx, false, "")
		return
	}
	if j < 0 {
		return
	}
	prevent()
	c.focus(ctx, c.itemID(j))
}

func (c *AvatarMenu) choose(ctx app.Context, id string) {
	if c.OnChoose != nil {
		c.OnChoose(ctx, id)
	}
}

// setOpen tells the page and, once the menu is (un)rendered, moves focus
// to the element with id ("" leaves focus alone).
func (c *AvatarMenu) setOpen(ctx app.Context, open bool, focus string) {
	if c.OnOpen != nil {
		c.OnOpen(ctx, open)
	}
	if focus != "" {
		c.focus(ctx, focus)
	}
}

func (c *AvatarMenu) focus(ctx app.Context, id string) {
	f := c.Focus
	if f == nil {
		f = jsBrowser{}.Focus
	}
	ctx.Defer(func(app.Context) { f(id) })
}

func (c *AvatarMenu) itemID(i int) string {
	if i < 0 || i >= len(c.Items) {
		return ""
	}
	return "menu-" + c.Items[i].ID
}
