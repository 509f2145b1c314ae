package assurance

import (
	"net/http"
	"strings"

	"github.com/conform-itsm/conform/internal/access"
	assuranceapp "github.com/conform-itsm/conform/internal/app/assurance"
	"github.com/conform-itsm/conform/internal/assurance"
	"github.com/conform-itsm/conform/internal/web"
	"github.com/conform-itsm/conform/internal/web/ui"
)

// readinessLink puts the stage 1 check first in the area's navigation.
var readinessLink = web.Link{Label: "Stage 1 readiness", Href: assuranceapp.ReadinessPath, Icon: "clipboard-check", Perm: access.FrameworksRead, Area: assurance.Area, Order: 5,
	Summary: "Could the SMS pass the certification body's stage 1 audit today? Each check read from the records, with what fails and where to put it right."}

// ReadinessPage is the stage 1 check.
type ReadinessPage struct {
	web.Base
	Checks        []ReadinessCheck
	Ready         bool
	Passed, Total int
	Today         string
}

// ReadinessCheck is a check as the page shows it, its details in the
// reader's language.
type ReadinessCheck struct {
	Key, Label, Help, Href, Fix string
	Pass                        bool
	Badge                       ui.Badge
	Details                     []string
}

func (pg *pages) readiness(w http.ResponseWriter, r *http.Request, rq *web.Request) error {
	rd, err := pg.c.Readiness(r.Context(), rq.Auth.Actor)
	if err != nil {
		return err
	}
	page := ReadinessPage{Base: rq.Base, Ready: rd.Ready(), Passed: rd.Passed(), Total: len(rd.Checks), Today: rq.Day(rd.Today)}
	for _, c := range rd.Checks {
		v := ReadinessCheck{Key: c.Key, Label: c.Label, Help: c.Help, Href: c.Href, Fix: c.Fix, Pass: c.Pass, Badge: ui.Badge{Text: "Passes", Tone: ui.Success}}
		if !c.Pass {
			v.Badge = ui.Badge{Text: "Fails", Tone: ui.Danger}
		}
		for _, p := range c.Details {
			args := make([]any, len(p.Args))
			for i, a := range p.Args {
				// Names the catalogue knows read in the reader's language.
				switch v := a.(type) {
				case string:
					a = rq.L.Lookup(rq.Day(v))
				case []string:
					names := make([]string, len(v))
					for i, n := range v {
						names[i] = rq.L.Lookup(n)
					}
					a = strings.Join(names, ", ")
				}
				args[i] = a
			}
			v.Details = append(v.Details, rq.T(p.Format, args...))
		}
		page.Checks = append(page.Checks, v)
	}
	page.Title, page.Crumbs = "Stage 1 readiness", []ui.Crumb{{Label: "Home", Href: "/"}}
	page.Subtitle = "Could the SMS pass the certification body's stage 1 audit today? Each check is read from the records as they are now; fix what fails and it turns green."
	tone := ui.Warning
	if page.Ready {
		tone = ui.Success
	}
	page.TitleBadges = []ui.Badge{{Text: rq.T("%d of %d checks pass", page.Passed, page.Total), Tone: tone}}
	return pg.p.Render(w, r, http.StatusOK, "assurance/readiness", page)
}
