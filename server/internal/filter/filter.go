// Package filter parses the SCIM filter subset the management API's lists
// accept (PingOne's, RFC 7644 §3.4.2.2): `attr eq "value"` comparisons
// joined by `and` and `or`, with parentheses, on the attributes each list
// names; and matches records against it. Keywords and attribute names are
// case-insensitive; "and" binds tighter than "or". Anything else (other
// operators, `not`, unquoted values, unknown attributes) is an error whose
// message is safe to show the client.
package filter

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Limits keep a hostile filter cheap to parse and match.
const (
	MaxLength = 1024 // bytes
	MaxTerms  = 32   // comparisons
	MaxDepth  = 8    // nested parentheses
)

// Expr is a parsed filter.
type Expr interface {
	// Match reports whether a record whose attribute values get returns
	// satisfies the filter.
	Match(get func(attr string) string) bool
}

// Error is a filter the parser refuses; its message names the problem and
// where, for the API's detail.
type Error struct{ msg string }

func (e *Error) Error() string { return e.msg }

func fail(format string, args ...any) error { return &Error{msg: fmt.Sprintf(format, args...)} }

type eq struct{ attr, value string }

func (e eq) Match(get func(string) string) bool { return strings.EqualFold(get(e.attr), e.value) }

type and []Expr

func (a and) Match(get func(string) string) bool {
	for _, x := range a {
		if !x.Match(get) {
			return false
		}
	}
	return true
}

type or []Expr

func (o or) Match(get func(string) string) bool {
	for _, x := range o {
		if x.Match(get) {
			return true
		}
	}
	return false
}

// Parse parses s, allowing comparisons on attrs only (Match is asked for
// them in the spelling given here, whatever case the filter used).
func Parse(s string, attrs ...string) (Expr, error) {
	if len(s) > MaxLength {
		return nil, fail("is longer than %d characters", MaxLength)
	}
	if !utf8.ValidString(s) {
		return nil, fail("is not valid UTF-8")
	}
	toks, err := lex(s)
	if err != nil {
		return nil, err
	}
	if len(toks) == 1 { // only the end
		return nil, fail("is empty")
	}
	p := &parser{toks: toks, attrs: attrs}
	x, err := p.or(0)
	if err != nil {
		return nil, err
	}
	if t := p.peek(); t.kind != tEOF {
		return nil, fail("has %s at %d where the filter should end", t, t.pos)
	}
	return x, nil
}

type kind int

const (
	tEOF kind = iota
	tWord
	tString
	tOpen
	tClose
)

type token struct {
	kind kind
	text string // a word as written, a string's value
	pos  int    // 1-based byte offset, for messages
}

func (t token) String() string {
	switch t.kind {
	case tEOF:
		return "the end"
	case tString:
		return "a string"
	case tOpen:
		return `"("`
	case tClose:
		return `")"`
	}
	return fmt.Sprintf("%q", t.text)
}

func lex(s string) ([]token, error) {
	var out []token
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '(':
			out = append(out, token{kind: tOpen, pos: i + 1})
			i++
		case c == ')':
			out = append(out, token{kind: tClose, pos: i + 1})
			i++
		case c == '"':
			v, n, err := lexString(s[i:], i+1)
			if err != nil {
				return nil, err
			}
			out = append(out, token{kind: tString, text: v, pos: i + 1})
			i += n
		case isWordByte(c):
			j := i
			for j < len(s) && isWordByte(s[j]) {
				j++
			}
			out = append(out, token{kind: tWord, text: s[i:j], pos: i + 1})
			i = j
		default:
			r, _ := utf8.DecodeRuneInString(s[i:])
			return nil, fail("has an unexpected %q at %d", r, i+1)
		}
	}
	return append(out, token{kind: tEOF, pos: len(s) + 1}), nil
}

// isWordByte: attribute names (with sub-attribute dots) and keywords, and
// bare values (numbers, true), which the parser then refuses by name.
func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-' || c == '$' || c == ':'
}

// lexString reads a double-quoted string with JSON's \" and \\ escapes and
// returns its value and length in s.
func lexString(s string, pos int) (string, int, error) {
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		switch s[i] {
		case '"':
			return b.String(), i + 1, nil
		case '\\':
			if i+1 >= len(s) || (s[i+1] != '"' && s[i+1] != '\\') {
				return "", 0, fail(`has an unsupported escape in the string at %d (only \" and \\)`, pos)
			}
			i++
			b.WriteByte(s[i])
		default:
			b.WriteByte(s[i])
		}
	}
	return "", 0, fail("has a string at %d that is not closed", pos)
}

type parser struct {
	toks  []token
	i     int
	terms int
	attrs []string
}

func (p *parser) peek() token { return p.toks[p.i] }
func (p *parser) next() token { t := p.toks[p.i]; p.i++; return t }

func (p *parser) keyword(t token, kw string) bool {
	return t.kind == tWord && strings.EqualFold(t.text, kw)
}

func (p *parser) or(depth int) (Expr, error) {
	return joined[or](p, "or", func() (Expr, error) { return p.and(depth) })
}

func (p *parser) and(depth int) (Expr, error) {
	return joined[and](p, "and", func() (Expr, error) { return p.primary(depth) })
}

// joined parses one level of the grammar: operands joined by the keyword
// kw. A lone operand is itself; several make one L node.
func joined[L interface {
	~[]Expr
	Expr
}](p *parser, kw string, operand func() (Expr, error)) (Expr, error) {
	x, err := operand()
	if err != nil {
		return nil, err
	}
	xs := L{x}
	for p.keyword(p.peek(), kw) {
		p.next()
		y, err := operand()
		if err != nil {
			return nil, err
		}
		xs = append(xs, y)
	}
	if len(xs) == 1 {
		return x, nil
	}
	return xs, nil
}

func (p *parser) primary(depth int) (Expr, error) {
	t := p.next()
	switch {
	case t.kind == tOpen:
		if depth >= MaxDepth {
			return nil, fail("nests parentheses deeper than %d", MaxDepth)
		}
		x, err := p.or(depth + 1)
		if err != nil {
			return nil, err
		}
		if c := p.next(); c.kind != tClose {
			return nil, fail(`has %s at %d where ")" should close the "(" at %d`, c, c.pos, t.pos)
		}
		return x, nil
	case p.keyword(t, "not"):
		return nil, fail(`uses "not" at %d, which is not supported (only eq, and, or)`, t.pos)
	case t.kind != tWord || p.keyword(t, "and") || p.keyword(t, "or"):
		return nil, fail("has %s at %d where an attribute name should be", t, t.pos)
	}
	attr := ""
	for _, a := range p.attrs {
		if strings.EqualFold(a, t.text) {
			attr = a
		}
	}
	if attr == "" {
		return nil, fail("names %q at %d, which cannot be filtered on (only %s)", t.text, t.pos, strings.Join(p.attrs, ", "))
	}
	op := p.next()
	if op.kind != tWord {
		return nil, fail("has %s at %d where an operator should be", op, op.pos)
	}
	if !strings.EqualFold(op.text, "eq") {
		return nil, fail("uses the operator %q at %d, which is not supported (only eq)", op.text, op.pos)
	}
	v := p.next()
	if v.kind != tString {
		return nil, fail("has %s at %d where a quoted value should be", v, v.pos)
	}
	if p.terms++; p.terms > MaxTerms {
		return nil, fail("has more than %d comparisons", MaxTerms)
	}
	return eq{attr: attr, value: v.text}, nil
}
