package totp

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"io"
	"strings"

	"github.com/boombuler/barcode"
	"github.com/boombuler/barcode/qr"
	"github.com/pquerna/otp"
	pqtotp "github.com/pquerna/otp/totp"
)

// QRSize is the width and height of the QR code PNG in pixels.
const QRSize = 256

// quietZone is the blank border around a QR code, in modules, that
// ISO/IEC 18004 requires; scanners struggle without it on a dark page.
const quietZone = 4

// Config describes a key to enroll. Zero Period, Digits and Algorithm mean
// the defaults (30 s, 6 digits, SHA1: what every authenticator app reads).
type Config struct {
	Issuer      string // the environment's name, shown in the app
	AccountName string // the username
	Period      uint
	Digits      int
	Algorithm   Algorithm
	// SecretSize is the secret's length in bytes; zero means the hash's
	// output size (20, 32 or 64), the key length RFC 4226 and 6238 use.
	SecretSize int
	Rand       io.Reader // crypto/rand.Reader in production
}

// Enrollment is a new key, shown to the user only while pairing.
type Enrollment struct {
	Secret string // base32, upper case, unpadded: for manual entry
	URI    string // otpauth://totp/Issuer:account?…
	PNG    []byte // the URI as a QR code, QRSize×QRSize pixels
	Params Params // store with the device; verify with them
}

// MinSecretSize is the shortest secret Enroll makes: RFC 4226 requires 128
// bits and recommends 160.
const MinSecretSize = 16

// Enroll generates a key and renders it for an authenticator app.
func Enroll(cfg Config) (Enrollment, error) {
	p := Params{Period: cfg.Period, Digits: cfg.Digits, Algorithm: cfg.Algorithm}.withDefaults()
	if err := p.check(); err != nil {
		return Enrollment{}, fmt.Errorf("totp: enroll: %w", err)
	}
	if cfg.Rand == nil {
		return Enrollment{}, errors.New("totp: enroll: Rand is nil")
	}
	if err := checkLabel(cfg); err != nil {
		return Enrollment{}, fmt.Errorf("totp: enroll: %w", err)
	}
	size := cfg.SecretSize
	if size == 0 {
		size = p.hashSize()
	}
	if size < MinSecretSize {
		return Enrollment{}, fmt.Errorf("totp: enroll: secret of %d bytes, want at least %d", size, MinSecretSize)
	}
	e, err := render(cfg, p, size, nil)
	if err != nil {
		return Enrollment{}, fmt.Errorf("totp: enroll: %w", err)
	}
	return e, nil
}

// Render shows an existing secret again, as Enroll showed it: the URI and
// QR code of a pairing still pending, so the secret itself need not be
// kept anywhere but sealed. cfg.Rand and cfg.SecretSize are not used.
func Render(cfg Config, secretBase32 string) (Enrollment, error) {
	p := Params{Period: cfg.Period, Digits: cfg.Digits, Algorithm: cfg.Algorithm}.withDefaults()
	if err := p.check(); err != nil {
		return Enrollment{}, fmt.Errorf("totp: render: %w", err)
	}
	if err := checkLabel(cfg); err != nil {
		return Enrollment{}, fmt.Errorf("totp: render: %w", err)
	}
	key, err := decodeSecret(secretBase32)
	if err != nil {
		return Enrollment{}, fmt.Errorf("totp: render: %w", err)
	}
	e, err := render(cfg, p, len(key), key)
	if err != nil {
		return Enrollment{}, fmt.Errorf("totp: render: %w", err)
	}
	return e, nil
}

// checkLabel refuses an empty issuer or account name, or one with a colon:
// the Key URI format splits the label "issuer:account" at the first colon,
// so a colon in either would misattribute the account.
func checkLabel(cfg Config) error {
	for _, f := range []struct{ name, v string }{{"issuer", cfg.Issuer}, {"account name", cfg.AccountName}} {
		if f.v == "" {
			return fmt.Errorf("empty %s", f.name)
		}
		if strings.Contains(f.v, ":") {
			return fmt.Errorf("%s contains a colon", f.name)
		}
	}
	return nil
}

// render makes the key (a random one of size bytes when secret is nil), its
// URI and QR code.
func render(cfg Config, p Params, size int, secret []byte) (Enrollment, error) {
	key, err := pqtotp.Generate(pqtotp.GenerateOpts{
		Issuer:      cfg.Issuer,
		AccountName: cfg.AccountName,
		Period:      p.Period,
		SecretSize:  uint(size),
		Secret:      secret,
		Digits:      otp.Digits(p.Digits),
		Algorithm:   pqAlgorithm(p.Algorithm),
		Rand:        cfg.Rand,
	})
	if err != nil {
		return Enrollment{}, fmt.Errorf("generate key: %w", err)
	}
	img, err := qrImage(key.String())
	if err != nil {
		return Enrollment{}, err
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		return Enrollment{}, fmt.Errorf("encode png: %w", err)
	}
	return Enrollment{Secret: key.Secret(), URI: key.String(), PNG: b.Bytes(), Params: p}, nil
}

func pqAlgorithm(a Algorithm) otp.Algorithm {
	switch a {
	case SHA256:
		return otp.AlgorithmSHA256
	case SHA512:
		return otp.AlgorithmSHA512
	}
	return otp.AlgorithmSHA1
}

// qrImage renders uri as pquerna's Key.Image does (boombuler/barcode, error
// correction M) but scales by whole pixels per module and leaves the quiet
// zone Key.Image omits, on a QRSize square grey-scale image.
func qrImage(uri string) (image.Image, error) {
	code, err := qr.Encode(uri, qr.M, qr.Auto)
	if err != nil {
		return nil, fmt.Errorf("qr encode: %w", err)
	}
	n := code.Bounds().Dx()
	scale := QRSize / (n + 2*quietZone)
	if scale < 1 {
		return nil, fmt.Errorf("qr code of %d modules does not fit %d pixels", n, QRSize)
	}
	scaled, err := barcode.Scale(code, n*scale, n*scale)
	if err != nil {
		return nil, fmt.Errorf("qr scale: %w", err)
	}
	img := image.NewGray(image.Rect(0, 0, QRSize, QRSize))
	draw.Draw(img, img.Bounds(), image.NewUniform(color.White), image.Point{}, draw.Src)
	off := (QRSize - n*scale) / 2
	draw.Draw(img, image.Rect(off, off, off+n*scale, off+n*scale), scaled, scaled.Bounds().Min, draw.Src)
	return img, nil
}
