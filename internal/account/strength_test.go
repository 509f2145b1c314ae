package account

import (
	"strings"
	"testing"
)

func TestCheckPasswordRefusesGuessable(t *testing.T) {
	for _, tc := range []struct {
		pw     string
		inputs []string
		want   string // in the reason; "" for accepted
	}{
		{"correct horse battery", nil, ""},
		{"conform-demo", []string{"Alex Morgan", "admin@northwind.example"}, ""},
		{"plenty-lanterns-marching-7", []string{"Ada Admin", "ada@example.com"}, ""},
		{"password123456", nil, "commonly used password"},
		{"zxcvbnmlkjhgf", nil, "neighbouring keys"},
		{"aaaaaaaaaaaaaa", nil, "repeats characters"},
		{"abcdefghijklmn", nil, "sequence"},
		{"Summer2024!", nil, "Too easy to guess"},
		{"leejones2024", []string{"Lee Jones", "lee.jones@example.com"}, "your name or email"},
		{"northwind2024", []string{"Nora Smith", "nora@northwind.example"}, "your name or email"},
	} {
		err := CheckPassword(tc.pw, tc.inputs...)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%q: refused (%v), want accepted", tc.pw, err)
		case tc.want != "" && err == nil:
			t.Errorf("%q: accepted, want refused saying %q", tc.pw, tc.want)
		case tc.want != "" && !strings.Contains(err.Error(), tc.want):
			t.Errorf("%q: %q, want it to say %q", tc.pw, err, tc.want)
		case err != nil && !strings.Contains(err.Error(), "three or four unrelated words"):
			t.Errorf("%q: %q, want it to say how to pick a better one", tc.pw, err)
		}
	}
}

func TestCheckPasswordLengthFirst(t *testing.T) {
	if err := CheckPassword("short"); err == nil || !strings.Contains(err.Error(), "at least 10") {
		t.Errorf("short password: %v, want the length rule", err)
	}
}
