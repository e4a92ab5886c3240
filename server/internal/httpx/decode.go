package httpx

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/myaccount/myaccount/shared/apierr"
	"github.com/myaccount/myaccount/shared/paths"
)

// RequireJSON answers 415 unless the request's media type is
// application/json (parameters such as charset allowed).
func RequireJSON(c *fiber.Ctx) error {
	mt, _, err := mime.ParseMediaType(c.Get(fiber.HeaderContentType))
	if err != nil || mt != paths.JSON {
		return apierr.New(fiber.StatusUnsupportedMediaType, apierr.UnsupportedMediaType,
			"Content-Type must be application/json.")
	}
	return nil
}

// Action returns the action named by a vnd.pingidentity media type, or a 415
// when the request carries none.
func Action(c *fiber.Ctx) (string, error) {
	a := paths.ActionOf(c.Get(fiber.HeaderContentType))
	if a == "" {
		return "", apierr.New(fiber.StatusUnsupportedMediaType, apierr.UnsupportedMediaType,
			"Content-Type must be application/vnd.pingidentity.<action>+json.")
	}
	return a, nil
}

// Decode reads the JSON body into v strictly: unknown fields, trailing data
// and values of the wrong type (for example {"$ne": ""} where a string is
// expected) are a 400 INVALID_DATA naming the field.
func Decode(c *fiber.Ctx, v any) error {
	return DecodeBytes(c.Body(), v)
}

// DecodeBytes is Decode for a body already in hand.
func DecodeBytes(body []byte, v any) error {
	if len(bytes.TrimSpace(body)) == 0 {
		return apierr.Invalid("The request body is empty.")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return decodeError(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return apierr.Invalid("The request body holds more than one JSON value.")
	}
	return nil
}

func decodeError(err error) error {
	var te *json.UnmarshalTypeError
	var se *json.SyntaxError
	switch {
	case errors.As(err, &te):
		field := te.Field
		if field == "" {
			field = "body"
		}
		return apierr.Invalid("The request has a value of the wrong type.",
			apierr.Field(apierr.DetailInvalidValue, field, fmt.Sprintf("%s must be a %s.", field, te.Type.String())))
	case errors.As(err, &se):
		return apierr.Invalid("The request body is not valid JSON.")
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		field := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return apierr.Invalid("The request names an attribute that cannot be set here.",
			apierr.Field(apierr.DetailUnknownAttribute, field, field+" is not a known or writable attribute."))
	default:
		return apierr.Invalid("The request body could not be read.")
	}
}
