package assurance

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/conform-itsm/conform/internal/access"
	assuranceapp "github.com/conform-itsm/conform/internal/app/assurance"
	"github.com/conform-itsm/conform/internal/assurance"
	"github.com/conform-itsm/conform/internal/restapi"
	"github.com/conform-itsm/conform/internal/sms"
	"github.com/conform-itsm/conform/internal/store"
)

// ManagementReview is a management review with its input pack and the
// actions that came from it.
type ManagementReview struct {
	ID             int64    `json:"id"`
	Number         string   `json:"number" doc:"Human number, MR-000001."`
	Title          string   `json:"title"`
	PlannedOn      string   `json:"planned_on" doc:"2006-01-02"`
	HeldOn         string   `json:"held_on" doc:"2006-01-02; empty until the review is held."`
	ChairID        int64    `json:"chair_id" doc:"A user of top management or an SMS manager."`
	AttendeeIDs    []int64  `json:"attendee_ids"`
	IntervalMonths int64    `json:"interval_months" doc:"The next review is due this many months after this one is held."`
	NextDue        string   `json:"next_due" doc:"The day the next review is due after this one (2006-01-02)."`
	State          string   `json:"state" enum:"planned,prepared,held,approved,cancelled" doc:"approved: the minutes are approved."`
	PreparedOn     string   `json:"prepared_on" doc:"The day the input pack was last assembled; empty before."`
	PackHash       string   `json:"pack_hash" doc:"SHA-256 (hex) of the frozen pack's JSON text, set when the review is held; empty before."`
	Minutes        string   `json:"minutes"`
	Decisions      []string `json:"decisions"`
	ApprovedBy     int64    `json:"approved_by" doc:"Who approved the minutes; 0 before."`
	ApprovedOn     string   `json:"approved_on"`
	// Pack is the input pack: assembled when prepared, frozen when held.
	Pack      *assurance.ReviewPack `json:"pack,omitempty" doc:"The input pack, absent before the review is prepared; frozen once it is held."`
	Actions   []ReviewAction        `json:"actions" doc:"The actions whose source is this review (its output actions)."`
	CreatedAt time.Time             `json:"created_at"`
	CreatedBy int64                 `json:"created_by"`
	UpdatedAt time.Time             `json:"updated_at"`
	UpdatedBy int64                 `json:"updated_by"`
	Version   int64                 `json:"version"`
}

// ReviewAction is an action that came from a review or an improvement.
type ReviewAction struct {
	ID      int64  `json:"id"`
	Number  string `json:"number"`
	Title   string `json:"title"`
	OwnerID int64  `json:"owner_id"`
	DueOn   string `json:"due_on"`
	State   string `json:"state" enum:"open,in_progress,done,cancelled"`
}

// reviewWith and improvementWith are records with the actions they
// asked for.
type reviewWith struct {
	assurance.ManagementReview
	actions []sms.Action
}

type improvementWith struct {
	assurance.Improvement
	actions []sms.Action
}

func actionsOut(as []sms.Action) []ReviewAction {
	out := make([]ReviewAction, 0, len(as))
	for _, a := range as {
		out = append(out, ReviewAction{ID: a.ID, Number: sms.ActionKind.Number(a.ID), Title: a.Title, OwnerID: a.OwnerID, DueOn: a.DueOn, State: a.State})
	}
	return out
}

func reviewOut(w reviewWith) ManagementReview {
	r := w.ManagementReview
	out := ManagementReview{ID: r.ID, Number: assurance.ManagementReviewKind.Number(r.ID), Title: r.Title, PlannedOn: r.PlannedOn, HeldOn: r.HeldOn,
		ChairID: r.ChairID, AttendeeIDs: r.AttendeeIDs, IntervalMonths: r.IntervalMonths, NextDue: r.NextDue(), State: r.State, PreparedOn: r.PreparedOn,
		PackHash: r.PackHash, Minutes: r.Minutes, Decisions: r.Decisions, ApprovedBy: r.ApprovedBy, ApprovedOn: r.ApprovedOn, Actions: actionsOut(w.actions),
		CreatedAt: r.CreatedAt, CreatedBy: r.CreatedBy, UpdatedAt: r.UpdatedAt, UpdatedBy: r.UpdatedBy, Version: r.Version}
	if out.AttendeeIDs == nil {
		out.AttendeeIDs = []int64{}
	}
	if out.Decisions == nil {
		out.Decisions = []string{}
	}
	if p, err := assurance.DecodePack(r.Pack); err == nil && r.Pack != "" {
		out.Pack = &p
	}
	return out
}

type reviewCreateIn struct {
	Body struct {
		Title          string   `json:"title" maxLength:"200"`
		PlannedOn      string   `json:"planned_on" maxLength:"10" doc:"2006-01-02"`
		ChairID        int64    `json:"chair_id" minimum:"1"`
		AttendeeIDs    []int64  `json:"attendee_ids,omitempty"`
		IntervalMonths int64    `json:"interval_months,omitempty" minimum:"0" maximum:"24" doc:"12 when left out."`
		Minutes        string   `json:"minutes,omitempty" maxLength:"20000"`
		Decisions      []string `json:"decisions,omitempty" maxItems:"50"`
	}
}

type reviewPatchIn struct {
	restapi.IDParam
	restapi.IfMatch
	Body struct {
		Title          *string   `json:"title,omitempty" maxLength:"200"`
		PlannedOn      *string   `json:"planned_on,omitempty" maxLength:"10" doc:"Fixed once the review is held."`
		ChairID        *int64    `json:"chair_id,omitempty" minimum:"1"`
		AttendeeIDs    *[]int64  `json:"attendee_ids,omitempty"`
		IntervalMonths *int64    `json:"interval_months,omitempty" minimum:"1" maximum:"24"`
		Minutes        *string   `json:"minutes,omitempty" maxLength:"20000"`
		Decisions      *[]string `json:"decisions,omitempty" maxItems:"50"`
		Pack           *string   `json:"pack,omitempty" doc:"Always refused (422 on pack): the pack is assembled by prepare and frozen by hold."`
	}
}

type reviewListIn struct {
	restapi.PageParams
	Q       string `query:"q" maxLength:"100" doc:"Part of the title."`
	State   string `query:"state" enum:"planned,prepared,held,approved,cancelled"`
	ChairID int64  `query:"chair_id" minimum:"0"`
	From    string `query:"from" maxLength:"10" doc:"Only reviews planned on or after this day."`
	To      string `query:"to" maxLength:"10" doc:"Only reviews planned on or before this day."`
}

type reviewHoldIn struct {
	restapi.IDParam
	restapi.IfMatch
	Body *struct {
		HeldOn string `json:"held_on,omitempty" maxLength:"10" doc:"The day it was held (2006-01-02); today when left out."`
	} `required:"false"`
}

// registerReviews adds the management reviews' operations.
func registerReviews(api *restapi.API, c *assuranceapp.Catalogue) {
	k := assurance.ManagementReviewKind
	actions := func(ctx context.Context, actor access.Actor, r assurance.ManagementReview, err error) (reviewWith, error) {
		w := reviewWith{ManagementReview: r}
		if err != nil || !actor.Can(sms.ActionKind.Read) {
			return w, err
		}
		w.actions, _, err = c.ReviewActions(ctx, actor, "review", r.ID)
		return w, err
	}
	one := func(ctx context.Context, actor access.Actor, id int64) (reviewWith, error) {
		r, err := c.GetManagementReview(ctx, actor, id)
		return actions(ctx, actor, r, err)
	}
	restapi.RegisterList(api, k, "Reviews in id order, each with its input pack and output actions.",
		func(ctx context.Context, actor access.Actor, in *reviewListIn) ([]reviewWith, string, error) {
			rs, next, err := c.ListManagementReviews(ctx, actor, store.ManagementReviewFilter{Query: in.Q, State: in.State, ChairID: in.ChairID, From: in.From, To: in.To, Cursor: in.Cursor, Limit: in.Limit})
			out := make([]reviewWith, 0, len(rs))
			for _, r := range rs {
				if err != nil {
					break
				}
				var w reviewWith
				w, err = actions(ctx, actor, r, nil)
				out = append(out, w)
			}
			return out, next, err
		}, reviewOut)
	restapi.RegisterCreate(api, k, "Plans a review; it is held once prepared.", func(ctx context.Context, actor access.Actor, in *reviewCreateIn) (reviewWith, error) {
		b := in.Body
		r, err := c.CreateManagementReview(ctx, actor, assurance.ReviewInput{Title: b.Title, PlannedOn: b.PlannedOn, ChairID: b.ChairID, AttendeeIDs: b.AttendeeIDs,
			IntervalMonths: b.IntervalMonths, Minutes: b.Minutes, Decisions: b.Decisions})
		return reviewWith{ManagementReview: r}, err
	}, reviewOut)
	restapi.RegisterGet(api, k, one, reviewOut)
	restapi.RegisterUpdate(api, k, "The plan changes until the review is held; the minutes and decisions until they are approved; the pack never (422 on pack).",
		func(ctx context.Context, actor access.Actor, in *reviewPatchIn, version int64) (reviewWith, error) {
			b := in.Body
			r, err := c.UpdateManagementReview(ctx, actor, in.ID, version, assurance.ReviewUpdate{Title: b.Title, PlannedOn: b.PlannedOn, ChairID: b.ChairID,
				AttendeeIDs: b.AttendeeIDs, IntervalMonths: b.IntervalMonths, Minutes: b.Minutes, Decisions: b.Decisions, Pack: b.Pack})
			return actions(ctx, actor, r, err)
		}, reviewOut)
	restapi.RegisterDelete(api, k, "", "A held review is kept (409).", c.DeleteManagementReview)
	api.RegisterHistory(k)
	step := func(do func(context.Context, access.Actor, int64, int64) (assurance.ManagementReview, error)) func(context.Context, access.Actor, int64, int64) (reviewWith, error) {
		return func(ctx context.Context, actor access.Actor, id, version int64) (reviewWith, error) {
			r, err := do(ctx, actor, id, version)
			return actions(ctx, actor, r, err)
		}
	}
	restapi.RegisterTransition(api, k, k.Write, "prepare", "Assemble the review's input pack",
		"Reads the inputs a to k from the live records and stores the pack; a prepared review may be prepared again until it is held. Refused (422 on state) for a held, approved or cancelled review.",
		step(c.PrepareManagementReview), reviewOut)
	restapi.Register(api, k.Write, huma.Operation{OperationID: "hold-" + k.Entity, Method: http.MethodPost, Path: restapi.ItemPath(k) + "/hold", Tags: []string{k.Plural},
		Summary: "Hold a prepared review", Description: "Freezes the input pack and records its SHA-256. Refused (422) on state for a review not prepared, and on held_on for a day before the pack was assembled or in the future."},
		func(ctx context.Context, actor access.Actor, in *reviewHoldIn) (*restapi.Tagged[ManagementReview], error) {
			heldOn := ""
			if in.Body != nil {
				heldOn = in.Body.HeldOn
			}
			w, err := restapi.AtVersions(in.IfMatch, func(v int64) (reviewWith, error) {
				r, err := c.HoldManagementReview(ctx, actor, in.ID, v, heldOn)
				return actions(ctx, actor, r, err)
			})
			if err != nil {
				return nil, err
			}
			return &restapi.Tagged[ManagementReview]{ETag: restapi.ETag(w.Version), Body: reviewOut(w)}, nil
		})
	restapi.RegisterTransition(api, k, k.Write, "approve", "Approve a held review's minutes", "The review then no longer changes. Refused (422) for a review not held, or without minutes.",
		step(c.ApproveReviewMinutes), reviewOut)
	restapi.RegisterTransition(api, k, k.Write, "cancel", "Cancel a review not yet held", "Refused (422 on state) once it is held.", step(c.CancelManagementReview), reviewOut)
	restapi.Register(api, k.Read, huma.Operation{OperationID: "next-" + k.Entity, Method: http.MethodGet, Path: restapi.KindPath(k) + "/next", Tags: []string{k.Plural},
		Summary: "Suggest the next review's day", Description: "The last held review's day plus its interval; empty before any review is held."},
		func(ctx context.Context, actor access.Actor, _ *struct{}) (*struct{ Body NextReview }, error) {
			day, last, err := c.NextReviewDay(ctx, actor)
			if err != nil {
				return nil, err
			}
			out := &struct{ Body NextReview }{Body: NextReview{Day: day}}
			if day != "" {
				out.Body.After, out.Body.IntervalMonths = last.ID, last.IntervalMonths
			}
			return out, nil
		})
}

// NextReview is the suggested day of the next review.
type NextReview struct {
	Day            string `json:"day" doc:"2006-01-02; empty before any review is held."`
	After          int64  `json:"after" doc:"The id of the last held review it is counted from; 0 for none."`
	IntervalMonths int64  `json:"interval_months"`
}
