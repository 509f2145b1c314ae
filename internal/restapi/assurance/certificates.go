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
	"github.com/conform-itsm/conform/internal/store"
)

// Certificate is a certificate of the SMS with its cycle of planned
// audits and where it stands today.
type Certificate struct {
	ID                int64  `json:"id"`
	Number            string `json:"number" doc:"Human number, CERT-000001."`
	BodyID            int64  `json:"body_id" doc:"The certification body that issued it."`
	CertificateNumber string `json:"certificate_number" doc:"The body's number for the certificate."`
	Standard          string `json:"standard" doc:"The standard and edition, ISO/IEC 20000-1:2018 by default."`
	Scope             string `json:"scope"`
	IssuedOn          string `json:"issued_on" doc:"2006-01-02"`
	DecidedOn         string `json:"decided_on" doc:"The certification decision (2006-01-02); never after the issue."`
	CycleStart        string `json:"cycle_start" doc:"The first day of its cycle: the decision, or the day after the old expiry for a renewal."`
	ExpiresOn         string `json:"expires_on" doc:"The last day it is valid (2006-01-02); never before the issue."`
	Status            string `json:"status" enum:"active,suspended,withdrawn" doc:"As the certification body decided."`
	State             string `json:"state" enum:"active,suspended,withdrawn,expired" doc:"The status as it is today: expired once past the expiry."`
	ReminderDays      int64  `json:"reminder_days" doc:"How many days before a planned audit's due day the SMS managers are reminded."`
	PreviousID        int64  `json:"previous_id" doc:"The certificate it renews; 0 for a first certificate."`
	// Risk says what an overdue planned audit puts at risk.
	Risk      string         `json:"risk" enum:"suspension,lapse,none" doc:"suspension: a surveillance audit is past its due-by day and not done; lapse: the recertification is; none otherwise."`
	Cycle     []PlannedAudit `json:"cycle" nullable:"false" doc:"Its planned audits, by due day."`
	CreatedAt time.Time      `json:"created_at"`
	CreatedBy int64          `json:"created_by"`
	UpdatedAt time.Time      `json:"updated_at"`
	UpdatedBy int64          `json:"updated_by"`
	Version   int64          `json:"version"`
}

func certificateOut(s assuranceapp.Standing) Certificate {
	x := s.Certificate
	out := Certificate{ID: x.ID, Number: assurance.CertificateKind.Number(x.ID), BodyID: x.BodyID, CertificateNumber: x.CertNumber, Standard: x.Standard,
		Scope: x.Scope, IssuedOn: x.IssuedOn, DecidedOn: x.DecidedOn, CycleStart: x.CycleStart, ExpiresOn: x.ExpiresOn, Status: x.Status, State: s.State,
		ReminderDays: x.ReminderDays, PreviousID: x.PreviousID, Risk: s.Risk, Cycle: []PlannedAudit{},
		CreatedAt: x.CreatedAt, CreatedBy: x.CreatedBy, UpdatedAt: x.UpdatedAt, UpdatedBy: x.UpdatedBy, Version: x.Version}
	if out.Risk == "" {
		out.Risk = "none"
	}
	for _, p := range s.Cycle {
		out.Cycle = append(out.Cycle, plannedOut(p))
	}
	return out
}

type certificateCreateIn struct {
	Body struct {
		BodyID            int64  `json:"body_id" minimum:"1"`
		CertificateNumber string `json:"certificate_number" maxLength:"100"`
		Standard          string `json:"standard,omitempty" maxLength:"100" doc:"ISO/IEC 20000-1:2018 when left out."`
		Scope             string `json:"scope" maxLength:"4000"`
		IssuedOn          string `json:"issued_on" maxLength:"10" doc:"2006-01-02"`
		DecidedOn         string `json:"decided_on" maxLength:"10" doc:"2006-01-02; not after issued_on."`
		ExpiresOn         string `json:"expires_on,omitempty" maxLength:"10" doc:"2006-01-02, not before issued_on; the day before the decision's third anniversary when left out."`
		Status            string `json:"status,omitempty" enum:"active,suspended,withdrawn" doc:"active when left out."`
		ReminderDays      int64  `json:"reminder_days,omitempty" minimum:"0" maximum:"365" doc:"60 when left out."`
	}
}

type certificatePatchIn struct {
	restapi.IDParam
	restapi.IfMatch
	Body struct {
		BodyID            *int64  `json:"body_id,omitempty" minimum:"1"`
		CertificateNumber *string `json:"certificate_number,omitempty" maxLength:"100"`
		Standard          *string `json:"standard,omitempty" maxLength:"100"`
		Scope             *string `json:"scope,omitempty" maxLength:"4000"`
		IssuedOn          *string `json:"issued_on,omitempty" maxLength:"10"`
		DecidedOn         *string `json:"decided_on,omitempty" maxLength:"10"`
		CycleStart        *string `json:"cycle_start,omitempty" maxLength:"10"`
		ExpiresOn         *string `json:"expires_on,omitempty" maxLength:"10" doc:"Empty for the default."`
		Status            *string `json:"status,omitempty" enum:"active,suspended,withdrawn"`
		ReminderDays      *int64  `json:"reminder_days,omitempty" minimum:"1" maximum:"365"`
	}
}

type certificateListIn struct {
	restapi.PageParams
	Q      string `query:"q" maxLength:"100" doc:"Part of the certificate number."`
	BodyID int64  `query:"body_id" minimum:"0" doc:"Only this body's certificates."`
	State  string `query:"state" enum:"active,suspended,withdrawn,expired" doc:"Only certificates in this state today."`
	AtRisk bool   `query:"at_risk" doc:"Only certificates in force with a planned audit overdue."`
}

type renewIn struct {
	restapi.IDParam
	Body struct {
		CertificateNumber string `json:"certificate_number" maxLength:"100" doc:"The new certificate's number."`
		Scope             string `json:"scope,omitempty" maxLength:"4000" doc:"The old scope when left out."`
		IssuedOn          string `json:"issued_on" maxLength:"10"`
		DecidedOn         string `json:"decided_on" maxLength:"10"`
		ExpiresOn         string `json:"expires_on,omitempty" maxLength:"10" doc:"Three years on from the old expiry when left out."`
		RecertifiedOn     string `json:"recertified_on,omitempty" maxLength:"10" doc:"The day the recertification audit was done; marks the old cycle's recertification done."`
	}
}

func registerCertificates(api *restapi.API, c *assuranceapp.Catalogue) {
	k := assurance.CertificateKind
	standing := func(ctx context.Context, x assurance.Certificate) (assuranceapp.Standing, error) {
		s, err := c.Standings(ctx, []assurance.Certificate{x})
		if err != nil {
			return assuranceapp.Standing{}, err
		}
		return s[0], nil
	}
	restapi.RegisterList(api, k, "Each with its planned audits and what an overdue one risks.", func(ctx context.Context, actor access.Actor, in *certificateListIn) ([]assuranceapp.Standing, string, error) {
		list, next, err := c.ListCertificates(ctx, actor, store.CertificateFilter{Query: in.Q, BodyID: in.BodyID, State: in.State, AtRisk: in.AtRisk, Cursor: in.Cursor, Limit: in.Limit})
		if err != nil {
			return nil, "", err
		}
		out, err := c.Standings(ctx, list)
		return out, next, err
	}, certificateOut)
	restapi.RegisterCreate(api, k, "Plans its cycle: the first surveillance no later than 12 months after the decision, the second in the calendar year after it, the recertification 3 months before expiry.",
		func(ctx context.Context, actor access.Actor, in *certificateCreateIn) (assuranceapp.Standing, error) {
			b := in.Body
			x, err := c.CreateCertificate(ctx, actor, assurance.CertificateInput{BodyID: b.BodyID, CertNumber: b.CertificateNumber, Standard: b.Standard, Scope: b.Scope,
				IssuedOn: b.IssuedOn, DecidedOn: b.DecidedOn, ExpiresOn: b.ExpiresOn, Status: b.Status, ReminderDays: b.ReminderDays})
			if err != nil {
				return assuranceapp.Standing{}, err
			}
			return standing(ctx, x)
		}, certificateOut)
	restapi.RegisterGet(api, k, c.CertificateStanding, certificateOut)
	restapi.RegisterUpdate(api, k, "A change of its days plans again the audits of its cycle not done yet.",
		func(ctx context.Context, actor access.Actor, in *certificatePatchIn, version int64) (assuranceapp.Standing, error) {
			b := in.Body
			x, err := c.UpdateCertificate(ctx, actor, in.ID, version, assurance.CertificateUpdate{BodyID: b.BodyID, CertNumber: b.CertificateNumber, Standard: b.Standard,
				Scope: b.Scope, IssuedOn: b.IssuedOn, DecidedOn: b.DecidedOn, CycleStart: b.CycleStart, ExpiresOn: b.ExpiresOn, Status: b.Status, ReminderDays: b.ReminderDays})
			if err != nil {
				return assuranceapp.Standing{}, err
			}
			return standing(ctx, x)
		}, certificateOut)
	restapi.RegisterDelete(api, k, "", "Its planned audits go with it; a certificate a renewal names stays.", c.DeleteCertificate)
	api.RegisterHistory(k)
	restapi.Register(api, k.Write, huma.Operation{OperationID: "renew-certificate", Method: http.MethodPost, Path: restapi.ItemPath(k) + "/renew",
		Tags: []string{k.Plural}, Summary: "Record the certificate's renewal", DefaultStatus: http.StatusCreated,
		Description: "Records the new certificate the body issued on recertification: same body, standard and reminders, its cycle running on from the day after the old expiry, planned as a first one is. The old certificate stays until it expires."},
		func(ctx context.Context, actor access.Actor, in *renewIn) (*struct{ Body Certificate }, error) {
			b := in.Body
			x, err := c.RenewCertificate(ctx, actor, in.ID, assurance.RenewalInput{CertNumber: b.CertificateNumber, Scope: b.Scope, IssuedOn: b.IssuedOn,
				DecidedOn: b.DecidedOn, ExpiresOn: b.ExpiresOn, RecertifiedOn: b.RecertifiedOn})
			if err != nil {
				return nil, err
			}
			s, err := standing(ctx, x)
			if err != nil {
				return nil, err
			}
			return &struct{ Body Certificate }{certificateOut(s)}, nil
		})
}

// PlannedAudit is one audit of a certificate's cycle.
type PlannedAudit struct {
	ID            int64     `json:"id"`
	Number        string    `json:"number" doc:"Human number, CYA-000001."`
	CertificateID int64     `json:"certificate_id"`
	Type          string    `json:"type" enum:"surveillance_1,surveillance_2,recertification,special"`
	DueBy         string    `json:"due_by" doc:"The last day it may be done (2006-01-02)."`
	PlannedOn     string    `json:"planned_on" doc:"The day booked with the body; empty for not booked."`
	DoneOn        string    `json:"done_on" doc:"The day it was done; empty while it is not."`
	AuditID       int64     `json:"audit_id" doc:"The audit record holding its findings; 0 for none."`
	Notes         string    `json:"notes"`
	Overdue       bool      `json:"overdue" doc:"Not done and past its due-by day."`
	CreatedAt     time.Time `json:"created_at"`
	CreatedBy     int64     `json:"created_by"`
	UpdatedAt     time.Time `json:"updated_at"`
	UpdatedBy     int64     `json:"updated_by"`
	Version       int64     `json:"version"`
}

func plannedOut(p assurance.PlannedAudit) PlannedAudit {
	return PlannedAudit{ID: p.ID, Number: assurance.PlannedAuditKind.Number(p.ID), CertificateID: p.CertificateID, Type: p.Type, DueBy: p.DueBy,
		PlannedOn: p.PlannedOn, DoneOn: p.DoneOn, AuditID: p.AuditID, Notes: p.Notes, Overdue: p.Overdue(assurance.Today(time.Now())),
		CreatedAt: p.CreatedAt, CreatedBy: p.CreatedBy, UpdatedAt: p.UpdatedAt, UpdatedBy: p.UpdatedBy, Version: p.Version}
}

type plannedCreateIn struct {
	Body struct {
		CertificateID int64  `json:"certificate_id" minimum:"1"`
		Type          string `json:"type,omitempty" enum:"surveillance_1,surveillance_2,recertification,special" doc:"special when left out."`
		DueBy         string `json:"due_by" maxLength:"10"`
		PlannedOn     string `json:"planned_on,omitempty" maxLength:"10"`
		DoneOn        string `json:"done_on,omitempty" maxLength:"10" doc:"Not in the future."`
		AuditID       int64  `json:"audit_id,omitempty" minimum:"0"`
		Notes         string `json:"notes,omitempty" maxLength:"2000"`
	}
}

type plannedPatchIn struct {
	restapi.IDParam
	restapi.IfMatch
	Body struct {
		DueBy     *string `json:"due_by,omitempty" maxLength:"10"`
		PlannedOn *string `json:"planned_on,omitempty" maxLength:"10" doc:"Empty for not booked."`
		DoneOn    *string `json:"done_on,omitempty" maxLength:"10" doc:"Empty for not done; not in the future. The first surveillance done moves the second's due-by day."`
		AuditID   *int64  `json:"audit_id,omitempty" minimum:"0" doc:"0 for none."`
		Notes     *string `json:"notes,omitempty" maxLength:"2000"`
	}
}

type plannedListIn struct {
	restapi.PageParams
	CertificateID int64  `query:"certificate_id" minimum:"0" doc:"Only this certificate's."`
	Type          string `query:"type" enum:"surveillance_1,surveillance_2,recertification,special"`
	Open          bool   `query:"open" doc:"Only those not done yet."`
	DueUntil      string `query:"due_until" maxLength:"10" doc:"Only those due by this day or earlier (2006-01-02); with open=true and yesterday, the overdue ones."`
	AuditID       int64  `query:"audit_id" minimum:"0" doc:"Only those linked to this audit."`
}

func registerPlannedAudits(api *restapi.API, c *assuranceapp.Catalogue) {
	k := assurance.PlannedAuditKind
	restapi.RegisterList(api, k, "", func(ctx context.Context, actor access.Actor, in *plannedListIn) ([]assurance.PlannedAudit, string, error) {
		return c.ListPlannedAudits(ctx, actor, store.PlannedAuditFilter{CertificateID: in.CertificateID, Type: in.Type, Open: in.Open, DueUntil: in.DueUntil,
			AuditID: in.AuditID, Cursor: in.Cursor, Limit: in.Limit})
	}, plannedOut)
	restapi.RegisterCreate(api, k, "An audit the plan did not make (a special audit).", func(ctx context.Context, actor access.Actor, in *plannedCreateIn) (assurance.PlannedAudit, error) {
		b := in.Body
		return c.CreatePlannedAudit(ctx, actor, assurance.PlannedAuditInput{CertificateID: b.CertificateID, Type: b.Type, DueBy: b.DueBy, PlannedOn: b.PlannedOn,
			DoneOn: b.DoneOn, AuditID: b.AuditID, Notes: b.Notes})
	}, plannedOut)
	restapi.RegisterGet(api, k, c.GetPlannedAudit, plannedOut)
	restapi.RegisterUpdate(api, k, "", func(ctx context.Context, actor access.Actor, in *plannedPatchIn, version int64) (assurance.PlannedAudit, error) {
		b := in.Body
		return c.UpdatePlannedAudit(ctx, actor, in.ID, version, assurance.PlannedAuditUpdate{DueBy: b.DueBy, PlannedOn: b.PlannedOn, DoneOn: b.DoneOn, AuditID: b.AuditID, Notes: b.Notes})
	}, plannedOut)
	restapi.RegisterDelete(api, k, "", "", c.DeletePlannedAudit)
	api.RegisterHistory(k)
}
