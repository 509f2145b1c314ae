package i18n

import (
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

func TestTranslatesWithPluralsNumbersAndZones(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	en, de := c.Locale("en", nil), c.Locale("de", berlin)
	at := time.Date(2026, 11, 30, 13, 5, 0, 0, time.UTC)
	for _, c := range []struct{ got, want string }{
		{en.T("Sign in"), "Sign in"},
		{de.T("Sign in"), "Anmelden"},
		{de.T("Welcome, %s", "Ada"), "Willkommen, Ada"},
		{en.T("%d characters", 1), "1 character"},
		{en.T("%d characters", 12), "12 characters"},
		{de.T("%d characters", 1), "1 Zeichen"},
		{de.Number(1234567), "1.234.567"},
		{en.Number(1234567), "1,234,567"},
		{en.Time(at), "2026-11-30 13:05 UTC"},
		{de.Time(at), "30.11.2026 14:05 CET"},
		{de.Date(at), "30.11.2026"},
		// A declared text the catalogue lacks comes back as it is, verbs
		// and all; one it has is translated.
		{de.Lookup("100% uptime"), "100% uptime"},
		{de.Lookup("Teams"), "Teams"},
		{de.Lookup("Users"), "Benutzer"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}

func TestMatchesTheReadersLanguage(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range []struct{ chosen, accept, installation, want string }{
		{"de", "en-GB,en;q=0.9", "en", "de"},        // the reader's choice first
		{"", "de-AT,de;q=0.9,en;q=0.5", "en", "de"}, // then the browser's
		{"", "fr-FR,fr;q=0.9", "de", "de"},          // then the installation's
		{"", "", "", "en"},
		{"xx", "garbage;;", "yy", "en"},
	} {
		if got := c.Match(m.chosen, m.accept, m.installation); got != m.want {
			t.Errorf("Match(%q, %q, %q) = %q, want %q", m.chosen, m.accept, m.installation, got, m.want)
		}
	}
}

func TestRefusesABadCatalogue(t *testing.T) {
	for name, body := range map[string]string{
		"not JSON":             `{`,
		"plural without other": `{"%d things": {"one": "%d thing"}}`,
		"unknown plural form":  `{"%d things": {"two": "%d things", "other": "%d things"}}`,
		"neither":              `{"x": 3}`,
	} {
		t.Run(name, func(t *testing.T) {
			fsys := fstest.MapFS{"messages/en.json": {Data: []byte(body)}}
			if _, err := load(fsys); err == nil {
				t.Errorf("a catalogue with %s loaded; want an error", name)
			}
		})
	}
}

func TestMergesPartsOfALanguage(t *testing.T) {
	fsys := fstest.MapFS{
		"messages/en.json":       {Data: []byte(`{"Risk": "Risk"}`)},
		"messages/risks.en.json": {Data: []byte(`{"Risk matrix": "Risk matrix"}`)},
		"messages/de.json":       {Data: []byte(`{"Risk": "Risiko"}`)},
		"messages/risks.de.json": {Data: []byte(`{"Risk matrix": "Risikomatrix"}`)},
	}
	c, err := load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	if got := c.Languages(); len(got) != 2 || got[0] != "en" {
		t.Errorf("languages %v; want en first of two", got)
	}
	de := c.Locale("de", nil)
	if got := de.T("Risk matrix"); got != "Risikomatrix" {
		t.Errorf("a part's message reads %q; want Risikomatrix", got)
	}
	if got := de.T("Risk"); got != "Risiko" {
		t.Errorf("the main file's message reads %q; want Risiko", got)
	}
	if n := len(c.Keys("de")); n != 2 {
		t.Errorf("German has %d keys; want 2", n)
	}

	// A key in two parts: the same translation is one message ...
	fsys["messages/more.de.json"] = &fstest.MapFile{Data: []byte(`{"Risk":"Risiko"}`)}
	if c, err := load(fsys); err != nil || c.Locale("de", nil).T("Risk") != "Risiko" {
		t.Errorf("a key in two parts alike: %v; want it loaded once", err)
	}
	// ... another is refused, naming it.
	fsys["messages/more.de.json"] = &fstest.MapFile{Data: []byte(`{"Risk": "Gefahr"}`)}
	if _, err := load(fsys); err == nil || !strings.Contains(err.Error(), "Risk") {
		t.Errorf("a key translated otherwise in two parts loaded (error %v); want an error naming it", err)
	}
}
