package clerk

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"

	"github.com/authscope/authscope/flow/clerk/internal/weburl"
)

// AutoSignIn does in Go what the demo sign-in page and its script
// (devinstance/assets/signin.js) do when a user button is clicked, for the
// HTTP "browser" of `authscope check --auto` and the tests:
//
//  1. load the page with the return address moved from the hash
//     ("#/?redirect_url=…", as ClerkJS builds it) into the query, as the
//     script does, and require the page to accept it and to list userID;
//  2. use the dev browser handed over in ?__clerk_db_jwt= (or create one);
//  3. POST /v1/client/sign_ins with strategy=demo_user;
//  4. return the page's checked return address with __clerk_db_jwt added
//     (the dev-browser handoff), or "" when the page had none.
//
// It works only with the embedded demo instance: a real Account Portal has
// no demo users. It is a client of that page, not part of the instance, so
// it lives here and its users need not link package devinstance. Every
// request has a deadline and a size cap.
func AutoSignIn(ctx context.Context, hc *http.Client, signInURL, userID string) (returnURL string, err error) {
	if hc == nil {
		hc = http.DefaultClient
	}
	u, err := url.Parse(signInURL)
	if err != nil || !u.IsAbs() || u.Host == "" {
		return "", fmt.Errorf("clerk: the sign-in URL %q is not an absolute URL", signInURL)
	}
	q := u.Query()
	if q.Get(RedirectURLParam) == "" {
		if r := hashParam(u.Fragment, RedirectURLParam); r != "" {
			q.Set(RedirectURLParam, r)
		}
	}
	devBrowser := q.Get(DevBrowserParam)
	pageURL := *u
	pageURL.RawQuery = q.Encode()
	pageURL.Fragment = ""
	origin := weburl.Origin(u)

	page, status, err := fetchPage(ctx, hc, pageURL.String(), devBrowser)
	if err != nil {
		return "", fmt.Errorf("clerk: loading the sign-in page: %w", err)
	}
	if status != http.StatusOK {
		return "", fmt.Errorf("clerk: the sign-in page answered %d: %s", status, pageText(page))
	}
	if !strings.Contains(page, `data-user-id="`+html.EscapeString(userID)+`"`) {
		return "", fmt.Errorf("clerk: the sign-in page does not list the user %q", userID)
	}
	redirect := ""
	if m := redirectAttr.FindStringSubmatch(page); m != nil {
		redirect = html.UnescapeString(m[1])
	}

	fapi := NewFAPIClient(origin, hc, origin)
	if devBrowser != "" {
		fapi.setDevBrowser(devBrowser)
	} else if err := fapi.createDevBrowser(ctx); err != nil {
		return "", err
	}
	form := url.Values{StrategyField: {DemoSignInStrategy}, IdentifierField: {userID}}
	var out Envelope[*SignInJSON]
	if err := fapi.getJSON(ctx, http.MethodPost, PathSignIns, form, false, &out); err != nil {
		return "", fmt.Errorf("clerk: signing in as %q: %w", userID, err)
	}
	if out.Response == nil || out.Response.Status != "complete" {
		return "", fmt.Errorf("clerk: the sign-in as %q did not complete", userID)
	}
	if redirect == "" {
		return "", nil
	}
	back, err := url.Parse(redirect)
	if err != nil {
		return "", fmt.Errorf("clerk: the page's return address is not a URL: %w", err)
	}
	bq := back.Query()
	bq.Set(DevBrowserParam, fapi.DevBrowser())
	back.RawQuery = bq.Encode()
	return back.String(), nil
}

var (
	redirectAttr = regexp.MustCompile(`data-redirect-url="([^"]*)"`)
	tagPattern   = regexp.MustCompile(`<[^>]*>`)
)

// hashParam reads a parameter from a ClerkJS hash such as
// "/?redirect_url=…".
func hashParam(fragment, name string) string {
	_, query, ok := strings.Cut(fragment, "?")
	if !ok {
		return ""
	}
	v, err := url.ParseQuery(query)
	if err != nil {
		return ""
	}
	return v.Get(name)
}

// pageText is the visible text of a small HTML page, for an error message.
func pageText(page string) string {
	if _, body, ok := strings.Cut(page, "<main"); ok {
		page = "<main" + body
	}
	t := strings.Join(strings.Fields(html.UnescapeString(tagPattern.ReplaceAllString(page, " "))), " ")
	if len(t) > 400 {
		t = t[:400] + "…"
	}
	return t
}

// fetchPage GETs a page with DefaultCallTimeout and DefaultMaxResponse.
// secret is kept out of transport errors.
func fetchPage(ctx context.Context, hc *http.Client, target, secret string) (string, int, error) {
	ctx, cancel := context.WithTimeout(ctx, DefaultCallTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	if err != nil {
		return "", 0, err
	}
	req.Header.Set("Accept", "text/html")
	res, err := hc.Do(req)
	if err != nil {
		return "", 0, redactErr(err, secret)
	}
	defer res.Body.Close()
	b, err := readCapped(res.Body, DefaultMaxResponse)
	if err != nil {
		return "", res.StatusCode, err
	}
	return string(b), res.StatusCode, nil
}
