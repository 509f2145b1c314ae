package sms

import (
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/conform-itsm/conform/internal/errs"
)

// Answer is the reply to one of a requirement's self-assessment
// questions. It keeps the question as it was asked, so an answer stays
// readable after the framework's guidance is reworded.
type Answer struct {
	// N is the question's number in the requirement's list, from 1.
	N        int    `json:"n"`
	Question string `json:"question"`
	Reply    string `json:"reply"`
	Note     string `json:"note"`
}

// Replies are the replies a question takes.
var Replies = []Code{{"yes", "Yes"}, {"partly", "Partly"}, {"no", "No"}}

// MaxAnswerNote is the longest note on one answer, in characters.
const MaxAnswerNote = 2000

// Answers are a result's answers, by question number; a question not
// answered has none. Stored as JSON in one column.
type Answers []Answer

// MarshalJSON writes no answers as an empty list.
func (a Answers) MarshalJSON() ([]byte, error) {
	if a == nil {
		return []byte("[]"), nil
	}
	return json.Marshal([]Answer(a))
}

// Value stores the answers as JSON.
func (a Answers) Value() (driver.Value, error) {
	if len(a) == 0 {
		return "[]", nil
	}
	b, err := json.Marshal([]Answer(a))
	return string(b), err
}

// Scan reads answers stored as JSON.
func (a *Answers) Scan(src any) error {
	var b []byte
	switch v := src.(type) {
	case nil:
		*a = Answers{}
		return nil
	case string:
		b = []byte(v)
	case []byte:
		b = v
	default:
		return fmt.Errorf("answers: cannot read %T", src)
	}
	var out []Answer
	if err := json.Unmarshal(b, &out); err != nil {
		return fmt.Errorf("answers: %w", err)
	}
	if out == nil {
		out = []Answer{}
	}
	*a = out
	return nil
}

// For is the answer to question n, asked as question: the answer given
// to that very question, or else one given to the same words under
// another number (the guidance was reordered); none when not answered.
func (a Answers) For(n int, question string) Answer {
	for _, x := range a {
		if x.N == n && x.Question == question {
			return x
		}
	}
	for _, x := range a {
		if x.Question == question {
			x.N = n
			return x
		}
	}
	return Answer{N: n, Question: question}
}

// Replied counts the questions that have a reply.
func (a Answers) Replied(questions []string) int {
	n := 0
	for i, q := range questions {
		if a.For(i+1, q).Reply != "" {
			n++
		}
	}
	return n
}

// AnswerChange sets the reply and note of question N; nil fields stay.
// An empty reply and note take the answer away.
type AnswerChange struct {
	N           int
	Reply, Note *string
}

// SetAnswers applies changes to r's answers for the requirement's
// questions, refusing a question it does not have, an unknown reply or a
// note too long, on the field "answers".
func (r *Result) SetAnswers(questions []string, changes []AnswerChange) error {
	if len(changes) == 0 {
		return nil
	}
	// A fresh slice: the result read before the change shares the old one.
	out := make(Answers, 0, len(questions))
	for i, q := range questions {
		if x := r.Answers.For(i+1, q); x.Reply != "" || x.Note != "" {
			out = append(out, x)
		}
	}
	var c errs.Checker
	for _, ch := range changes {
		if ch.N < 1 || ch.N > len(questions) {
			c.Add("answers", fmt.Sprintf("question %d: there is no such question; this requirement has %d", ch.N, len(questions)))
			continue
		}
		x := out.For(ch.N, questions[ch.N-1])
		if ch.Reply != nil {
			x.Reply = strings.TrimSpace(*ch.Reply)
		}
		if ch.Note != nil {
			x.Note = strings.TrimSpace(*ch.Note)
		}
		if x.Reply != "" && !known(Replies, x.Reply) {
			c.Add("answers", fmt.Sprintf("question %d: the reply must be yes, partly or no (or empty to take it away)", ch.N))
			continue
		}
		if utf8.RuneCountInString(x.Note) > MaxAnswerNote || strings.ContainsRune(x.Note, 0) {
			c.Add("answers", fmt.Sprintf("question %d: the note must be at most %d characters", ch.N, MaxAnswerNote))
			continue
		}
		out = slices.DeleteFunc(out, func(y Answer) bool { return y.N == ch.N })
		if x.Reply != "" || x.Note != "" {
			out = append(out, x)
		}
	}
	if err := c.Err(); err != nil {
		return err
	}
	slices.SortFunc(out, func(a, b Answer) int { return a.N - b.N })
	r.Answers = out
	return nil
}

// Answered reports whether a result has been worked: every question has
// a reply, or, for a requirement without questions, a status other than
// not started has been given.
func (r Result) Answered(questions []string) bool {
	if len(questions) == 0 {
		return r.Status != "not_started"
	}
	return r.Answers.Replied(questions) == len(questions)
}
