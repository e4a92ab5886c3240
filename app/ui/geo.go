package ui

// placeText is an address for people: "203.0.113.9 (Berlin, Germany)"
// when the server placed it (it has a GeoIP database), else the address.
func placeText(ip, city, country string) string {
	place := city
	switch {
	case city != "" && country != "":
		place = city + ", " + country
	case city == "":
		place = country
	}
	if place == "" || ip == "" {
		return ip
	}
	return ip + " (" + place + ")"
}
