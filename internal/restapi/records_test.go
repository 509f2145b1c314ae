package restapi

import (
	"testing"

	"github.com/conform-itsm/conform/internal/record"
)

// Summaries put a kind's label inside a sentence: lower case, but an
// acronym stays as it is; a one-letter word is no acronym.
func TestOpenAPISummaryPhrases(t *testing.T) {
	for label, want := range map[string]string{
		"Teams":                "teams",
		"API tokens":           "API tokens",
		"SLA":                  "SLA",
		"A kind":               "a kind",
		"Organisations":        "organisations",
		"KPI readings of note": "KPI readings of note",
	} {
		if got := phrase(label); got != want {
			t.Errorf("phrase(%q) = %q, want %q", label, got, want)
		}
	}
	for label, want := range map[string]string{"Team": "a team", "Organisation": "an organisation", "API token": "an API token", "Unit": "a unit"} {
		if got := one(record.Kind{Label: label}); got != want {
			t.Errorf("one(%q) = %q, want %q", label, got, want)
		}
	}
}
