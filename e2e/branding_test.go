package e2e

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/myaccount/myaccount/shared/paths"
)

// TestBranding: the administrator sets the Default environment's company
// name, brand colour and footer and uploads a PNG logo in the console; the
// Default environment's sign-on page (in another tab) shows the logo, the
// name, the colour and the footer; with "Show footer" turned off in the
// console the footer is gone from a fresh sign-on page, the rest stays.
func TestBranding(t *testing.T) {
	chromium := chromiumPath(t)
	requireWasm(t)
	srv := startServer(t, serverConfig{dataDir: t.TempDir()})
	b := newBrowser(t, chromium)

	logo := filepath.Join(t.TempDir(), "logo.png")
	img := image.NewRGBA(image.Rect(0, 0, 120, 40))
	for x := range 120 {
		for y := range 40 {
			img.Set(x, y, color.RGBA{R: 255, G: 170, B: 0, A: 255})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(logo, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}

	signOnConsole(b, srv)
	chooseConsoleEnv(b, defaultEnvID)
	openConsoleSection(b, "branding")
	p := "#panel-branding "
	b.do("branding loaded", chromedp.WaitVisible(chromedp.CSS(p+"#branding-show-footer:checked")))
	b.do("fill in the branding",
		chromedp.SendKeys(chromedp.CSS(p+"#branding-name"), "Acme Test"),
		chromedp.SendKeys(chromedp.CSS(p+"#branding-brand"), "#0b5394"),
		chromedp.SendKeys(chromedp.CSS(p+"#branding-footer"), "Acme footer text"),
		click(chromedp.CSS(p+"#branding-save")),
	)
	run(b, "branding saved", chromedp.Poll[bool](`document.getElementById("branding-notice").textContent === "Saved."`,
		chromedp.WithPollingTimeout(stepTimeout)))

	// A bad colour is the server's (or the form's) error, shown.
	b.do("a text colour without contrast",
		chromedp.SendKeys(chromedp.CSS(p+"#branding-text"), "#0b5395"),
		click(chromedp.CSS(p+"#branding-save")),
		chromedp.WaitVisible(chromedp.CSS(p+".error")))
	if got := b.text(p + ".error"); !strings.Contains(got, "contrast") {
		t.Errorf("contrast error %q", got)
	}
	b.do("clear the text colour", chromedp.Evaluate[chromedp.Void](`(() => { const el = document.getElementById("branding-text"); el.value = "";
		el.dispatchEvent(new Event("input", {bubbles: true})); })()`))

	b.do("upload the logo", chromedp.SetUploadFiles(chromedp.CSS(p+"#branding-logo-file"), []string{logo}),
		chromedp.WaitVisible(chromedp.CSS(p+"#branding-logo-preview")))
	if got := b.text(p + "#branding-notice"); got != "Logo uploaded." {
		t.Errorf("after the upload: %q (%s)", got, b.text(p))
	}
	b.shot("console-branding")

	// The sign-on page of Default, in a second tab so the console stays.
	tab := b.newTab()
	signOnPage := func() {
		tab.do("Default's sign-on page", chromedp.Navigate(srv.URL+paths.Build(paths.MyAccount, defaultEnvID)))
		tab.do("its sign-on form", chromedp.WaitVisible(chromedp.ID("username")))
		tab.do("its logo", chromedp.WaitVisible(chromedp.ID("brand-logo")))
	}
	signOnPage()
	if got := tab.text("#brand-name"); got != "Acme Test" {
		t.Errorf("company name %q", got)
	}
	src := run(tab, "logo src", chromedp.Evaluate[string](`document.getElementById("brand-logo").src`))
	if !strings.HasPrefix(src, srv.URL+"/"+defaultEnvID+"/branding/logo?v=") {
		t.Errorf("logo src %q", src)
	}
	loaded := run(tab, "logo decoded", chromedp.Poll[bool](`document.getElementById("brand-logo").complete && document.getElementById("brand-logo").naturalWidth === 120`,
		chromedp.WithPollingTimeout(stepTimeout)))
	if !loaded {
		t.Error("the logo image did not load")
	}
	run(tab, "footer shown", chromedp.Poll[bool](`(() => { const f = document.getElementById("brand-footer"); return !f.hidden && f.textContent === "Acme footer text"; })()`,
		chromedp.WithPollingTimeout(stepTimeout)))
	run(tab, "brand colour applied", chromedp.Poll[bool](`getComputedStyle(document.documentElement).getPropertyValue("--brand").trim() === "#0b5394"`,
		chromedp.WithPollingTimeout(stepTimeout)))
	tab.shot("signon-branded")

	// Show footer off, in the console.
	b.do("turn Show footer off", click(chromedp.CSS(p+"#branding-show-footer")),
		chromedp.WaitVisible(chromedp.CSS(p+"#branding-show-footer:not(:checked):not(:disabled)")))
	run(b, "switch saved", chromedp.Poll[bool](`document.getElementById("branding-notice").textContent === "Saved."`,
		chromedp.WithPollingTimeout(stepTimeout)))

	signOnPage()
	if got := tab.text("#brand-name"); got != "Acme Test" {
		t.Errorf("company name without the footer %q", got)
	}
	hidden := run(tab, "footer hidden", chromedp.Evaluate[bool](`(() => { const f = document.getElementById("brand-footer"); return f.hidden && f.textContent === "" && f.offsetHeight === 0; })()`))
	if !hidden {
		t.Errorf("footer still shown: %q", tab.text("#brand-footer"))
	}
	tab.shot("signon-no-footer")
}

// newTab opens another tab of the same browser (same cookies).
func (b *browser) newTab() *browser {
	b.t.Helper()
	ctx, cancel := chromedp.NewContext(b.ctx)
	b.t.Cleanup(cancel)
	if err := chromedp.Do(ctx); err != nil {
		b.t.Fatalf("new tab: %v", err)
	}
	return &browser{t: b.t, ctx: ctx, out: b.out}
}
