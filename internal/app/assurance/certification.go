package assurance

import (
	"context"
	"slices"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/app"
	"github.com/conform-itsm/conform/internal/assurance"
	"github.com/conform-itsm/conform/internal/record"
	"github.com/conform-itsm/conform/internal/store"
)

// certificationParts adds certification's kinds to the area: who may see
// their records, their names, the jump box's finders and the reminders
// of the cycle's audits.
func (c *Catalogue) certificationParts(ar *app.Area) {
	ar.See[assurance.CertificationBodyKind.Entity] = app.Seeing(c.GetCertificationBody)
	ar.See[assurance.CertificateKind.Entity] = app.Seeing(c.GetCertificate)
	ar.See[assurance.PlannedAuditKind.Entity] = app.Seeing(c.GetPlannedAudit)
	ar.See[assurance.CalendarTokenKind.Entity] = app.Seeing(c.GetCalendarToken)
	ar.Names[assurance.CertificationBodyKind.Entity] = certNamed(c.ListCertificationBodies,
		func(ids []int64) store.CertificationBodyFilter {
			return store.CertificationBodyFilter{IDs: ids, Limit: len(ids)}
		},
		func(b assurance.CertificationBody) int64 { return b.ID }, func(b assurance.CertificationBody) string { return b.Name })
	ar.Names[assurance.CertificateKind.Entity] = certNamed(c.ListCertificates,
		func(ids []int64) store.CertificateFilter { return store.CertificateFilter{IDs: ids, Limit: len(ids)} },
		func(x assurance.Certificate) int64 { return x.ID }, CertificateName)
	ar.Find[assurance.CertificationBodyKind.Entity] = certFinding(assurance.CertificationBodyKind, c.ListCertificationBodies,
		func(q string, n int) store.CertificationBodyFilter {
			return store.CertificationBodyFilter{Query: q, Limit: n}
		},
		func(b assurance.CertificationBody) int64 { return b.ID }, func(b assurance.CertificationBody) string { return b.Name })
	ar.Find[assurance.CertificateKind.Entity] = certFinding(assurance.CertificateKind, c.ListCertificates,
		func(q string, n int) store.CertificateFilter { return store.CertificateFilter{Query: q, Limit: n} },
		func(x assurance.Certificate) int64 { return x.ID }, CertificateName)
	ar.Remind["assurance.certification"] = c.cycleReminders
}

// CertificateName is how a certificate reads in lists and references:
// its standard and the body's number for it.
func CertificateName(x assurance.Certificate) string { return x.Standard + " · " + x.CertNumber }

// certNamed makes a kind's Namer from its list use case.
func certNamed[T any, F any](list func(context.Context, access.Actor, F) ([]T, string, error), filter func([]int64) F, id func(T) int64, name func(T) string) app.Namer {
	return func(ctx context.Context, actor access.Actor, ids []int64, names map[int64]string) (map[int64]string, error) {
		for chunk := range slices.Chunk(ids, store.MaxLimit) {
			recs, _, err := list(ctx, actor, filter(chunk))
			if err != nil {
				return nil, err
			}
			for _, r := range recs {
				names[id(r)] = name(r)
			}
		}
		return names, nil
	}
}

// certFinding makes a kind's Finder from its list use case.
func certFinding[T any, F any](k record.Kind, list func(context.Context, access.Actor, F) ([]T, string, error), filter func(q string, limit int) F, id func(T) int64, name func(T) string) app.Finder {
	return func(ctx context.Context, actor access.Actor, q string, limit int) ([]app.Found, error) {
		recs, _, err := list(ctx, actor, filter(q, limit))
		var out []app.Found
		for _, r := range recs {
			out = append(out, app.Found{Entity: k.Entity, ID: id(r), Name: name(r), Detail: k.Number(id(r))})
		}
		return out, err
	}
}

// Today is the day it is now, as the store's clock says, in UTC.
func (c *Catalogue) Today() string { return assurance.Today(c.db.Now()) }
