package assurance

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/conform-itsm/conform/internal/record"
)

// CalendarToken lets a calendar application read one user's calendar
// feed at a secret address without signing in. Only the SHA-256 of the
// secret is kept; the secret is shown once. A user has at most one
// token in force: a new one replaces it.
type CalendarToken struct {
	record.Meta
	UserID int64  `json:"user_id"`
	Hash   string `json:"hash"`
	// Prefix is the secret's first characters, to tell tokens apart.
	Prefix     string     `json:"prefix"`
	LastUsedAt *time.Time `json:"last_used_at"`
	Uses       int64      `json:"uses"`
	RevokedAt  *time.Time `json:"revoked_at"`
}

// CalendarSecretPrefix starts every calendar secret, so one found in a
// log or a paste is known for what it is.
const CalendarSecretPrefix = "cal_"

// HashCalendarSecret is what is kept of a secret.
func HashCalendarSecret(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// Active reports whether the token still opens the feed.
func (t CalendarToken) Active() bool { return t.RevokedAt == nil }

// CalendarEvent is one day in a user's calendar: something due.
type CalendarEvent struct {
	// UID is unique and stable for the thing it is about, so that a
	// calendar updates the event when its day moves.
	UID         string
	Day         string // "2006-01-02"
	Summary     string
	Description string
	URL         string
}

// WriteICal writes events as an iCalendar (RFC 5545) document: all-day
// events, each with its UID, DTSTAMP (stamp), day, summary, description
// and address; text escaped, lines folded at 75 octets, ended with CRLF.
func WriteICal(name string, stamp time.Time, events []CalendarEvent) string {
	var b strings.Builder
	put := func(line string) { b.WriteString(fold(line)) }
	put("BEGIN:VCALENDAR")
	put("VERSION:2.0")
	put("PRODID:-//Conform//Certification calendar//EN")
	put("CALSCALE:GREGORIAN")
	put("METHOD:PUBLISH")
	put("X-WR-CALNAME:" + escapeText(name))
	ts := stamp.UTC().Format("20060102T150405Z")
	for _, e := range events {
		t, ok := parseDay(e.Day)
		if !ok {
			continue
		}
		put("BEGIN:VEVENT")
		put("UID:" + escapeText(e.UID))
		put("DTSTAMP:" + ts)
		put("DTSTART;VALUE=DATE:" + t.Format("20060102"))
		put("DTEND;VALUE=DATE:" + t.AddDate(0, 0, 1).Format("20060102"))
		put("SUMMARY:" + escapeText(e.Summary))
		if e.Description != "" {
			put("DESCRIPTION:" + escapeText(e.Description))
		}
		if e.URL != "" {
			put("URL:" + e.URL)
		}
		put("TRANSP:TRANSPARENT")
		put("END:VEVENT")
	}
	put("END:VCALENDAR")
	return b.String()
}

// escapeText escapes a TEXT value: backslash, semicolon, comma and line
// breaks (RFC 5545, 3.3.11).
func escapeText(s string) string {
	return strings.NewReplacer(`\`, `\\`, ";", `\;`, ",", `\,`, "\r\n", `\n`, "\n", `\n`, "\r", `\n`).Replace(s)
}

// fold cuts a content line into lines of at most 75 octets, never inside
// a UTF-8 character, each continuation starting with a space, every line
// ended with CRLF (RFC 5545, 3.1).
func fold(line string) string {
	var b strings.Builder
	limit := 75
	for len(line) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(line[cut]) {
			cut--
		}
		b.WriteString(line[:cut])
		b.WriteString("\r\n ")
		line = line[cut:]
		limit = 74 // the leading space counts
	}
	b.WriteString(line)
	b.WriteString("\r\n")
	return b.String()
}
