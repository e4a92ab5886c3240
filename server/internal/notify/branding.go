package notify

import (
	"context"
	"strings"

	"github.com/myaccount/myaccount/server/internal/store"
	"github.com/myaccount/myaccount/shared/paths"
)

// LogoURL is the absolute public URL of an environment's logo, "" when it
// has none. The version query changes with the image, so caches (mail
// clients' included) never show an old one.
func LogoURL(publicURL string, e *store.Environment) string {
	l := e.Branding.Logo
	if l == nil {
		return ""
	}
	return strings.TrimRight(publicURL, "/") + paths.Build(paths.PublicLogo, e.ID) + "?v=" + l.ETag[:min(len(l.ETag), 16)]
}

// Branded is a Sender that signs every e-mail with its environment's
// branding, when it has any: the company name and the absolute URL of the
// logo, as plain text under a signature separator (mail stays text/plain:
// nothing an administrator types becomes HTML). SMS and voice messages,
// which are short and spoken, pass through unchanged, and so does
// everything when the environment cannot be read.
type Branded struct {
	Next         Sender
	Environments interface {
		GetEnvironment(ctx context.Context, id string) (*store.Environment, error)
	}
	PublicURL string
}

// Send implements Sender.
func (b *Branded) Send(ctx context.Context, m Message) error {
	if m.Channel == "" || m.Channel == ChannelEmail {
		if env, err := b.Environments.GetEnvironment(ctx, m.EnvironmentID); err == nil {
			m.Text = SignText(m.Text, env.Branding.CompanyName, LogoURL(b.PublicURL, env))
		}
	}
	return b.Next.Send(ctx, m)
}

// SignText appends the branding signature to an e-mail's text; with
// neither a name nor a logo the text is unchanged.
func SignText(text, companyName, logoURL string) string {
	if companyName == "" && logoURL == "" {
		return text
	}
	var s strings.Builder
	s.WriteString(strings.TrimRight(text, "\n"))
	s.WriteString("\n\n-- \n")
	if companyName != "" {
		s.WriteString(companyName + "\n")
	}
	if logoURL != "" {
		s.WriteString("Logo: " + logoURL + "\n")
	}
	return s.String()
}
