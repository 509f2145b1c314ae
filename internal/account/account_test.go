package account

import (
	"strings"
	"testing"
	"time"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/errs"
)

func fields(err error) []string {
	e := errs.As(err)
	if e == nil {
		return nil
	}
	var out []string
	for _, f := range e.Fields {
		out = append(out, f.Field)
	}
	return out
}

func TestUserInputValidation(t *testing.T) {
	tests := []struct {
		name string
		in   UserInput
		want []string
	}{
		{"valid", UserInput{Email: "Ann@Example.com ", Name: " Ann ", Role: access.Agent}, nil},
		{"everything missing", UserInput{}, []string{"email", "name", "role"}},
		{"bad email", UserInput{Email: "ann", Name: "Ann", Role: access.Agent}, []string{"email"}},
		{"display-name email", UserInput{Email: "Ann <ann@example.com>", Name: "Ann", Role: access.Agent}, []string{"email"}},
		{"unknown role", UserInput{Email: "a@example.com", Name: "Ann", Role: "root"}, []string{"role"}},
		{"multi-line name", UserInput{Email: "a@example.com", Name: "Ann\nB", Role: access.Agent}, []string{"name"}},
		{"long name", UserInput{Email: "a@example.com", Name: strings.Repeat("n", 201), Role: access.Agent}, []string{"name"}},
		{"short password", UserInput{Email: "a@example.com", Name: "Ann", Role: access.Agent, Password: "123"}, []string{"password"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.in.Normalize()
			got := fields(tt.in.Validate())
			if strings.Join(got, ",") != strings.Join(tt.want, ",") {
				t.Errorf("fields in error = %v, want %v", got, tt.want)
			}
		})
	}
	in := UserInput{Email: " Ann@Example.COM", Name: " Ann "}
	in.Normalize()
	if in.Email != "ann@example.com" || in.Name != "Ann" {
		t.Errorf("normalized = %q %q", in.Email, in.Name)
	}
}

func TestTokenInputValidation(t *testing.T) {
	now := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
	past := now.Add(-time.Hour)
	if got := fields(TokenInput{Name: "ci", ExpiresAt: &past}.Validate(now)); len(got) != 1 || got[0] != "expires_at" {
		t.Errorf("expired token input: %v, want expires_at", got)
	}
	if got := fields(TokenInput{}.Validate(now)); len(got) != 1 || got[0] != "name" {
		t.Errorf("nameless token input: %v, want name", got)
	}
}

func TestPasswordHashing(t *testing.T) {
	h, err := HashPassword("correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Errorf("hash %q is not argon2id in PHC format", h)
	}
	if ok, err := VerifyPassword(h, "correct horse battery"); !ok || err != nil {
		t.Errorf("right password: %v %v", ok, err)
	}
	if ok, _ := VerifyPassword(h, "correct horse batterY"); ok {
		t.Error("wrong password accepted")
	}
	h2, _ := HashPassword("correct horse battery")
	if h == h2 {
		t.Error("two hashes of one password are equal: no salt")
	}
	if _, err := VerifyPassword("$2a$10$bcrypt", "x"); err == nil {
		t.Error("a foreign hash format was not reported")
	}
}

func TestTokenActive(t *testing.T) {
	now := time.Now()
	later, earlier := now.Add(time.Hour), now.Add(-time.Hour)
	cases := []struct {
		tok  Token
		want bool
	}{
		{Token{}, true},
		{Token{ExpiresAt: &later}, true},
		{Token{ExpiresAt: &earlier}, false},
		{Token{RevokedAt: &earlier}, false},
	}
	for i, c := range cases {
		if got := c.tok.Active(now); got != c.want {
			t.Errorf("case %d: Active = %v, want %v", i, got, c.want)
		}
	}
}
