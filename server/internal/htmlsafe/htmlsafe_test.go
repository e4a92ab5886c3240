package htmlsafe

import "testing"

func TestSanitize(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{name: "plainText", in: "a < b & c", want: "a &lt; b &amp; c"},
		{name: "allowedKept", in: "<p>These <b>Terms</b> and <i>Conditions</i></p>", want: "<p>These <b>Terms</b> and <i>Conditions</i></p>"},
		{name: "scriptDropped", in: "<p>hi<script>alert(1)</script></p>", want: "<p>hi</p>"},
		{name: "scriptUppercase", in: "<SCRIPT>alert(1)</SCRIPT>ok", want: "ok"},
		{name: "attributesDropped", in: `<p onclick="x()" style="color:red">t</p>`, want: "<p>t</p>"},
		{name: "imgOnerror", in: `<img src=x onerror=alert(1)>t`, want: "t"},
		{name: "javascriptHref", in: `<a href="javascript:alert(1)">x</a>`, want: "<a>x</a>"},
		{name: "httpsHref", in: `<a href="https://example.com/t?a=1&b=2" target=_blank>x</a>`, want: `<a href="https://example.com/t?a=1&amp;b=2" rel="noopener noreferrer nofollow">x</a>`},
		{name: "unclosedClosed", in: "<b><i>x", want: "<b><i>x</i></b>"},
		{name: "strayEndDropped", in: "x</b></div>", want: "x"},
		{name: "unknownElementKeepsText", in: "<div><span>x</span></div>", want: "x"},
		{name: "svgDropped", in: `<svg><script>alert(1)</script></svg>y`, want: "y"},
		{name: "commentDropped", in: "a<!-- <script>x</script> -->b", want: "ab"},
		{name: "entityReescaped", in: "&lt;script&gt;", want: "&lt;script&gt;"},
		{name: "brSelfClosing", in: "a<br/>b", want: "a<br>b"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Sanitize(tt.in); got != tt.want {
				t.Errorf("Sanitize(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
