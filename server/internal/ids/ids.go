// Package ids makes record ids: UUIDv7, so that id order is creation order
// (lists page by id) and ids leak nothing but their creation time.
package ids

import "github.com/google/uuid"

// New returns a fresh UUIDv7 in canonical lower-case form.
func New() string {
	return uuid.Must(uuid.NewV7()).String()
}
