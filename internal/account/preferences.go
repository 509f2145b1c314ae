package account

import (
	"strings"
	"time"
	_ "time/tzdata" // time zone names resolve on machines without a zone database

	"github.com/conform-itsm/conform/internal/errs"
)

// Preferences are a user's own choices for how pages are shown to them.
// Only the user sets them; they are part of the user's record (and its
// history) like any other field.
type Preferences struct {
	// Theme is the colour scheme: "system" follows the operating system.
	Theme string `json:"theme"`
	// Language is a language tag ("en", "de"); "" takes the browser's.
	Language string `json:"language"`
	// TimeZone is an IANA time zone ("Europe/Berlin"); "" is the
	// installation's.
	TimeZone string `json:"time_zone"`
}

// Themes are the colour schemes a user may choose, with their labels.
var Themes = []struct{ Code, Label string }{
	{"system", "As the operating system"},
	{"light", "Light"},
	{"dark", "Dark"},
}

// Languages are the languages the pages are written in.
var Languages = []struct{ Code, Label string }{
	{"", "As the browser asks"},
	{"en", "English"},
	{"de", "Deutsch"},
}

// PreferencesUpdate changes some preferences; nil fields stay.
type PreferencesUpdate struct {
	Theme, Language, TimeZone *string
}

// Normalize trims the values.
func (up *PreferencesUpdate) Normalize() {
	for _, p := range []*string{up.Theme, up.Language, up.TimeZone} {
		if p != nil {
			*p = strings.TrimSpace(*p)
		}
	}
}

// Validate checks each value given.
func (up PreferencesUpdate) Validate() error {
	var c errs.Checker
	if up.Theme != nil {
		ok := false
		for _, t := range Themes {
			ok = ok || t.Code == *up.Theme
		}
		c.Check(ok, "theme", "must be system, light or dark")
	}
	if up.Language != nil {
		ok := false
		for _, l := range Languages {
			ok = ok || l.Code == *up.Language
		}
		c.Check(ok, "language", "is not a language Conform is written in")
	}
	if up.TimeZone != nil && *up.TimeZone != "" {
		_, err := time.LoadLocation(*up.TimeZone)
		c.Check(err == nil && *up.TimeZone != "Local", "time_zone", "is not a time zone name such as Europe/Berlin or America/New_York")
	}
	return c.Err()
}

// Apply returns p with the update applied.
func (up PreferencesUpdate) Apply(p Preferences) Preferences {
	if up.Theme != nil {
		p.Theme = *up.Theme
	}
	if up.Language != nil {
		p.Language = *up.Language
	}
	if up.TimeZone != nil {
		p.TimeZone = *up.TimeZone
	}
	return p
}
