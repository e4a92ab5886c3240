package ui

import "testing"

func TestAgreementPlainText(t *testing.T) {
	tests := []struct {
		name, contentType, text, want string
	}{
		{name: "plainKept", contentType: "text/plain", text: "<b>not markup</b>", want: "<b>not markup</b>"},
		{name: "htmlTagsDropped", contentType: "text/html", text: "<p>Be <b>nice</b>.</p><p>Or else.</p>", want: "Be nice.\nOr else."},
		{name: "entitiesDecodedAsText", contentType: "text/html", text: "<p>a &lt;script&gt; &amp; b</p>", want: "a <script> & b"},
		{name: "listItems", contentType: "text/html", text: "<ul><li>one</li><li>two</li></ul>", want: "one\ntwo"},
		{name: "breaks", contentType: "text/html", text: "a<br>b<BR/>c", want: "a\nb\nc"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := agreementPlainText(tt.contentType, tt.text); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}
