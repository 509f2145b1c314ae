package demo

import (
	"context"
	"time"

	assuranceapp "github.com/conform-itsm/conform/internal/app/assurance"
	"github.com/conform-itsm/conform/internal/assurance"
	"github.com/conform-itsm/conform/internal/store"
)

// LoadCertification adds the certification the demo provider holds: its
// first certificate covers the managed service desk only (the SMS now
// reaches out to every service, which the gap analysis under way
// prepares). Two certification bodies, one verified this year and one
// never checked; the certificate's first surveillance is done, the
// second booked.
func LoadCertification(ctx context.Context, c *assuranceapp.Catalogue, db *store.DB) error {
	manager, err := db.UserByEmail(ctx, "sam.patel@northwind.example")
	if err != nil {
		return err
	}
	sam := manager.Actor("demo")
	now := db.Now()
	day := func(months, days int) string { return now.AddDate(0, months, days).Format(time.DateOnly) }
	certa, err := c.CreateCertificationBody(ctx, sam, assurance.BodyInput{Name: "Certa Assurance GmbH", AccreditationBody: "DAkkS (Deutsche Akkreditierungsstelle)",
		AccreditationNumber: "D-ZM-10101-01-00", Covers20000: "yes",
		AccreditationScope: "Certification of management systems: ISO 9001, ISO/IEC 27001 and ISO/IEC 20000-1 (under ISO/IEC 20000-6), IT and service sectors.",
		Contacts:           "Account manager: Lena Vogt, lena.vogt@certa.example, +49 30 555 0101\nLead auditor: Quinn Harper, quinn.harper@certify.example",
		VerifiedOn:         day(-3, 0), VerifiedBy: manager.ID})
	if err != nil {
		return err
	}
	if _, err := c.CreateCertificationBody(ctx, sam, assurance.BodyInput{Name: "Brightline Certification Ltd", AccreditationBody: "UKAS",
		Contacts: "Sales: hello@brightline.example"}); err != nil {
		return err
	}
	decided := day(-14, 0)
	x, err := c.CreateCertificate(ctx, sam, assurance.CertificateInput{BodyID: certa.ID, CertNumber: "CA-20000-0417", Scope: "The managed service desk (incident and service request management) provided from Berlin to Contoso Retail, with the SMS processes that support it.",
		DecidedOn: decided, IssuedOn: assurance.AddDays(decided, 9)})
	if err != nil {
		return err
	}
	cycle, _, err := c.ListPlannedAudits(ctx, sam, store.PlannedAuditFilter{CertificateID: x.ID})
	if err != nil {
		return err
	}
	for _, p := range cycle {
		var up assurance.PlannedAuditUpdate
		switch p.Type {
		case assurance.Surveillance1:
			done, notes := assurance.AddMonths(decided, 11), "Two minor nonconformities (change records, supplier review); action plan accepted by the body."
			up = assurance.PlannedAuditUpdate{PlannedOn: &done, DoneOn: &done, Notes: &notes}
		case assurance.Surveillance2:
			planned := day(5, 0)
			up = assurance.PlannedAuditUpdate{PlannedOn: &planned}
		default:
			continue
		}
		if _, err := c.UpdatePlannedAudit(ctx, sam, p.ID, 0, up); err != nil {
			return err
		}
	}
	return nil
}
