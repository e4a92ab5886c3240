package mailtest

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"strings"
	"unicode/utf8"
)

// maxDepth bounds nested multiparts; real mail nests two or three deep.
const maxDepth = 8

// Parse decodes a raw RFC 5322 message: headers (RFC 2047 encoded words),
// MIME multiparts, quoted-printable and base64 transfer encodings, and the
// UTF-8, US-ASCII and ISO-8859-1 charsets. The envelope fields (From, To)
// are left empty: they are not part of the message.
func Parse(raw []byte) (Message, error) {
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return Message{}, fmt.Errorf("parse message: %w", err)
	}
	var dec mime.WordDecoder
	subject, err := dec.DecodeHeader(msg.Header.Get("Subject"))
	if err != nil {
		return Message{}, fmt.Errorf("decode subject: %w", err)
	}
	from, err := dec.DecodeHeader(msg.Header.Get("From"))
	if err != nil {
		return Message{}, fmt.Errorf("decode from: %w", err)
	}
	m := Message{HeaderFrom: from, Subject: subject, Header: msg.Header, Raw: raw}
	p := parser{m: &m}
	if err := p.walk(msg.Header.Get("Content-Type"), msg.Header.Get("Content-Transfer-Encoding"), "", msg.Body, 0); err != nil {
		return Message{}, err
	}
	return m, nil
}

type parser struct {
	m             *Message
	gotText, gotH bool
}

// walk decodes one entity, descending into multiparts, and keeps the first
// inline text/plain and text/html bodies.
func (p *parser) walk(ctype, cte, disposition string, body io.Reader, depth int) error {
	if ctype == "" {
		ctype = "text/plain; charset=us-ascii" // RFC 2045 §5.2
	}
	mt, params, err := mime.ParseMediaType(ctype)
	if err != nil {
		return fmt.Errorf("content type %q: %w", ctype, err)
	}
	if strings.HasPrefix(mt, "multipart/") {
		if depth >= maxDepth {
			return fmt.Errorf("multipart nested deeper than %d", maxDepth)
		}
		if params["boundary"] == "" {
			return fmt.Errorf("%s without boundary", mt)
		}
		mr := multipart.NewReader(body, params["boundary"])
		for {
			// NextRawPart leaves the transfer encoding alone, so every
			// entity goes through the one decoder below.
			part, err := mr.NextRawPart()
			if err == io.EOF {
				return nil
			}
			if err != nil {
				return fmt.Errorf("read %s: %w", mt, err)
			}
			h := part.Header
			if err := p.walk(h.Get("Content-Type"), h.Get("Content-Transfer-Encoding"), h.Get("Content-Disposition"), part, depth+1); err != nil {
				return err
			}
		}
	}
	if d, _, _ := mime.ParseMediaType(disposition); d == "attachment" ||
		(mt == "text/plain" && p.gotText) || (mt == "text/html" && p.gotH) ||
		(mt != "text/plain" && mt != "text/html") {
		_, err := io.Copy(io.Discard, body)
		return err
	}
	r, err := transferDecoder(cte, body)
	if err != nil {
		return err
	}
	b, err := io.ReadAll(r)
	if err != nil {
		return fmt.Errorf("decode %s body (%s): %w", mt, cte, err)
	}
	text, err := toUTF8(params["charset"], b)
	if err != nil {
		return err
	}
	text = strings.ReplaceAll(text, "\r\n", "\n")
	if mt == "text/plain" {
		p.m.Text, p.gotText = text, true
	} else {
		p.m.HTML, p.gotH = text, true
	}
	return nil
}

func transferDecoder(cte string, body io.Reader) (io.Reader, error) {
	switch strings.ToLower(strings.TrimSpace(cte)) {
	case "", "7bit", "8bit", "binary":
		return body, nil
	case "quoted-printable":
		return quotedprintable.NewReader(body), nil
	case "base64":
		// The standard decoder skips the CR LF line breaks of MIME base64.
		return base64.NewDecoder(base64.StdEncoding, body), nil
	default:
		return nil, fmt.Errorf("unknown transfer encoding %q", cte)
	}
}

func toUTF8(charset string, b []byte) (string, error) {
	switch strings.ToLower(strings.TrimSpace(charset)) {
	case "", "utf-8", "utf8", "us-ascii":
		if !utf8.Valid(b) {
			return "", fmt.Errorf("body is not valid UTF-8 (charset %q)", charset)
		}
		return string(b), nil
	case "iso-8859-1", "latin1":
		r := make([]rune, len(b))
		for i, c := range b {
			r[i] = rune(c)
		}
		return string(r), nil
	default:
		return "", fmt.Errorf("unsupported charset %q", charset)
	}
}
