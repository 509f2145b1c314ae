package server_test

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/conform-itsm/conform/internal/server"
	"github.com/conform-itsm/conform/internal/store/storetest"
)

// The installation's language and time zone serve readers who chose none
// and whose browser asks for no language the pages have; a browser that
// asks for one it has gets it.
func TestInstallationLanguage(t *testing.T) {
	f := newFixtureOpts(t, storetest.Open(t, storetest.SQLite), fixtureOpts{cfg: server.Config{Language: "de", TimeZone: "Europe/Berlin"}})
	for _, c := range []struct{ accept, want string }{
		{"", `<html lang="de"`},
		{"fr-FR,fr;q=0.9", `<html lang="de"`},
		{"en-GB,en;q=0.8", `<html lang="en"`},
	} {
		req, _ := http.NewRequest(http.MethodGet, f.ts.URL+"/login", nil)
		if c.accept != "" {
			req.Header.Set("Accept-Language", c.accept)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if !strings.Contains(string(body), c.want) {
			t.Errorf("Accept-Language %q: the page does not start %s", c.accept, c.want)
		}
		if c.want == `<html lang="de"` && !strings.Contains(string(body), "Bei Conform anmelden") {
			t.Errorf("Accept-Language %q: the sign-in page is not in German", c.accept)
		}
	}
}
