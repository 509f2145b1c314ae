package assurance

import (
	"context"
	"net/http"
	"strings"

	"github.com/danielgtaylor/huma/v2"

	"github.com/conform-itsm/conform/internal/access"
	assuranceapp "github.com/conform-itsm/conform/internal/app/assurance"
	"github.com/conform-itsm/conform/internal/assurance"
	"github.com/conform-itsm/conform/internal/restapi"
)

// Stage1Readiness is the stage 1 check: could the SMS pass it today?
type Stage1Readiness struct {
	Ready  bool          `json:"ready" doc:"Every check passes."`
	Passed int           `json:"passed" doc:"How many checks pass."`
	Today  string        `json:"today" doc:"The day the records were read, 2006-01-02."`
	Checks []Stage1Check `json:"checks"`
}

// Stage1Check is one check.
type Stage1Check struct {
	Key    string `json:"key" doc:"Stable: scope, policy, documents, clauses, training, internal_audit, management_review, majors, certification_body."`
	Label  string `json:"label"`
	Pass   bool   `json:"pass"`
	Detail string `json:"detail" doc:"Where it stands, in words and figures."`
	Help   string `json:"help" doc:"What the stage 1 auditor looks at."`
	Href   string `json:"href" doc:"The page where it is seen and put right."`
	Fix    string `json:"fix,omitempty" doc:"When it fails: what to do there."`
}

func readinessOut(r assurance.Readiness) Stage1Readiness {
	out := Stage1Readiness{Ready: r.Ready(), Passed: r.Passed(), Today: r.Today, Checks: []Stage1Check{}}
	for _, c := range r.Checks {
		out.Checks = append(out.Checks, Stage1Check{Key: c.Key, Label: c.Label, Pass: c.Pass, Detail: c.Detail(), Help: c.Help, Href: c.Href, Fix: c.Fix})
	}
	return out
}

// registerReadiness adds the stage 1 check.
func registerReadiness(api *restapi.API, c *assuranceapp.Catalogue) {
	restapi.Register(api, access.FrameworksRead, huma.Operation{OperationID: "get-readiness", Method: http.MethodGet, Path: "/api/v1/readiness",
		Tags: []string{"Readiness"}, Summary: "Could the SMS pass its stage 1 audit today?",
		Description: "The stage 1 checks, each read from the records as they are now (" + strings.Join([]string{"scope", "policy", "documents", "clauses", "training", "internal_audit", "management_review", "majors", "certification_body"}, ", ") +
			"), passing or failing with where it stands and where to put it right."},
		func(ctx context.Context, actor access.Actor, _ *struct{}) (*struct{ Body Stage1Readiness }, error) {
			r, err := c.Readiness(ctx, actor)
			if err != nil {
				return nil, err
			}
			return &struct{ Body Stage1Readiness }{readinessOut(r)}, nil
		})
}
