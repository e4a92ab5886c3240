package resource

import "time"

// Delivery methods of notification templates, PingOne's spelling.
const (
	DeliveryEmail = "Email"
	DeliverySMS   = "SMS"
	DeliveryVoice = "Voice"
)

// NotificationTemplate is one kind of notification
// (/environments/{envId}/templates/{templateName}): its variables, its
// built-in English text and the locales the environment has its own
// text for.
type NotificationTemplate struct {
	Links          Links        `json:"_links"`
	Name           string       `json:"name"`
	Description    string       `json:"description"`
	DeliveryMethod string       `json:"deliveryMethod"`
	Variables      []string     `json:"variables"`
	Default        TemplateText `json:"default"`
	Locales        []string     `json:"locales"`
}

// TemplateText is a subject (empty for SMS and voice) and a plain-text
// body with ${variable} placeholders.
type TemplateText struct {
	Subject string `json:"subject,omitempty"`
	Body    string `json:"body"`
}

// TemplateContent is one locale's text of a notification template
// (…/templates/{templateName}/contents/{locale}). Default is true for the
// built-in English text the environment has not replaced.
type TemplateContent struct {
	Links          Links      `json:"_links"`
	Template       string     `json:"template"`
	Locale         string     `json:"locale"`
	DeliveryMethod string     `json:"deliveryMethod"`
	Subject        string     `json:"subject,omitempty"`
	Body           string     `json:"body"`
	Default        bool       `json:"default"`
	UpdatedAt      *time.Time `json:"updatedAt,omitempty"`
}
