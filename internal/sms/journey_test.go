package sms

import "testing"

func TestJourneyStageStates(t *testing.T) {
	yes, no := JourneyCheck{Have: 1}, JourneyCheck{}
	half := JourneyCheck{Have: 3, Want: 6}
	info := JourneyCheck{Have: 0, Want: 77, Info: true}
	for _, c := range []struct {
		name     string
		checks   []JourneyCheck
		want     string
		blockers int
	}{
		{"nothing yet", []JourneyCheck{no, {Want: 4}}, StageNotStarted, 2},
		{"a start on a count", []JourneyCheck{no, half}, StageUnderWay, 2},
		{"one met of two", []JourneyCheck{yes, no}, StageUnderWay, 1},
		{"all met", []JourneyCheck{yes, {Have: 6, Want: 6}}, StageDone, 0},
		{"information holds nothing back", []JourneyCheck{yes, info}, StageDone, 0},
		{"information alone is no start", []JourneyCheck{no, {Have: 5, Want: 77, Info: true}}, StageNotStarted, 1},
		{"no checks is never done", nil, StageNotStarted, 0},
	} {
		s := JourneyStage{Checks: c.checks}
		if got := s.State(); got != c.want {
			t.Errorf("%s: state %s, want %s", c.name, got, c.want)
		}
		if got := len(s.Blockers()); got != c.blockers {
			t.Errorf("%s: %d blockers, want %d", c.name, got, c.blockers)
		}
	}
	j := Journey{Stages: []JourneyStage{{Checks: []JourneyCheck{yes}}, {Checks: []JourneyCheck{half}}, {Checks: []JourneyCheck{yes}}}}
	if j.Done() != 2 || j.Current() != 1 || j.Ready() {
		t.Errorf("journey: done %d, current %d, ready %v; want 2, 1, false", j.Done(), j.Current(), j.Ready())
	}
	j.Stages[1].Checks[0].Have = 6
	if j.Current() != 3 || !j.Ready() {
		t.Errorf("all done: current %d, ready %v; want 3, true", j.Current(), j.Ready())
	}
	if (Journey{}).Ready() {
		t.Errorf("a journey of no stages is ready; want not")
	}
}
