package sms

import (
	_ "embed"
	"fmt"
)

// BuiltInCode is the code of the framework every installation has:
// ISO/IEC 20000-1:2018, clauses 4 to 10, with Conform's guidance.
const BuiltInCode = "iso-iec-20000-1-2018"

// builtIn is the built-in framework's file. The clause numbers and
// titles are the standard's headings; everything else in it is written
// for Conform in its own words and quotes nothing of the standard.
//
//go:embed frameworks/iso-iec-20000-1-2018.yaml
var builtIn []byte

// BuiltIn is the built-in framework as a file holds it.
func BuiltIn() (Document, error) {
	d, err := Parse(builtIn)
	if err != nil {
		return d, fmt.Errorf("built-in framework: %w", err)
	}
	return d, nil
}

// BuiltInFile is the built-in framework's file as shipped.
func BuiltInFile() []byte { return append([]byte(nil), builtIn...) }
