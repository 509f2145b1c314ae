package audit

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/conform-itsm/conform/internal/account"
	"github.com/conform-itsm/conform/internal/record"
)

type inner struct {
	ID    int64  `json:"id"`
	Label string `json:"label"`
}

type sample struct {
	inner
	Name     string         `json:"name"`
	Note     string         `json:"note,omitempty"`
	When     *time.Time     `json:"when,omitempty"`
	At       time.Time      `json:"at"`
	Tags     []string       `json:"tags"`
	Extra    map[string]int `json:"extra,omitempty"`
	Nested   inner          `json:"nested"`
	Hidden   string         `json:"-"`
	Untagged bool
	private  int
	Raw      json.RawMessage   `json:"raw"`
	Any      any               `json:"any"`
	Ptrs     map[string]*inner `json:"ptrs"`
}

type quoted struct {
	N int64 `json:"n,string"`
}

type custom struct{ V int }

type text struct{ V int }

func (t text) MarshalText() ([]byte, error) { return []byte("t"), nil }

type embedsText struct {
	text
	Name string `json:"name"`
}

type ptrMarshaler struct{ V int }

func (p *ptrMarshaler) MarshalJSON() ([]byte, error) { return []byte(`"by pointer"`), nil }

type holdsPtrMarshaler struct {
	P ptrMarshaler `json:"p"`
}

type badTag struct {
	A string `json:"a§b"` // § is neither a letter nor allowed punctuation
}

func (c custom) MarshalJSON() ([]byte, error) { return []byte(`{"v2":1}`), nil }

// TestFieldsMatchesEncodingJSON holds the fast walk of a record's fields
// to what encoding a whole record and decoding it again gives.
func TestFieldsMatchesEncodingJSON(t *testing.T) {
	now := time.Date(2026, 11, 24, 8, 30, 0, 123456000, time.UTC)
	values := []any{
		sample{inner: inner{ID: 7, Label: "l"}, Name: "n", At: now, Raw: json.RawMessage(`{"a":1}`), Any: 3, private: 1},
		sample{Name: "<b>&", Note: "x", When: &now, Tags: []string{"a"}, Extra: map[string]int{"k": 1}, Nested: inner{1, "m"}, Untagged: true, Raw: json.RawMessage(`null`), Ptrs: map[string]*inner{"p": nil}},
		&sample{Name: "pointer"},
		quoted{N: 5},
		custom{V: 1},
		embedsText{Name: "n"},
		holdsPtrMarshaler{},
		&holdsPtrMarshaler{},
		badTag{A: "x"},
		account.Organisation{Meta: record.Meta{ID: 1, CreatedAt: now, Version: 2}, Name: "Org", Kind: account.Customer},
		account.User{Email: "a@b", Role: "admin", OrgID: 3, Active: true},
		account.Team{Name: "T", MemberIDs: []int64{1, 2}},
		account.Token{Name: "ci", ExpiresAt: &now},
		account.Token{Name: "ci"},
	}
	for _, v := range values {
		got, gotErr := fields(v)
		want, wantErr := slowFields(v)
		if (gotErr == nil) != (wantErr == nil) {
			t.Errorf("%T: error %v, want %v", v, gotErr, wantErr)
		}
		if wantErr != nil {
			continue
		}
		if diff := cmp.Diff(stringsOf(want), stringsOf(got)); diff != "" {
			t.Errorf("%T: fields differ from encoding/json (-want +got):\n%s", v, diff)
		}
	}
	for _, typ := range []reflect.Type{typeOf[quoted](), typeOf[custom](), typeOf[embedsText](), typeOf[holdsPtrMarshaler](), typeOf[badTag]()} {
		if layoutOf(typ) != nil {
			t.Errorf("%v must take the slow path", typ)
		}
	}
	if layoutOf(typeOf[sample]()) == nil {
		t.Error("sample should take the fast path")
	}
}

func stringsOf(m map[string]json.RawMessage) map[string]string {
	out := map[string]string{}
	for k, v := range m {
		out[k] = string(v)
	}
	return out
}

func BenchmarkDiffUpdate(b *testing.B) {
	before := account.Organisation{Meta: record.Meta{ID: 1, Version: 1}, Name: "Before", Kind: account.Customer, Description: "d"}
	after := before
	after.Name = "After"
	for b.Loop() {
		if _, err := Diff(before, after); err != nil {
			b.Fatal(err)
		}
	}
}

func typeOf[T any]() reflect.Type { return reflect.TypeFor[T]() }
