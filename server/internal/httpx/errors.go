// Package httpx holds the HTTP plumbing every handler shares: the one Fiber
// error handler (the only place error JSON is written), request decoding,
// middleware (request ids, access log, security headers) and client-IP rules.
package httpx

import (
	"errors"
	"log/slog"
	"net/http"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/myaccount/myaccount/shared/apierr"
	"github.com/myaccount/myaccount/shared/resource"
)

// OAuthError is an RFC 6749 error, the answer of the /as/ endpoints so that
// standard OAuth clients understand it.
type OAuthError struct {
	Status      int
	Code        string // invalid_request, invalid_grant, invalid_client, …
	Description string
	RetryAfter  int
}

func (e *OAuthError) Error() string { return "oauth " + e.Code + ": " + e.Description }

// OAuth builds an OAuthError.
func OAuth(status int, code, description string) *OAuthError {
	return &OAuthError{Status: status, Code: code, Description: description}
}

// ErrorHandler is the Fiber error handler: it renders *apierr.Error as
// PingOne JSON, *OAuthError as RFC 6749 JSON, Fiber's own errors (404, 405,
// 413, …) as PingOne JSON, and anything else as a 500 whose cause is logged
// once with the request id and never sent to the client.
func ErrorHandler(log *slog.Logger) fiber.ErrorHandler {
	return func(c *fiber.Ctx, err error) error {
		noStore(c)
		var oe *OAuthError
		if errors.As(err, &oe) {
			if oe.RetryAfter > 0 {
				c.Set(fiber.HeaderRetryAfter, strconv.Itoa(oe.RetryAfter))
			}
			if oe.Status == http.StatusUnauthorized && oe.Code == "invalid_client" {
				c.Set(fiber.HeaderWWWAuthenticate, `Basic realm="token"`)
			}
			return c.Status(oe.Status).JSON(resource.OAuthError{Error: oe.Code, Description: oe.Description})
		}
		var ae *apierr.Error
		if !errors.As(err, &ae) {
			ae = fromOther(c, log, err)
		}
		out := *ae
		out.ID = RequestID(c)
		status := out.Status
		if status == 0 {
			status = http.StatusBadRequest
		}
		if out.RetryAfter > 0 {
			c.Set(fiber.HeaderRetryAfter, strconv.Itoa(out.RetryAfter))
		}
		if status == http.StatusUnauthorized {
			c.Set(fiber.HeaderWWWAuthenticate, `Bearer error="invalid_token"`)
		}
		return c.Status(status).JSON(out)
	}
}

func fromOther(c *fiber.Ctx, log *slog.Logger, err error) *apierr.Error {
	var fe *fiber.Error
	if errors.As(err, &fe) {
		switch fe.Code {
		case http.StatusNotFound:
			return apierr.NotFoundError("The requested resource was not found.")
		case http.StatusMethodNotAllowed:
			return apierr.New(fe.Code, apierr.MethodNotAllowed, "The method is not allowed on this resource.")
		case http.StatusRequestEntityTooLarge:
			return apierr.New(fe.Code, apierr.RequestTooLarge, "The request body is too large.")
		case http.StatusUnsupportedMediaType:
			return apierr.New(fe.Code, apierr.UnsupportedMediaType, "The request content type is not supported.")
		case http.StatusBadRequest:
			return apierr.Invalid("The request could not be read.")
		case http.StatusTooManyRequests:
			return apierr.Limited(1)
		case http.StatusServiceUnavailable:
			return apierr.New(fe.Code, apierr.ServiceUnavailable, "The service is unavailable. Try again later.")
		}
		if fe.Code < 500 {
			return apierr.New(fe.Code, apierr.InvalidRequest, http.StatusText(fe.Code))
		}
	}
	log.Error("request failed", "requestId", RequestID(c), "method", c.Method(), "path", c.Path(), "err", err)
	return apierr.New(http.StatusInternalServerError, apierr.UnexpectedServerError, "An unexpected error occurred.")
}
