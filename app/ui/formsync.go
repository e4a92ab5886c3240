package ui

import "github.com/maxence-charriere/go-app/v10/pkg/app"

// syncFields puts values into the My profile controls ("pf-" + key) now.
// go-app drops an empty value attribute instead of setting the control's
// value, so a field going back to empty (Cancel, a reload, a value the
// server cleared) would keep showing what was typed; non-empty values go-app
// sets itself, after this, to the same thing. No-op on the host.
func syncFields(values map[string]string) {
	for k, v := range values {
		if el := app.Window().GetElementByID("pf-" + k); el.Truthy() && el.Get("value").String() != v {
			el.Set("value", v)
		}
	}
}
