package web

import (
	"html/template"

	"github.com/conform-itsm/conform/internal/web/i18n"
)

// What the message catalogue's test reads of the package; that test is
// in package web_test, so that it may build the App with every area.
var (
	TemplateFiles  = templateFiles
	KindPhrases    = kindPhrases
	ShownStatuses  = shownStatuses
	CommonMessages = commonMessages
)

// FuncsFor is the template functions for a locale, whatever else
// funcsFor hands the pages with them.
func FuncsFor(loc *i18n.Locale) template.FuncMap { return first(funcsFor(loc)) }

func first[T any](v T, _ ...any) T { return v }
