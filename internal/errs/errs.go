// Package errs is Conform's one error space. Domain and use-case code return
// *Error values with a Code; the store translates driver errors into it and
// the transports map codes to HTTP statuses at the edge.
package errs

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Code classifies an error independently of any transport.
type Code string

const (
	Invalid         Code = "invalid"         // bad input; Fields says which and why
	Malformed       Code = "malformed"       // a request that cannot be understood at all (a header out of form)
	NotFound        Code = "not_found"       // no such record (or not visible to the actor)
	Conflict        Code = "conflict"        // clashes with existing data (duplicate, in use)
	Stale           Code = "stale"           // the record changed since it was read
	Unauthenticated Code = "unauthenticated" // no valid credentials
	Forbidden       Code = "forbidden"       // the actor may not do this
	RateLimited     Code = "rate_limited"    // too many attempts; RetryAfter says how long to wait
	Unavailable     Code = "unavailable"     // a dependency (the database) is not reachable
	Internal        Code = "internal"        // a bug or an unexpected fault
)

// FieldError names one bad field and why it is bad.
type FieldError struct {
	Field  string `json:"field"`
	Reason string `json:"reason"`
}

// Error is a classified error with a human message.
type Error struct {
	Code       Code
	Message    string
	Fields     []FieldError
	RetryAfter time.Duration
	Err        error // an underlying cause, if any
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Message)
	for i, f := range e.Fields {
		if i == 0 {
			b.WriteString(": ")
		} else {
			b.WriteString("; ")
		}
		b.WriteString(f.Field)
		b.WriteString(" ")
		b.WriteString(f.Reason)
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// E builds an error with a code and a formatted message.
func E(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Wrap classifies an underlying error.
func Wrap(code Code, err error, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...), Err: err}
}

// Field returns an Invalid error for one field.
func Field(field, reason string) *Error {
	return &Error{Code: Invalid, Message: "invalid input", Fields: []FieldError{{Field: field, Reason: reason}}}
}

// CodeOf returns the code of the first *Error in err's chain, Internal for
// any other non-nil error and "" for nil.
func CodeOf(err error) Code {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return Internal
}

// As returns the first *Error in err's chain, or nil.
func As(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return nil
}

// Is reports whether err carries the given code.
func Is(err error, code Code) bool { return CodeOf(err) == code }

// Checker collects field errors so that every bad field is reported at once.
type Checker struct {
	fields []FieldError
}

// Add records a bad field.
func (c *Checker) Add(field, reason string) { c.fields = append(c.fields, FieldError{field, reason}) }

// Check records a bad field when ok is false and reports ok.
func (c *Checker) Check(ok bool, field, reason string) bool {
	if !ok {
		c.Add(field, reason)
	}
	return ok
}

// Has reports whether field already has an error.
func (c *Checker) Has(field string) bool {
	for _, f := range c.fields {
		if f.Field == field {
			return true
		}
	}
	return false
}

// Err returns an Invalid error naming every recorded field, or nil.
func (c *Checker) Err() error {
	if len(c.fields) == 0 {
		return nil
	}
	return &Error{Code: Invalid, Message: "invalid input", Fields: c.fields}
}
