package sms

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/conform-itsm/conform/internal/access"
	smsapp "github.com/conform-itsm/conform/internal/app/sms"
	"github.com/conform-itsm/conform/internal/restapi"
	"github.com/conform-itsm/conform/internal/sms"
	"github.com/conform-itsm/conform/internal/store"
)

// Risk is one entry of the register of risks and opportunities.
type Risk struct {
	ID                 int64     `json:"id"`
	Number             string    `json:"number" doc:"Human number, RSK-000001."`
	Title              string    `json:"title"`
	Description        string    `json:"description"`
	Category           string    `json:"category" enum:"service,supplier,security,continuity,capacity,compliance,people,other"`
	Kind               string    `json:"kind" enum:"risk,opportunity"`
	ServiceIDs         []int64   `json:"service_ids" doc:"The services it could affect."`
	RequirementIDs     []int64   `json:"requirement_ids" doc:"The requirements of the built-in framework it bears on."`
	OwnerID            int64     `json:"owner_id" doc:"The user who answers for the risk."`
	Likelihood         int64     `json:"likelihood" doc:"Level of the likelihood scale before treatment (1 the lowest)."`
	Impact             int64     `json:"impact" doc:"Level of the impact scale before treatment."`
	Score              int64     `json:"score" doc:"Inherent score: likelihood times impact."`
	Band               string    `json:"band" enum:"low,medium,high,critical" doc:"The band of the inherent score on the scales in force."`
	ResidualLikelihood int64     `json:"residual_likelihood" doc:"Likelihood expected once treated."`
	ResidualImpact     int64     `json:"residual_impact" doc:"Impact expected once treated."`
	ResidualScore      int64     `json:"residual_score"`
	ResidualBand       string    `json:"residual_band" enum:"low,medium,high,critical"`
	Treatment          string    `json:"treatment" enum:"mitigate,accept,transfer,avoid"`
	AcceptedBy         *int64    `json:"accepted_by" doc:"Who accepted the risk; null for nobody yet."`
	AcceptedOn         string    `json:"accepted_on" doc:"The day it was accepted (2006-01-02); empty for not accepted."`
	ReviewOn           string    `json:"review_on" doc:"The day it is to be reviewed again (2006-01-02); empty for none."`
	ReviewOverdue      bool      `json:"review_overdue" doc:"Open and past its review day."`
	State              string    `json:"state" enum:"open,closed"`
	CreatedAt          time.Time `json:"created_at"`
	CreatedBy          int64     `json:"created_by"`
	UpdatedAt          time.Time `json:"updated_at"`
	UpdatedBy          int64     `json:"updated_by"`
	Version            int64     `json:"version"`
}

// riskOut writes a risk with its scores and bands on the scales s.
func riskOut(s sms.RiskScales) func(sms.Risk) Risk {
	today := time.Now().UTC().Format(time.DateOnly)
	return func(r sms.Risk) Risk {
		return Risk{ID: r.ID, Number: sms.RiskKind.Number(r.ID), Title: r.Title, Description: r.Description, Category: r.Category, Kind: r.Kind,
			ServiceIDs: r.ServiceIDs, RequirementIDs: r.RequirementIDs, OwnerID: r.OwnerID,
			Likelihood: r.Likelihood, Impact: r.Impact, Score: r.InherentScore(), Band: s.Band(r.InherentScore()),
			ResidualLikelihood: r.ResidualLikelihood, ResidualImpact: r.ResidualImpact, ResidualScore: r.ResidualScore(), ResidualBand: s.Band(r.ResidualScore()),
			Treatment: r.Treatment, AcceptedBy: r.AcceptedBy, AcceptedOn: r.AcceptedOn, ReviewOn: r.ReviewOn, ReviewOverdue: r.ReviewOverdue(today), State: r.State,
			CreatedAt: r.CreatedAt, CreatedBy: r.CreatedBy, UpdatedAt: r.UpdatedAt, UpdatedBy: r.UpdatedBy, Version: r.Version}
	}
}

type riskCreateIn struct {
	Body struct {
		Title              string  `json:"title" maxLength:"200"`
		Description        string  `json:"description,omitempty" maxLength:"4000"`
		Category           string  `json:"category" enum:"service,supplier,security,continuity,capacity,compliance,people,other"`
		Kind               string  `json:"kind,omitempty" enum:"risk,opportunity" doc:"risk when left out."`
		ServiceIDs         []int64 `json:"service_ids,omitempty" maxItems:"100"`
		RequirementIDs     []int64 `json:"requirement_ids,omitempty" maxItems:"100"`
		OwnerID            int64   `json:"owner_id" minimum:"1"`
		Likelihood         int64   `json:"likelihood" minimum:"1" maximum:"5" doc:"A level of the likelihood scale in force."`
		Impact             int64   `json:"impact" minimum:"1" maximum:"5" doc:"A level of the impact scale in force."`
		ResidualLikelihood int64   `json:"residual_likelihood,omitempty" minimum:"0" maximum:"5" doc:"The inherent likelihood when left out. For a risk, never above it."`
		ResidualImpact     int64   `json:"residual_impact,omitempty" minimum:"0" maximum:"5" doc:"The inherent impact when left out. For a risk, never above it."`
		Treatment          string  `json:"treatment,omitempty" enum:"mitigate,accept,transfer,avoid" doc:"mitigate when left out."`
		AcceptedBy         int64   `json:"accepted_by,omitempty" minimum:"0" doc:"Who accepted the risk: required with treatment accept; an SMS manager, a member of top management or an administrator."`
		AcceptedOn         string  `json:"accepted_on,omitempty" maxLength:"10" doc:"2006-01-02; required with accepted_by, not in the future."`
		ReviewOn           string  `json:"review_on,omitempty" maxLength:"10" doc:"2006-01-02"`
		State              string  `json:"state,omitempty" enum:"open,closed" doc:"open when left out."`
	}
}

type riskPatchIn struct {
	restapi.IDParam
	restapi.IfMatch
	Body struct {
		Title              *string  `json:"title,omitempty" maxLength:"200"`
		Description        *string  `json:"description,omitempty" maxLength:"4000"`
		Category           *string  `json:"category,omitempty" enum:"service,supplier,security,continuity,capacity,compliance,people,other"`
		Kind               *string  `json:"kind,omitempty" enum:"risk,opportunity"`
		ServiceIDs         *[]int64 `json:"service_ids,omitempty" maxItems:"100" doc:"The whole list: it replaces the one there."`
		RequirementIDs     *[]int64 `json:"requirement_ids,omitempty" maxItems:"100" doc:"The whole list: it replaces the one there."`
		OwnerID            *int64   `json:"owner_id,omitempty" minimum:"1"`
		Likelihood         *int64   `json:"likelihood,omitempty" minimum:"1" maximum:"5"`
		Impact             *int64   `json:"impact,omitempty" minimum:"1" maximum:"5"`
		ResidualLikelihood *int64   `json:"residual_likelihood,omitempty" minimum:"1" maximum:"5"`
		ResidualImpact     *int64   `json:"residual_impact,omitempty" minimum:"1" maximum:"5"`
		Treatment          *string  `json:"treatment,omitempty" enum:"mitigate,accept,transfer,avoid"`
		AcceptedBy         *int64   `json:"accepted_by,omitempty" minimum:"0" doc:"0 takes the acceptance away (send accepted_on empty too)."`
		AcceptedOn         *string  `json:"accepted_on,omitempty" maxLength:"10" doc:"2006-01-02; empty with no acceptor."`
		ReviewOn           *string  `json:"review_on,omitempty" maxLength:"10" doc:"2006-01-02; empty for none."`
		State              *string  `json:"state,omitempty" enum:"open,closed"`
	}
}

type riskListIn struct {
	restapi.PageParams
	Q          string `query:"q" maxLength:"100" doc:"Part of the title."`
	State      string `query:"state" enum:"open,closed"`
	Category   string `query:"category" enum:"service,supplier,security,continuity,capacity,compliance,people,other"`
	Kind       string `query:"kind" enum:"risk,opportunity"`
	Treatment  string `query:"treatment" enum:"mitigate,accept,transfer,avoid"`
	OwnerID    int64  `query:"owner_id" minimum:"0" doc:"Only this user's risks."`
	Band       string `query:"band" enum:"low,medium,high,critical" doc:"Only risks whose score is in this band (inherent, or residual with residual=true)."`
	Likelihood int64  `query:"likelihood" minimum:"0" maximum:"5" doc:"Only risks rated at this likelihood (inherent, or residual with residual=true)."`
	Impact     int64  `query:"impact" minimum:"0" maximum:"5" doc:"Only risks rated at this impact (inherent, or residual with residual=true)."`
	Residual   bool   `query:"residual" doc:"Apply band, likelihood and impact to the residual rating."`
	Overdue    bool   `query:"overdue" doc:"Only open risks past their review day."`
}

// RiskLevel is one level of a scale.
type RiskLevel struct {
	Label       string `json:"label" minLength:"1" maxLength:"40"`
	Description string `json:"description" maxLength:"300"`
}

// RiskScales are the scales risks are rated on and the bands of the
// scores.
type RiskScales struct {
	ID           int64       `json:"id"`
	Likelihood   []RiskLevel `json:"likelihood" doc:"The likelihood scale's levels, lowest first (level 1)."`
	Impact       []RiskLevel `json:"impact" doc:"The impact scale's levels, lowest first."`
	MediumFrom   int64       `json:"medium_from" doc:"The lowest score of the medium band; lower scores are low."`
	HighFrom     int64       `json:"high_from" doc:"The lowest score of the high band."`
	CriticalFrom int64       `json:"critical_from" doc:"The lowest score of the critical band."`
	MaxScore     int64       `json:"max_score" doc:"The highest score the scales allow."`
	UpdatedAt    time.Time   `json:"updated_at"`
	UpdatedBy    int64       `json:"updated_by"`
	Version      int64       `json:"version"`
}

func levelsOut(ls []sms.RiskLevel) []RiskLevel {
	out := make([]RiskLevel, len(ls))
	for i, l := range ls {
		out[i] = RiskLevel(l)
	}
	return out
}

func levelsIn(ls []RiskLevel) []sms.RiskLevel {
	out := make([]sms.RiskLevel, len(ls))
	for i, l := range ls {
		out[i] = sms.RiskLevel(l)
	}
	return out
}

func scalesOut(s sms.RiskScales) RiskScales {
	return RiskScales{ID: s.ID, Likelihood: levelsOut(s.Likelihood), Impact: levelsOut(s.Impact), MediumFrom: s.MediumFrom, HighFrom: s.HighFrom,
		CriticalFrom: s.CriticalFrom, MaxScore: s.MaxScore(), UpdatedAt: s.UpdatedAt, UpdatedBy: s.UpdatedBy, Version: s.Version}
}

type scalesPutIn struct {
	restapi.IfMatch
	Body struct {
		Likelihood   []RiskLevel `json:"likelihood" minItems:"3" maxItems:"5"`
		Impact       []RiskLevel `json:"impact" minItems:"3" maxItems:"5"`
		MediumFrom   int64       `json:"medium_from" minimum:"2"`
		HighFrom     int64       `json:"high_from" minimum:"3"`
		CriticalFrom int64       `json:"critical_from" minimum:"4" maximum:"25"`
	}
}

// RiskMatrixCell is one cell of the risk matrix.
type RiskMatrixCell struct {
	Likelihood int64  `json:"likelihood"`
	Impact     int64  `json:"impact"`
	Score      int64  `json:"score"`
	Band       string `json:"band" enum:"low,medium,high,critical"`
	Count      int    `json:"count" doc:"How many risks are rated so."`
}

// RiskMatrix is the risks counted by rating.
type RiskMatrix struct {
	Residual bool             `json:"residual" doc:"Whether the counts are of the residual rating."`
	Total    int              `json:"total"`
	Cells    []RiskMatrixCell `json:"cells" doc:"Every cell, likelihood by impact, with its count (0 included)."`
	Scales   RiskScales       `json:"scales"`
}

type matrixIn struct {
	Residual bool   `query:"residual" doc:"Count the residual rating instead of the inherent one."`
	State    string `query:"state" enum:"open,closed,all" doc:"open (the default) counts the open risks only."`
	Kind     string `query:"kind" enum:"risk,opportunity"`
}

// registerRisks adds the register's operations.
func registerRisks(api *restapi.API, c *smsapp.Catalogue) {
	k := sms.RiskKind
	// scored writes records on the scales in force, read per request.
	scored := func(ctx context.Context, actor access.Actor) func(sms.Risk) Risk {
		s, _ := c.RiskScales(ctx, actor)
		return riskOut(s)
	}
	restapi.RegisterList(api, k, "Risks in id order, with their scores and bands on the scales in force.",
		func(ctx context.Context, actor access.Actor, in *riskListIn) ([]Risk, string, error) {
			f := store.RiskFilter{Query: in.Q, State: in.State, Category: in.Category, Kind: in.Kind, Treatment: in.Treatment, OwnerID: in.OwnerID,
				Residual: in.Residual, Likelihood: in.Likelihood, Impact: in.Impact, Cursor: in.Cursor, Limit: in.Limit}
			if in.Overdue {
				f.ReviewBefore = time.Now().UTC().Format(time.DateOnly)
			}
			rs, next, err := c.ListRisks(ctx, actor, smsapp.RiskQuery{RiskFilter: f, Band: in.Band})
			return mapRisks(rs, scored(ctx, actor)), next, err
		}, func(r Risk) Risk { return r })
	restapi.RegisterCreate(api, k, "", func(ctx context.Context, actor access.Actor, in *riskCreateIn) (scoredRisk, error) {
		b := in.Body
		r, err := c.CreateRisk(ctx, actor, sms.RiskInput{Title: b.Title, Description: b.Description, Category: b.Category, Kind: b.Kind,
			Treatment: b.Treatment, AcceptedOn: b.AcceptedOn, ReviewOn: b.ReviewOn, State: b.State, OwnerID: b.OwnerID, AcceptedBy: &b.AcceptedBy,
			Likelihood: b.Likelihood, Impact: b.Impact, ResidualLikelihood: b.ResidualLikelihood, ResidualImpact: b.ResidualImpact,
			ServiceIDs: b.ServiceIDs, RequirementIDs: b.RequirementIDs})
		return scoredRisk{r, scored(ctx, actor)}, err
	}, scoredRisk.json)
	restapi.RegisterGet(api, k, func(ctx context.Context, actor access.Actor, id int64) (scoredRisk, error) {
		r, err := c.GetRisk(ctx, actor, id)
		return scoredRisk{r, scored(ctx, actor)}, err
	}, scoredRisk.json)
	restapi.RegisterUpdate(api, k, "", func(ctx context.Context, actor access.Actor, in *riskPatchIn, version int64) (scoredRisk, error) {
		b := in.Body
		r, err := c.UpdateRisk(ctx, actor, in.ID, version, sms.RiskUpdate{Title: b.Title, Description: b.Description, Category: b.Category, Kind: b.Kind,
			Treatment: b.Treatment, AcceptedOn: b.AcceptedOn, ReviewOn: b.ReviewOn, State: b.State, OwnerID: b.OwnerID, AcceptedBy: b.AcceptedBy,
			Likelihood: b.Likelihood, Impact: b.Impact, ResidualLikelihood: b.ResidualLikelihood, ResidualImpact: b.ResidualImpact,
			ServiceIDs: b.ServiceIDs, RequirementIDs: b.RequirementIDs})
		return scoredRisk{r, scored(ctx, actor)}, err
	}, scoredRisk.json)
	restapi.RegisterDelete(api, k, "", "Refused (409) while treatment actions come from the risk: delete them or give them another source first.", c.DeleteRisk)
	api.RegisterHistory(k)

	restapi.Register(api, k.Read, huma.Operation{OperationID: "risk-matrix", Method: http.MethodGet, Path: restapi.KindPath(k) + "/matrix",
		Tags: []string{k.Plural}, Summary: "Count the risks by likelihood and impact",
		Description: "The risk matrix on the scales in force: every cell with its score, band and how many risks are rated so, inherent or residual."},
		func(ctx context.Context, actor access.Actor, in *matrixIn) (*struct{ Body RiskMatrix }, error) {
			f := store.RiskFilter{Residual: in.Residual, Kind: in.Kind, State: in.State}
			switch in.State {
			case "":
				f.State = "open"
			case "all":
				f.State = ""
			}
			m, err := c.RiskMatrix(ctx, actor, f)
			if err != nil {
				return nil, err
			}
			out := RiskMatrix{Residual: m.Residual, Total: m.Total, Scales: scalesOut(m.Scales), Cells: []RiskMatrixCell{}}
			for l, row := range m.Counts {
				for i, n := range row {
					score := sms.RiskScore(int64(l+1), int64(i+1))
					out.Cells = append(out.Cells, RiskMatrixCell{Likelihood: int64(l + 1), Impact: int64(i + 1), Score: score, Band: m.Scales.Band(score), Count: n})
				}
			}
			return &struct{ Body RiskMatrix }{out}, nil
		})

	sk := sms.RiskScaleKind
	restapi.Register(api, sk.Read, huma.Operation{OperationID: "get-risk-scales", Method: http.MethodGet, Path: restapi.KindPath(sk),
		Tags: []string{k.Plural}, Summary: "Read the risk scales",
		Description: "The likelihood and impact scales risks are rated on, and the bands of the scores."},
		func(ctx context.Context, actor access.Actor, _ *struct{}) (*restapi.Tagged[RiskScales], error) {
			s, err := c.RiskScales(ctx, actor)
			if err != nil {
				return nil, err
			}
			return &restapi.Tagged[RiskScales]{ETag: restapi.ETag(s.Version), Body: scalesOut(s)}, nil
		})
	restapi.Register(api, sk.Write, huma.Operation{OperationID: "update-risk-scales", Method: http.MethodPut, Path: restapi.KindPath(sk),
		Tags: []string{k.Plural}, Summary: "Change the risk scales",
		Description: "Replaces both scales (3 to 5 levels each) and the bands. A scale is shortened only while no risk is rated on a level it would lose: refused (422, naming the scale and how many risks) otherwise."},
		func(ctx context.Context, actor access.Actor, in *scalesPutIn) (*restapi.Tagged[RiskScales], error) {
			b := in.Body
			s, err := restapi.AtVersions(in.IfMatch, func(v int64) (sms.RiskScales, error) {
				return c.UpdateRiskScales(ctx, actor, v, sms.RiskScalesInput{Likelihood: levelsIn(b.Likelihood), Impact: levelsIn(b.Impact),
					MediumFrom: b.MediumFrom, HighFrom: b.HighFrom, CriticalFrom: b.CriticalFrom})
			})
			if err != nil {
				return nil, err
			}
			return &restapi.Tagged[RiskScales]{ETag: restapi.ETag(s.Version), Body: scalesOut(s)}, nil
		})
	api.RegisterHistory(sk)
}

// scoredRisk is a risk with how to write it on the scales in force.
type scoredRisk struct {
	sms.Risk
	write func(sms.Risk) Risk
}

func (s scoredRisk) json() Risk { return s.write(s.Risk) }

func mapRisks(rs []sms.Risk, out func(sms.Risk) Risk) []Risk {
	list := make([]Risk, len(rs))
	for i, r := range rs {
		list[i] = out(r)
	}
	return list
}
