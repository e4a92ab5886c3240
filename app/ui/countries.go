package ui

import "strings"

// Country is one entry of the phone form's country selector: the ISO
// 3166-1 alpha-2 code sent as the device's region, and the calling code
// shown beside the name.
type Country struct {
	Code string // "FR"
	Name string // "France"
	Dial string // "33", without the +
}

// Label is how the selector shows the country: "France (+33)".
func (c Country) Label() string { return c.Name + " (+" + c.Dial + ")" }

// countries is the phone form's list (read-only), by name. It is kept
// small on purpose: the server checks numbers with libphonenumber's full
// metadata, which is too big for the PWA, and an international number
// (+…) works for any country missing here. A test checks each calling
// code against libphonenumber.
var countries = []Country{
	{"AR", "Argentina", "54"},
	{"AU", "Australia", "61"},
	{"AT", "Austria", "43"},
	{"BE", "Belgium", "32"},
	{"BR", "Brazil", "55"},
	{"BG", "Bulgaria", "359"},
	{"CA", "Canada", "1"},
	{"CL", "Chile", "56"},
	{"CN", "China", "86"},
	{"CO", "Colombia", "57"},
	{"HR", "Croatia", "385"},
	{"CY", "Cyprus", "357"},
	{"CZ", "Czechia", "420"},
	{"DK", "Denmark", "45"},
	{"EG", "Egypt", "20"},
	{"EE", "Estonia", "372"},
	{"FI", "Finland", "358"},
	{"FR", "France", "33"},
	{"DE", "Germany", "49"},
	{"GR", "Greece", "30"},
	{"HK", "Hong Kong", "852"},
	{"HU", "Hungary", "36"},
	{"IS", "Iceland", "354"},
	{"IN", "India", "91"},
	{"ID", "Indonesia", "62"},
	{"IE", "Ireland", "353"},
	{"IL", "Israel", "972"},
	{"IT", "Italy", "39"},
	{"JP", "Japan", "81"},
	{"KE", "Kenya", "254"},
	{"LV", "Latvia", "371"},
	{"LT", "Lithuania", "370"},
	{"LU", "Luxembourg", "352"},
	{"MY", "Malaysia", "60"},
	{"MT", "Malta", "356"},
	{"MX", "Mexico", "52"},
	{"MA", "Morocco", "212"},
	{"NL", "Netherlands", "31"},
	{"NZ", "New Zealand", "64"},
	{"NG", "Nigeria", "234"},
	{"NO", "Norway", "47"},
	{"PK", "Pakistan", "92"},
	{"PE", "Peru", "51"},
	{"PH", "Philippines", "63"},
	{"PL", "Poland", "48"},
	{"PT", "Portugal", "351"},
	{"RO", "Romania", "40"},
	{"SA", "Saudi Arabia", "966"},
	{"SG", "Singapore", "65"},
	{"SK", "Slovakia", "421"},
	{"SI", "Slovenia", "386"},
	{"ZA", "South Africa", "27"},
	{"KR", "South Korea", "82"},
	{"ES", "Spain", "34"},
	{"SE", "Sweden", "46"},
	{"CH", "Switzerland", "41"},
	{"TW", "Taiwan", "886"},
	{"TH", "Thailand", "66"},
	{"TR", "Türkiye", "90"},
	{"UA", "Ukraine", "380"},
	{"AE", "United Arab Emirates", "971"},
	{"GB", "United Kingdom", "44"},
	{"US", "United States", "1"},
	{"VN", "Vietnam", "84"},
}

// countryByCode finds a country of the list by its ISO code, in any case.
func countryByCode(code string) (Country, bool) {
	code = strings.ToUpper(strings.TrimSpace(code))
	for _, c := range countries {
		if c.Code == code {
			return c, true
		}
	}
	return Country{}, false
}

// defaultCountry picks the selector's first choice from the browser's
// languages (navigator.languages, e.g. "fr-FR", "zh-Hant-TW"): the first
// region subtag that names a listed country, else the list's first entry.
// A bare language ("fr") says nothing about where the phone is.
func defaultCountry(langs []string) string {
	for _, l := range langs {
		parts := strings.FieldsFunc(l, func(r rune) bool { return r == '-' || r == '_' })
		for _, sub := range parts[min(1, len(parts)):] {
			if len(sub) != 2 {
				continue
			}
			if c, ok := countryByCode(sub); ok {
				return c.Code
			}
		}
	}
	return countries[0].Code
}
