// Package htmlsafe reduces untrusted HTML (an agreement's text) to a small
// allow-list of formatting elements. What it returns is safe to insert as
// markup: every other element is dropped (script, style and the like with
// their content), no attribute survives except an http, https or mailto
// href on <a>, and all text is re-escaped.
package htmlsafe

import (
	"net/url"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// allowed are the elements kept, without attributes (bar <a href>).
var allowed = map[atom.Atom]bool{
	atom.P: true, atom.Br: true, atom.B: true, atom.Strong: true, atom.I: true, atom.Em: true,
	atom.U: true, atom.Ul: true, atom.Ol: true, atom.Li: true, atom.H1: true, atom.H2: true,
	atom.H3: true, atom.H4: true, atom.A: true, atom.Blockquote: true,
}

// dropped are elements whose content goes with them: it is code or
// markup, not text a reader should see.
var dropped = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Iframe: true, atom.Object: true, atom.Embed: true,
	atom.Template: true, atom.Noscript: true, atom.Textarea: true, atom.Title: true, atom.Svg: true,
	atom.Math: true, atom.Select: true, atom.Frameset: true, atom.Noembed: true, atom.Noframes: true,
	atom.Xmp: true, atom.Plaintext: true,
}

// Sanitize returns s reduced to the allow-list. Unclosed elements are
// closed at the end so the result cannot leak formatting into a page.
func Sanitize(s string) string {
	z := html.NewTokenizer(strings.NewReader(s))
	var b strings.Builder
	var open []atom.Atom // allowed elements open, innermost last
	skip := 0            // depth inside dropped elements
	for {
		tt := z.Next()
		if tt == html.ErrorToken { // io.EOF, or input the tokenizer gives up on
			break
		}
		t := z.Token()
		switch tt {
		case html.TextToken:
			if skip == 0 {
				b.WriteString(html.EscapeString(t.Data))
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			if dropped[t.DataAtom] {
				if tt == html.StartTagToken {
					skip++
				}
				continue
			}
			if skip > 0 || !allowed[t.DataAtom] {
				continue
			}
			if t.DataAtom == atom.Br {
				b.WriteString("<br>")
				continue
			}
			b.WriteString("<" + t.DataAtom.String())
			if t.DataAtom == atom.A {
				if href, ok := safeHref(t.Attr); ok {
					b.WriteString(` href="` + html.EscapeString(href) + `" rel="noopener noreferrer nofollow"`)
				}
			}
			b.WriteString(">")
			open = append(open, t.DataAtom)
		case html.EndTagToken:
			if dropped[t.DataAtom] {
				if skip > 0 {
					skip--
				}
				continue
			}
			if skip > 0 || !allowed[t.DataAtom] || t.DataAtom == atom.Br {
				continue
			}
			// Close up to the matching open element; a stray end tag is dropped.
			for i := len(open) - 1; i >= 0; i-- {
				if open[i] == t.DataAtom {
					for j := len(open) - 1; j >= i; j-- {
						b.WriteString("</" + open[j].String() + ">")
					}
					open = open[:i]
					break
				}
			}
		}
	}
	for j := len(open) - 1; j >= 0; j-- {
		b.WriteString("</" + open[j].String() + ">")
	}
	return b.String()
}

// safeHref is an <a>'s href when it is an absolute http, https or mailto URL.
func safeHref(attrs []html.Attribute) (string, bool) {
	for _, a := range attrs {
		if a.Namespace != "" || a.Key != "href" {
			continue
		}
		u, err := url.Parse(strings.TrimSpace(a.Val))
		if err != nil {
			return "", false
		}
		switch strings.ToLower(u.Scheme) {
		case "http", "https", "mailto":
			return u.String(), true
		}
		return "", false
	}
	return "", false
}
