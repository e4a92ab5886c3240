package store

import "time"

// Branding is an environment's look: its name, colours ("#rrggbb"; empty
// means the default), footer text and logo. Stored with the environment:
// it is small and bounded (the logo at most resource.MaxLogoBytes).
type Branding struct {
	CompanyName      string    `bson:"companyName" json:"companyName"`
	BrandColour      string    `bson:"brandColour" json:"brandColour"`
	TextOnBrand      string    `bson:"textOnBrand" json:"textOnBrand"`
	BackgroundColour string    `bson:"backgroundColour" json:"backgroundColour"`
	Footer           string    `bson:"footer" json:"footer"`
	Logo             *Logo     `bson:"logo,omitempty" json:"logo,omitempty"`
	UpdatedAt        time.Time `bson:"updatedAt" json:"updatedAt"`
}

// Logo is an uploaded, checked logo image. ETag is the hex SHA-256 of Data.
type Logo struct {
	ContentType string    `bson:"contentType" json:"contentType"`
	Data        []byte    `bson:"data" json:"data"`
	Width       int       `bson:"width" json:"width"`
	Height      int       `bson:"height" json:"height"`
	ETag        string    `bson:"etag" json:"etag"`
	UpdatedAt   time.Time `bson:"updatedAt" json:"updatedAt"`
}
