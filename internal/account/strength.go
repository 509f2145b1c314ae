package account

import (
	"strings"
	"unicode/utf8"

	"github.com/trustelem/zxcvbn"
	"github.com/trustelem/zxcvbn/match"
)

// MinPasswordScore is the lowest zxcvbn score (0 to 4) a new password may
// have: 3 means about 10^8 guesses or more, safe against an online attack
// and costly offline against an argon2id hash.
const MinPasswordScore = 3

// strengthRunes caps how much of a password the estimator reads: its work
// grows with the square of the length, and a password that long is not
// weak for what follows.
const strengthRunes = 100

// guessable says why pw is too easy to guess, or "" when it is not. The
// user's own details (name, email) count against it, and so do the parts
// of the email address.
func guessable(pw string, userInputs []string) string {
	if !utf8.ValidString(pw) {
		return "Use letters, digits and punctuation only."
	}
	if utf8.RuneCountInString(pw) > strengthRunes {
		pw = string([]rune(pw)[:strengthRunes])
	}
	var inputs []string
	for _, in := range userInputs {
		in = strings.ToLower(strings.TrimSpace(in))
		if in == "" {
			continue
		}
		// The whole detail, its parts ("ada", "lovelace", "example") and
		// its parts run together ("adalovelace").
		parts := strings.FieldsFunc(in, func(r rune) bool {
			return r == ' ' || r == '@' || r == '.' || r == '-' || r == '_' || r == '+'
		})
		if local, _, ok := strings.Cut(in, "@"); ok {
			parts = append(parts, local, strings.Join(strings.FieldsFunc(local, func(r rune) bool { return r == '.' || r == '-' || r == '_' || r == '+' }), ""))
		}
		inputs = append(inputs, in, strings.Join(strings.Fields(in), ""))
		inputs = append(inputs, parts...)
	}
	r := zxcvbn.PasswordStrength(pw, inputs)
	if r.Score >= MinPasswordScore {
		return ""
	}
	return "Too easy to guess: " + weakness(r.Sequence) + ". Use three or four unrelated words, or a password manager."
}

// weakness names, for people, the most telling guessable part of a
// password.
func weakness(seq []*match.Match) string {
	var reasons []string
	add := func(s string) {
		for _, r := range reasons {
			if r == s {
				return
			}
		}
		reasons = append(reasons, s)
	}
	words := false
	for _, m := range seq {
		switch m.Pattern {
		case "dictionary":
			switch m.DictionaryName {
			case "user_inputs":
				add("it contains your name or email")
			case "passwords":
				add("it contains a commonly used password")
			case "surnames", "male_names", "female_names":
				add("it contains a common name")
			default:
				words = true
			}
		case "spatial":
			add("it contains a run of neighbouring keys")
		case "repeat":
			add("it repeats characters")
		case "sequence":
			add("it contains a sequence such as abc or 123")
		case "date", "regex":
			add("it contains a date or year")
		}
	}
	if words {
		add("it is made of common words")
	}
	switch len(reasons) {
	case 0:
		return "it is too short for its kind of characters"
	case 1:
		return reasons[0]
	}
	return strings.Join(reasons[:len(reasons)-1], ", ") + " and " + strings.TrimPrefix(reasons[len(reasons)-1], "it ")
}
