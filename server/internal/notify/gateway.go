package notify

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"time"
)

// DefaultGatewayTimeout bounds one gateway request when Config.Timeout is unset.
const DefaultGatewayTimeout = 10 * time.Second

// GatewayRequest is the JSON body POSTed to SMS_GATEWAY_URL, one per
// message: the gateway sends Text as a text message (SMS) or reads it out
// in a call (VOICE) to To, an E.164 number.
type GatewayRequest struct {
	Channel string `json:"channel"`
	To      string `json:"to"`
	Text    string `json:"text"`
}

// Gateway delivers SMS and voice messages through an HTTP gateway: any 2xx
// answer is a delivery, anything else an error.
type Gateway struct {
	url     string
	client  *http.Client
	timeout time.Duration
	log     *slog.Logger
}

// NewGateway returns the HTTP gateway sender for cfg.SMSGatewayURL.
func NewGateway(cfg Config) (*Gateway, error) {
	u, err := url.Parse(cfg.SMSGatewayURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, errors.New("notify: SMS gateway URL must be an http(s) URL")
	}
	g := &Gateway{url: cfg.SMSGatewayURL, client: cfg.HTTPClient, timeout: cfg.Timeout, log: cfg.Logger}
	if g.client == nil {
		g.client = &http.Client{}
	}
	if g.timeout <= 0 {
		g.timeout = DefaultGatewayTimeout
	}
	if g.log == nil {
		g.log = slog.New(slog.DiscardHandler)
	}
	return g, nil
}

// Send POSTs m to the gateway. Errors never contain the number or the text
// (a transport error quoting the URL is fine: it names the gateway).
func (g *Gateway) Send(ctx context.Context, m Message) error {
	if err := checkMessage(&m); err != nil {
		return fmt.Errorf("sms gateway: %w", err)
	}
	if m.Channel != ChannelSMS && m.Channel != ChannelVoice {
		return fmt.Errorf("sms gateway: cannot send channel %s", m.Channel)
	}
	body, err := json.Marshal(GatewayRequest{Channel: m.Channel, To: m.To, Text: m.Text})
	if err != nil {
		return fmt.Errorf("sms gateway: encode: %w", err)
	}
	ctx, cancel := context.WithTimeout(ctx, g.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, g.url, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("sms gateway: request: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	resp, err := g.client.Do(req)
	if err != nil {
		return redact(fmt.Errorf("sms gateway: %s: %w", m.Channel, err), m.To)
	}
	// Drain a little so the connection can be reused; the body may echo
	// the number, so it is never put in the error.
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 4096))
	_ = resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return fmt.Errorf("sms gateway: %s: status %d", m.Channel, resp.StatusCode)
	}
	g.log.InfoContext(ctx, "message sent to the SMS gateway", "environmentId", m.EnvironmentID, "channel", m.Channel)
	return nil
}

// Router sends e-mail through Email and SMS and voice through Phone, by
// Message.Channel.
type Router struct {
	Email Sender
	Phone Sender
}

// Send hands m to the transport of its channel.
func (r Router) Send(ctx context.Context, m Message) error {
	switch m.Channel {
	case ChannelSMS, ChannelVoice:
		return r.Phone.Send(ctx, m)
	}
	return r.Email.Send(ctx, m)
}
