package assurance

import (
	"context"
	"time"

	"github.com/conform-itsm/conform/internal/access"
	assuranceapp "github.com/conform-itsm/conform/internal/app/assurance"
	"github.com/conform-itsm/conform/internal/assurance"
	"github.com/conform-itsm/conform/internal/restapi"
	"github.com/conform-itsm/conform/internal/store"
)

// CertificationBody is a body that certifies the SMS, with its
// accreditation and when it was last checked.
type CertificationBody struct {
	ID                  int64  `json:"id"`
	Number              string `json:"number" doc:"Human number, CB-000001."`
	Name                string `json:"name"`
	AccreditationBody   string `json:"accreditation_body" doc:"Who accredits it."`
	AccreditationNumber string `json:"accreditation_number"`
	AccreditationScope  string `json:"accreditation_scope" doc:"What the accreditation covers."`
	Covers20000         string `json:"covers_20000" enum:"yes,no,unknown" doc:"Whether the accreditation covers ISO/IEC 20000-1 certification (under ISO/IEC 20000-6)."`
	Contacts            string `json:"contacts"`
	VerifiedOn          string `json:"verified_on" doc:"The day its credentials were last checked (2006-01-02); empty for never."`
	VerifiedBy          int64  `json:"verified_by" doc:"The user who checked them; 0 for nobody."`
	// NeedsVerification: never checked, or last more than a year ago.
	NeedsVerification bool      `json:"needs_verification" doc:"True when its credentials were never checked or last checked more than a year ago: verify before booking."`
	CreatedAt         time.Time `json:"created_at"`
	CreatedBy         int64     `json:"created_by"`
	UpdatedAt         time.Time `json:"updated_at"`
	UpdatedBy         int64     `json:"updated_by"`
	Version           int64     `json:"version"`
}

func bodyOut(today string) func(b assurance.CertificationBody) CertificationBody {
	return func(b assurance.CertificationBody) CertificationBody {
		return CertificationBody{ID: b.ID, Number: assurance.CertificationBodyKind.Number(b.ID), Name: b.Name, AccreditationBody: b.AccreditationBody,
			AccreditationNumber: b.AccreditationNumber, AccreditationScope: b.AccreditationScope, Covers20000: b.Covers20000, Contacts: b.Contacts,
			VerifiedOn: b.VerifiedOn, VerifiedBy: b.VerifiedBy, NeedsVerification: b.NeedsVerification(today),
			CreatedAt: b.CreatedAt, CreatedBy: b.CreatedBy, UpdatedAt: b.UpdatedAt, UpdatedBy: b.UpdatedBy, Version: b.Version}
	}
}

type bodyCreateIn struct {
	Body struct {
		Name                string `json:"name" maxLength:"200"`
		AccreditationBody   string `json:"accreditation_body,omitempty" maxLength:"200"`
		AccreditationNumber string `json:"accreditation_number,omitempty" maxLength:"100"`
		AccreditationScope  string `json:"accreditation_scope,omitempty" maxLength:"4000"`
		Covers20000         string `json:"covers_20000,omitempty" enum:"yes,no,unknown" doc:"unknown when left out."`
		Contacts            string `json:"contacts,omitempty" maxLength:"2000"`
		VerifiedOn          string `json:"verified_on,omitempty" maxLength:"10" doc:"2006-01-02, not in the future; needs verified_by."`
		VerifiedBy          int64  `json:"verified_by,omitempty" minimum:"0"`
	}
}

type bodyPatchIn struct {
	restapi.IDParam
	restapi.IfMatch
	Body struct {
		Name                *string `json:"name,omitempty" maxLength:"200"`
		AccreditationBody   *string `json:"accreditation_body,omitempty" maxLength:"200"`
		AccreditationNumber *string `json:"accreditation_number,omitempty" maxLength:"100"`
		AccreditationScope  *string `json:"accreditation_scope,omitempty" maxLength:"4000"`
		Covers20000         *string `json:"covers_20000,omitempty" enum:"yes,no,unknown"`
		Contacts            *string `json:"contacts,omitempty" maxLength:"2000"`
		VerifiedOn          *string `json:"verified_on,omitempty" maxLength:"10" doc:"2006-01-02; empty for never."`
		VerifiedBy          *int64  `json:"verified_by,omitempty" minimum:"0"`
	}
}

type bodyListIn struct {
	restapi.PageParams
	Q           string `query:"q" maxLength:"100" doc:"Part of the name."`
	Unverified  bool   `query:"unverified" doc:"Only bodies whose credentials were never checked or last checked more than a year ago."`
	Covers20000 string `query:"covers_20000" enum:"yes,no,unknown" doc:"Only bodies whose accreditation does (yes), does not (no) or may (unknown) cover ISO/IEC 20000-1."`
}

// registerCertification adds certification's operations: bodies,
// certificates with their cycle, planned audits, calendar addresses.
func registerCertification(api *restapi.API, c *assuranceapp.Catalogue) {
	registerBodies(api, c)
	registerCertificates(api, c)
	registerPlannedAudits(api, c)
	registerCalendar(api, c)
}

func registerBodies(api *restapi.API, c *assuranceapp.Catalogue) {
	k := assurance.CertificationBodyKind
	out := func(b assurance.CertificationBody) CertificationBody { return bodyOut(c.Today())(b) }
	restapi.RegisterList(api, k, "", func(ctx context.Context, actor access.Actor, in *bodyListIn) ([]assurance.CertificationBody, string, error) {
		f := store.CertificationBodyFilter{Query: in.Q, Covers20000: in.Covers20000, Cursor: in.Cursor, Limit: in.Limit}
		if in.Unverified {
			f.UnverifiedSince = c.UnverifiedSince()
		}
		return c.ListCertificationBodies(ctx, actor, f)
	}, out)
	restapi.RegisterCreate(api, k, "", func(ctx context.Context, actor access.Actor, in *bodyCreateIn) (assurance.CertificationBody, error) {
		b := in.Body
		return c.CreateCertificationBody(ctx, actor, assurance.BodyInput{Name: b.Name, AccreditationBody: b.AccreditationBody, AccreditationNumber: b.AccreditationNumber,
			AccreditationScope: b.AccreditationScope, Covers20000: b.Covers20000, Contacts: b.Contacts, VerifiedOn: b.VerifiedOn, VerifiedBy: b.VerifiedBy})
	}, out)
	restapi.RegisterGet(api, k, c.GetCertificationBody, out)
	restapi.RegisterUpdate(api, k, "", func(ctx context.Context, actor access.Actor, in *bodyPatchIn, version int64) (assurance.CertificationBody, error) {
		b := in.Body
		return c.UpdateCertificationBody(ctx, actor, in.ID, version, assurance.BodyUpdate{Name: b.Name, AccreditationBody: b.AccreditationBody,
			AccreditationNumber: b.AccreditationNumber, AccreditationScope: b.AccreditationScope, Covers20000: b.Covers20000, Contacts: b.Contacts,
			VerifiedOn: b.VerifiedOn, VerifiedBy: b.VerifiedBy})
	}, out)
	restapi.RegisterDelete(api, k, "", "A body that issued a certificate cannot be deleted.", c.DeleteCertificationBody)
	api.RegisterHistory(k)
	restapi.RegisterTransition(api, k, k.Write, "verify", "Record that the body's credentials were checked today",
		"Sets verified_on to today and verified_by to the caller, after they checked the accreditation in the accreditation body's register.",
		c.VerifyCertificationBody, out)
}
