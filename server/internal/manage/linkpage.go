package manage

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"html/template"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/myaccount/myaccount/server/internal/store"
)

// The pages a mailed one-time link opens (the email undo and the
// "this wasn't me" secure link) are the same small server-made page: a
// title, a text, a form that posts the link's user and token back, and a
// link to MyAccount. They share the template, its no-cache rendering and
// the link's user lookup here; each keeps its own texts, element ids
// (Page) and token check.

var linkPage = template.Must(template.New("linkPage").Parse(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}} – MyAccount</title>
<link rel="stylesheet" href="/web/css/myaccount.css">
</head>
<body>
<main class="content" id="main">
<div class="card">
<h1 id="{{.Page}}-title">{{.Title}}</h1>
<p id="{{.Page}}-text">{{.Text}}</p>
{{if .Token}}<form method="post" action="{{.Action}}">
<input type="hidden" name="user" value="{{.User}}">
<input type="hidden" name="token" value="{{.Token}}">
<button type="submit" class="primary" id="{{.Page}}-submit">{{.Submit}}</button>
</form>{{end}}
{{if .Link}}<p><a id="{{.Page}}-myaccount" href="{{.Link}}">Go to MyAccount</a></p>{{end}}
</div>
</main>
</body>
</html>
`))

// linkPageData fills linkPage. Page prefixes the element ids ("undo",
// "secure"; the browser tests find them); Submit labels the form's button.
type linkPageData struct {
	Page, Submit        string
	Title, Text         string
	Action, User, Token string
	Link                string
}

func (a *API) renderLinkPage(c *fiber.Ctx, status int, d linkPageData) error {
	var b bytes.Buffer
	if err := linkPage.Execute(&b, d); err != nil {
		return fmt.Errorf("render %s page: %w", d.Page, err)
	}
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	// The page holds the link's token: no cache keeps it.
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Status(status).Send(b.Bytes())
}

// linkUser loads the user of the environment a link names when works
// accepts them; nil (and no error) when the environment or the user does
// not exist or the link does not work, whatever the reason: the page says
// the same for each. The caller checks the link's shape first.
func (a *API) linkUser(ctx context.Context, envID, userID string, works func(*store.User) bool) (*store.User, error) {
	if _, err := a.environment(ctx, envID); err != nil {
		if errors.Is(err, errNotFound) {
			return nil, nil
		}
		return nil, err
	}
	u, err := a.user(ctx, envID, strings.ToLower(userID))
	if errors.Is(err, errNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if !works(u) {
		return nil, nil
	}
	return u, nil
}
