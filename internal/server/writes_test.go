package server_test

import (
	"context"
	"fmt"
	"github.com/conform-itsm/conform/internal/assurance"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/account"
	smsapp "github.com/conform-itsm/conform/internal/app/sms"
	"github.com/conform-itsm/conform/internal/audit"
	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/sms"
	"github.com/conform-itsm/conform/internal/store"
	"github.com/conform-itsm/conform/internal/store/storetest"
)

// TestEveryWritePathIsAudited runs every use case that changes a record of
// every declared kind and checks that each added exactly one audit entry,
// for that record, with the right action; and that a refused write added
// none. A kind declared without a write path here fails the test.
func TestEveryWritePathIsAudited(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixtureOn(t, db)
		ctx := context.Background()
		a, actor := f.app, access.CLI
		admin := f.users[access.Admin].Actor("test")
		var team account.Team
		var org account.Organisation
		var user account.User
		var tok account.Token
		var sess account.Session
		var act sms.Action
		var evd sms.Evidence
		var ntf account.Notification
		var asm sms.Assessment
		var res sms.Result
		var tr trainingRecords
		var cdoc sms.ControlledDocument
		var ver sms.DocumentVersion
		var req sms.RequiredDocument
		docApproved := false
		var svc sms.Service
		var scp sms.Scope
		var issue sms.ContextIssue
		var party sms.InterestedParty
		var comm sms.Communication
		var (
			obj  sms.Objective
			val  sms.ObjectiveValue
			proc sms.Process
			mem  sms.ProjectMember
			row  sms.Raci
			rsk  sms.Risk
			nc   assurance.Nonconformity
			mrv  assurance.ManagementReview
			imp  assurance.Improvement
			cb   assurance.CertificationBody
			cert assurance.Certificate
			pa   assurance.PlannedAudit
			cal  assurance.CalendarToken
			aup  assurance.Programme
			aud  assurance.Audit
			fnd  assurance.Finding
			axs  assurance.AuditorAccess
		)
		name := "Renamed"
		covered := map[string]bool{}
		// The catalogue is written by loading framework files; each load
		// below changes one record, but the first, which makes three.
		cat := f.areas.SMS
		var fwID int64
		load := func(doc string) (int64, error) {
			l, err := cat.Import(ctx, actor, []byte(doc))
			fwID = l.Framework.ID
			return fwID, err
		}
		reqID := func(code string) int64 {
			rs, _ := cat.Tree(ctx, actor, fwID)
			for _, r := range rs {
				if r.Code == code {
					return r.ID
				}
			}
			return 0
		}
		const doc = "format: conform-framework/1\ncode: audited\nname: Audited\nallows_exclusions: false\nrequirements:\n  - code: \"1\"\n    title: One\n"
		const mapped = doc + "mappings:\n  - from: \"1\"\n    framework: iso-iec-20000-1-2018\n    to: \"4.1\"\n"
		var mapID int64
		steps := []struct {
			entity string
			action audit.Action
			run    func() (int64, error)
		}{
			{"requirement_mapping", audit.Create, func() (int64, error) {
				if _, err := load(mapped); err != nil {
					return 0, err
				}
				xs, err := cat.CrossReferences(ctx, actor, reqID("1"))
				if err == nil && len(xs) == 1 {
					mapID = xs[0].ID
				}
				return mapID, err
			}}, // three entries: the framework, its requirement and the cross-reference
			{"framework", audit.Update, func() (int64, error) { return load(strings.Replace(mapped, "name: Audited", "name: Audited again", 1)) }},
			{"requirement", audit.Update, func() (int64, error) {
				_, err := load(strings.Replace(mapped, "name: Audited", "name: Audited again", 1)) // unchanged: nothing written
				if err != nil {
					return 0, err
				}
				_, err = load(strings.Replace(strings.Replace(mapped, "name: Audited", "name: Audited again", 1), "title: One", "title: Uno", 1))
				return reqID("1"), err
			}},
			{"requirement_mapping", audit.Delete, func() (int64, error) {
				_, err := load(strings.Replace(strings.Replace(doc, "name: Audited", "name: Audited again", 1), "title: One", "title: Uno", 1))
				return mapID, err
			}},
			{"requirement", audit.Create, func() (int64, error) {
				_, err := load(strings.Replace(strings.Replace(doc, "name: Audited", "name: Audited again", 1), "title: One", "title: Uno", 1) + "  - code: \"2\"\n    title: Two\n")
				return reqID("2"), err
			}},
			{"requirement", audit.Delete, func() (int64, error) {
				id := reqID("2")
				_, err := load(strings.Replace(strings.Replace(doc, "name: Audited", "name: Audited again", 1), "title: One", "title: Uno", 1))
				return id, err
			}},
			{"assessment_result", audit.Create, func() (int64, error) {
				var err error
				if asm, err = cat.CreateAssessment(ctx, actor, sms.AssessmentInput{FrameworkID: fwID, Title: "Audited", StartedOn: "2026-11-01"}); err != nil {
					return 0, err
				}
				rs, err := cat.ResultsOf(ctx, actor, asm.ID)
				if err == nil && len(rs) == 1 {
					res = rs[0]
				}
				return res.ID, err
			}}, // two entries: the assessment and the result for its framework's one requirement
			{"assessment", audit.Update, func() (int64, error) {
				closed := "closed"
				_, err := cat.UpdateAssessment(ctx, actor, asm.ID, asm.Version, sms.AssessmentUpdate{Notes: &closed})
				return asm.ID, err
			}},
			{"assessment_result", audit.Update, func() (int64, error) {
				partial := "partial"
				_, err := cat.UpdateResult(ctx, actor, res.ID, res.Version, sms.ResultUpdate{Status: &partial})
				return res.ID, err
			}},
			{"assessment", audit.Delete, func() (int64, error) { return asm.ID, cat.DeleteAssessment(ctx, actor, asm.ID, 0) }}, // with its result
			{"organisation", audit.Create, func() (int64, error) {
				var err error
				org, err = a.CreateOrganisation(ctx, actor, account.OrganisationInput{Name: "Audited"})
				return org.ID, err
			}},
			{"organisation", audit.Update, func() (int64, error) {
				_, err := a.UpdateOrganisation(ctx, actor, org.ID, org.Version, account.OrganisationUpdate{Name: &name})
				return org.ID, err
			}},
			{"user", audit.Create, func() (int64, error) {
				var err error
				user, err = a.CreateUser(ctx, actor, account.UserInput{Email: "audited@example.com", Name: "Audited", Role: access.Requester, OrgID: org.ID})
				return user.ID, err
			}},
			{"user", audit.Update, func() (int64, error) {
				var err error
				user, err = a.UpdateUser(ctx, actor, user.ID, user.Version, account.UserUpdate{Name: &name})
				return user.ID, err
			}},
			{"user", audit.Update, func() (int64, error) { return user.ID, a.SetPassword(ctx, actor, user.ID, "a long enough password") }},
			{"session", audit.Create, func() (int64, error) {
				var err error
				sess, _, err = a.Login(ctx, "audited@example.com", "a long enough password", "192.0.2.1", "test")
				return sess.ID, err
			}},
			{"session", audit.Delete, func() (int64, error) {
				u, _ := a.GetUser(ctx, actor, user.ID)
				return sess.ID, a.Logout(ctx, u.Actor("session"), sess.ID)
			}},
			{"token", audit.Create, func() (int64, error) {
				var err error
				tok, _, err = a.CreateToken(ctx, actor, account.TokenInput{UserID: user.ID, Name: "audited"})
				return tok.ID, err
			}},
			{"token", audit.Update, func() (int64, error) {
				_, err := a.RevokeToken(ctx, admin, tok.ID, tok.Version)
				return tok.ID, err
			}},
			{"team", audit.Create, func() (int64, error) {
				var err error
				team, err = a.CreateTeam(ctx, actor, account.TeamInput{Name: "Audited", MemberIDs: []int64{f.users[access.Agent].ID}})
				return team.ID, err
			}},
			{"team", audit.Update, func() (int64, error) {
				members := []int64{f.users[access.Admin].ID}
				_, err := a.UpdateTeam(ctx, actor, team.ID, team.Version, account.TeamUpdate{MemberIDs: &members})
				return team.ID, err
			}},
			{"team", audit.Delete, func() (int64, error) { return team.ID, a.DeleteTeam(ctx, actor, team.ID, 0) }},
			{"action", audit.Create, func() (int64, error) {
				var err error
				act, err = cat.CreateAction(ctx, actor, sms.ActionInput{Title: "Audited", OwnerID: f.users[access.Agent].ID})
				return act.ID, err
			}},
			{"notification", audit.Create, func() (int64, error) {
				// The action was given to the agent by someone else.
				if _, err := a.SendReminders(ctx); err != nil {
					return 0, err
				}
				list, _, err := a.ListNotifications(ctx, f.users[access.Agent].Actor("test"), store.NotificationFilter{})
				if len(list) != 1 {
					return 0, fmt.Errorf("notifications %+v (%v), want one", list, err)
				}
				ntf = list[0]
				return ntf.ID, err
			}},
			{"notification", audit.Update, func() (int64, error) {
				_, err := a.MarkNotification(ctx, f.users[access.Agent].Actor("test"), ntf.ID, ntf.Version, true)
				return ntf.ID, err
			}},
			{"action", audit.Update, func() (int64, error) {
				done := "done"
				_, err := cat.UpdateAction(ctx, actor, act.ID, act.Version, sms.ActionUpdate{State: &done})
				return act.ID, err
			}},
			{"action", audit.Delete, func() (int64, error) { return act.ID, cat.DeleteAction(ctx, actor, act.ID, 0) }},
			{"competence", audit.Create, func() (int64, error) {
				var err error
				tr.cmp, err = cat.CreateCompetence(ctx, actor, sms.CompetenceInput{Name: "Audited", Roles: []access.Role{access.Agent}})
				return tr.cmp.ID, err
			}},
			{"competence", audit.Update, func() (int64, error) {
				three := int64(3)
				_, err := cat.UpdateCompetence(ctx, actor, tr.cmp.ID, tr.cmp.Version, sms.CompetenceUpdate{Level: &three})
				return tr.cmp.ID, err
			}},
			{"course", audit.Create, func() (int64, error) {
				var err error
				tr.crs, err = cat.CreateCourse(ctx, actor, sms.CourseInput{Title: "Audited", CompetenceIDs: []int64{tr.cmp.ID}, ValidityMonths: 12})
				return tr.crs.ID, err
			}},
			{"course", audit.Update, func() (int64, error) {
				_, err := cat.UpdateCourse(ctx, actor, tr.crs.ID, tr.crs.Version, sms.CourseUpdate{Provider: &name})
				return tr.crs.ID, err
			}},
			{"course_session", audit.Create, func() (int64, error) {
				var err error
				tr.ses, err = cat.CreateCourseSession(ctx, actor, sms.CourseSessionInput{CourseID: tr.crs.ID, StartsOn: "2026-11-02"})
				return tr.ses.ID, err
			}},
			{"course_session", audit.Update, func() (int64, error) {
				_, err := cat.UpdateCourseSession(ctx, actor, tr.ses.ID, tr.ses.Version, sms.CourseSessionUpdate{Trainer: &name})
				return tr.ses.ID, err
			}},
			{"course_completion", audit.Create, func() (int64, error) {
				var err error
				tr.cpl, err = cat.CreateCompletion(ctx, actor, sms.CompletionInput{CourseID: tr.crs.ID, SessionID: &tr.ses.ID, UserID: f.users[access.Agent].ID})
				return tr.cpl.ID, err
			}},
			{"course_completion", audit.Update, func() (int64, error) {
				done, day := "completed", "2026-11-02"
				_, err := cat.UpdateCompletion(ctx, actor, tr.cpl.ID, tr.cpl.Version, sms.CompletionUpdate{Status: &done, CompletedOn: &day})
				return tr.cpl.ID, err
			}},
			{"course_completion", audit.Delete, func() (int64, error) { return tr.cpl.ID, cat.DeleteCompletion(ctx, actor, tr.cpl.ID, 0) }},
			{"course_session", audit.Delete, func() (int64, error) { return tr.ses.ID, cat.DeleteCourseSession(ctx, actor, tr.ses.ID, 0) }},
			{"course", audit.Delete, func() (int64, error) { return tr.crs.ID, cat.DeleteCourse(ctx, actor, tr.crs.ID, 0) }},
			{"competence_appraisal", audit.Create, func() (int64, error) {
				var err error
				tr.apr, err = cat.CreateAppraisal(ctx, actor, sms.AppraisalInput{UserID: f.users[access.Agent].ID, CompetenceID: tr.cmp.ID, Level: 2,
					AssessedOn: "2026-11-03", AssessorID: f.users[access.SMSManager].ID})
				return tr.apr.ID, err
			}},
			{"competence_appraisal", audit.Update, func() (int64, error) {
				three := int64(3)
				_, err := cat.UpdateAppraisal(ctx, actor, tr.apr.ID, tr.apr.Version, sms.AppraisalUpdate{Level: &three})
				return tr.apr.ID, err
			}},
			{"competence_appraisal", audit.Delete, func() (int64, error) { return tr.apr.ID, cat.DeleteAppraisal(ctx, actor, tr.apr.ID, 0) }},
			{"competence", audit.Delete, func() (int64, error) { return tr.cmp.ID, cat.DeleteCompetence(ctx, actor, tr.cmp.ID, 0) }},
			{"evidence", audit.Create, func() (int64, error) {
				var err error
				evd, err = cat.CreateEvidence(ctx, actor, sms.EvidenceInput{Title: "Audited", RequirementID: reqID("1"), OwnerID: f.users[access.Agent].ID,
					ReviewBy: "2027-01-31", Kind: sms.EvidenceURL, URL: "https://example.com/audited"}, nil)
				return evd.ID, err
			}},
			{"evidence", audit.Update, func() (int64, error) {
				later := "2027-06-30"
				_, err := cat.UpdateEvidence(ctx, actor, evd.ID, evd.Version, sms.EvidenceUpdate{ReviewBy: &later}, nil)
				return evd.ID, err
			}},
			{"evidence", audit.Delete, func() (int64, error) { return evd.ID, cat.DeleteEvidence(ctx, actor, evd.ID, 0) }},
			{"document", audit.Create, func() (int64, error) {
				var err error
				cdoc, err = cat.CreateDocument(ctx, actor, sms.DocumentInput{Title: "Audited", OwnerID: f.users[access.SMSManager].ID,
					ApproverIDs: []int64{f.users[access.TopManagement].ID}, AudienceRoles: "agent"})
				return cdoc.ID, err
			}},
			{"document", audit.Update, func() (int64, error) {
				_, err := cat.UpdateDocument(ctx, actor, cdoc.ID, cdoc.Version, sms.DocumentUpdate{Title: &name})
				return cdoc.ID, err
			}},
			{"document_version", audit.Create, func() (int64, error) {
				var err error
				ver, err = cat.CreateDocumentVersion(ctx, actor, cdoc.ID, sms.VersionInput{Content: "# Audited"})
				return ver.ID, err
			}},
			{"document_version", audit.Delete, func() (int64, error) { return ver.ID, cat.DeleteDocumentVersion(ctx, actor, ver.ID, 0) }},
			{"document_version", audit.Create, func() (int64, error) {
				var err error
				ver, err = cat.CreateDocumentVersion(ctx, actor, cdoc.ID, sms.VersionInput{Content: "# Audited again"})
				return ver.ID, err
			}},
			{"document_version", audit.Update, func() (int64, error) {
				review := "in_review"
				_, err := cat.UpdateDocumentVersion(ctx, actor, ver.ID, 0, smsapp.VersionUpdate{State: &review})
				return ver.ID, err
			}},
			{"document", audit.Update, func() (int64, error) {
				docApproved = true
				_, err := cat.ApproveDocumentVersion(ctx, f.users[access.TopManagement].Actor("test"), ver.ID, 0)
				return cdoc.ID, err
			}}, // two entries: the version approved, and the document in force
			{"document_acknowledgement", audit.Create, func() (int64, error) {
				ack, err := cat.Acknowledge(ctx, f.users[access.Agent].Actor("test"), cdoc.ID)
				return ack.ID, err
			}},
			{"required_document", audit.Create, func() (int64, error) {
				err := cat.MapRequiredDocument(ctx, actor, "policy", cdoc.ID)
				cov, _ := db.ListRequiredDocuments(ctx)
				if len(cov) != 1 {
					return 0, err
				}
				req = cov[0]
				return req.ID, err
			}},
			{"required_document", audit.Delete, func() (int64, error) { return req.ID, cat.MapRequiredDocument(ctx, actor, "policy", 0) }},
			// The document goes with its version and acknowledgement.
			{"document", audit.Delete, func() (int64, error) { return cdoc.ID, cat.DeleteDocument(ctx, actor, cdoc.ID, 0) }},
			{"service", audit.Create, func() (int64, error) {
				var err error
				svc, err = cat.CreateService(ctx, actor, sms.ServiceInput{Name: "Audited", OwnerID: f.users[access.Agent].ID})
				return svc.ID, err
			}},
			{"service", audit.Update, func() (int64, error) {
				_, err := cat.UpdateService(ctx, actor, svc.ID, svc.Version, sms.ServiceUpdate{Name: &name})
				return svc.ID, err
			}},
			{"scope", audit.Create, func() (int64, error) {
				var err error
				scp, err = cat.CreateScope(ctx, actor, sms.ScopeInput{Statement: "Audited", ServiceIDs: []int64{svc.ID}})
				return scp.ID, err
			}},
			{"scope", audit.Update, func() (int64, error) {
				_, err := cat.UpdateScope(ctx, actor, scp.ID, scp.Version, sms.ScopeUpdate{Locations: &name})
				return scp.ID, err
			}},
			{"scope", audit.Update, func() (int64, error) {
				_, err := cat.ApproveScope(ctx, admin, scp.ID, 0)
				return scp.ID, err
			}}, // the first approval supersedes nothing
			{"scope", audit.Create, func() (int64, error) {
				var err error
				scp, err = cat.CreateScope(ctx, actor, sms.ScopeInput{Statement: "Draft"})
				return scp.ID, err
			}},
			{"scope", audit.Delete, func() (int64, error) { return scp.ID, cat.DeleteScope(ctx, actor, scp.ID, 0) }},
			{"context_issue", audit.Create, func() (int64, error) {
				var err error
				issue, err = cat.CreateContextIssue(ctx, actor, sms.ContextIssueInput{Title: "Audited", Origin: "external", Climate: true, OwnerID: f.users[access.Agent].ID})
				return issue.ID, err
			}},
			{"context_issue", audit.Update, func() (int64, error) {
				_, err := cat.UpdateContextIssue(ctx, actor, issue.ID, issue.Version, sms.ContextIssueUpdate{Title: &name})
				return issue.ID, err
			}},
			{"context_issue", audit.Delete, func() (int64, error) { return issue.ID, cat.DeleteContextIssue(ctx, actor, issue.ID, 0) }},
			{"interested_party", audit.Create, func() (int64, error) {
				var err error
				party, err = cat.CreateInterestedParty(ctx, actor, sms.InterestedPartyInput{Name: "Audited", Category: "regulator", Requirements: "Reports"})
				return party.ID, err
			}},
			{"interested_party", audit.Update, func() (int64, error) {
				_, err := cat.UpdateInterestedParty(ctx, actor, party.ID, party.Version, sms.InterestedPartyUpdate{Name: &name})
				return party.ID, err
			}},
			{"interested_party", audit.Delete, func() (int64, error) { return party.ID, cat.DeleteInterestedParty(ctx, actor, party.ID, 0) }},
			{"communication", audit.Create, func() (int64, error) {
				var err error
				comm, err = cat.CreateCommunication(ctx, actor, sms.CommunicationInput{Subject: "Audited", Audience: "All staff", Frequency: "yearly",
					Channel: "email", OwnerID: f.users[access.Agent].ID})
				return comm.ID, err
			}},
			{"communication", audit.Update, func() (int64, error) {
				_, err := cat.UpdateCommunication(ctx, actor, comm.ID, comm.Version, sms.CommunicationUpdate{Subject: &name})
				return comm.ID, err
			}},
			{"communication", audit.Delete, func() (int64, error) { return comm.ID, cat.DeleteCommunication(ctx, actor, comm.ID, 0) }},
			{"service", audit.Create, func() (int64, error) {
				var err error
				svc, err = cat.CreateService(ctx, actor, sms.ServiceInput{Name: "Unnamed by the scope", OwnerID: f.users[access.Agent].ID})
				return svc.ID, err
			}},
			{"service", audit.Delete, func() (int64, error) { return svc.ID, cat.DeleteService(ctx, actor, svc.ID, 0) }},
			{"objective", audit.Create, func() (int64, error) {
				var err error
				obj, err = cat.CreateObjective(ctx, actor, sms.ObjectiveInput{Statement: "Audited", OwnerID: f.users[access.ProcessOwner].ID, Measure: "A count", Target: 1})
				return obj.ID, err
			}},
			{"objective", audit.Update, func() (int64, error) {
				target := 2.5
				_, err := cat.UpdateObjective(ctx, actor, obj.ID, obj.Version, sms.ObjectiveUpdate{Target: &target})
				return obj.ID, err
			}},
			{"objective_value", audit.Create, func() (int64, error) {
				var err error
				val, err = cat.RecordValue(ctx, actor, sms.ValueInput{ObjectiveID: obj.ID, On: "2026-01-31", Value: 3})
				return val.ID, err
			}},
			{"objective_value", audit.Update, func() (int64, error) {
				v := 2.0
				_, err := cat.UpdateObjectiveValue(ctx, actor, val.ID, val.Version, sms.ValueUpdate{Value: &v})
				return val.ID, err
			}},
			{"objective_value", audit.Delete, func() (int64, error) { return val.ID, cat.DeleteObjectiveValue(ctx, actor, val.ID, 0) }},
			{"objective", audit.Delete, func() (int64, error) { return obj.ID, cat.DeleteObjective(ctx, actor, obj.ID, 0) }},
			{"process", audit.Create, func() (int64, error) {
				var err error
				proc, err = cat.CreateProcess(ctx, actor, sms.ProcessInput{Name: "Audited", Area: "sms"})
				return proc.ID, err
			}},
			{"process", audit.Update, func() (int64, error) {
				three := int64(3)
				_, err := cat.UpdateProcess(ctx, actor, proc.ID, proc.Version, sms.ProcessUpdate{Maturity: &three})
				return proc.ID, err
			}},
			{"project_member", audit.Create, func() (int64, error) {
				var err error
				mem, err = cat.AddProjectMember(ctx, actor, sms.MemberInput{UserID: f.users[access.SMSManager].ID, Role: sms.ProjectManager})
				return mem.ID, err
			}},
			{"project_member", audit.Update, func() (int64, error) {
				resp := "Runs the project"
				_, err := cat.UpdateProjectMember(ctx, actor, mem.ID, mem.Version, sms.MemberUpdate{Responsibilities: &resp})
				return mem.ID, err
			}},
			{"raci", audit.Create, func() (int64, error) {
				var err error
				row, err = cat.CreateRaci(ctx, actor, sms.RaciInput{ProcessID: &proc.ID, AccountableID: f.users[access.SMSManager].ID})
				return row.ID, err
			}},
			{"raci", audit.Update, func() (int64, error) {
				informed := []int64{f.users[access.TopManagement].ID}
				_, err := cat.UpdateRaci(ctx, actor, row.ID, row.Version, sms.RaciUpdate{InformedIDs: &informed})
				return row.ID, err
			}},
			{"raci", audit.Delete, func() (int64, error) { return row.ID, cat.DeleteRaci(ctx, actor, row.ID, 0) }},
			{"risk", audit.Create, func() (int64, error) {
				var err error
				rsk, err = cat.CreateRisk(ctx, actor, sms.RiskInput{Title: "Audited", Category: "supplier", OwnerID: f.users[access.ProcessOwner].ID, Likelihood: 3, Impact: 4})
				return rsk.ID, err
			}},
			{"risk", audit.Update, func() (int64, error) {
				two := int64(2)
				_, err := cat.UpdateRisk(ctx, actor, rsk.ID, rsk.Version, sms.RiskUpdate{ResidualLikelihood: &two})
				return rsk.ID, err
			}},
			{"risk", audit.Delete, func() (int64, error) { return rsk.ID, cat.DeleteRisk(ctx, actor, rsk.ID, 0) }},
			{"risk_scale", audit.Update, func() (int64, error) {
				in := sms.DefaultRiskScales().Input()
				in.MediumFrom = 4
				s, err := cat.UpdateRiskScales(ctx, actor, 0, in)
				return s.ID, err
			}},
			{"nonconformity", audit.Create, func() (int64, error) {
				fw, err := db.FrameworkByCode(ctx, sms.BuiltInCode)
				if err != nil {
					return 0, err
				}
				rs, err := cat.Tree(ctx, actor, fw.ID)
				if err != nil {
					return 0, err
				}
				nc, err = f.areas.Assurance.CreateNonconformity(ctx, actor, assurance.NonconformityInput{Title: "Audited", Severity: "minor", Origin: "monitoring",
					RequirementID: rs[0].ID, OwnerID: f.users[access.SMSManager].ID, RaisedOn: "2026-01-05"})
				return nc.ID, err
			}},
			{"nonconformity", audit.Update, func() (int64, error) {
				_, err := f.areas.Assurance.UpdateNonconformity(ctx, actor, nc.ID, nc.Version, assurance.NonconformityUpdate{Title: &name})
				return nc.ID, err
			}},
			{"nonconformity", audit.Delete, func() (int64, error) { return nc.ID, f.areas.Assurance.DeleteNonconformity(ctx, actor, nc.ID, 0) }},
			{"nc_deadlines", audit.Update, func() (int64, error) {
				in := assurance.DefaultNCDeadlines().Input()
				in.InternalMinorClose = 150
				d, err := f.areas.Assurance.UpdateNCDeadlines(ctx, actor, 0, in)
				return d.ID, err
			}},
			{"management_review", audit.Create, func() (int64, error) {
				var err error
				mrv, err = f.areas.Assurance.CreateManagementReview(ctx, actor, assurance.ReviewInput{Title: "Audited", PlannedOn: "2027-01-10", ChairID: f.users[access.TopManagement].ID})
				return mrv.ID, err
			}},
			{"management_review", audit.Update, func() (int64, error) {
				_, err := f.areas.Assurance.PrepareManagementReview(ctx, actor, mrv.ID, 0)
				return mrv.ID, err
			}},
			{"management_review", audit.Delete, func() (int64, error) { return mrv.ID, f.areas.Assurance.DeleteManagementReview(ctx, actor, mrv.ID, 0) }},
			{"improvement", audit.Create, func() (int64, error) {
				var err error
				imp, err = f.areas.Assurance.CreateImprovement(ctx, actor, assurance.ImprovementInput{Title: "Audited", SubmittedBy: f.users[access.Agent].ID})
				return imp.ID, err
			}},
			{"improvement", audit.Update, func() (int64, error) {
				three := int64(3)
				_, err := f.areas.Assurance.UpdateImprovement(ctx, actor, imp.ID, 0, assurance.ImprovementUpdate{Benefit: &three, Effort: &three, Risk: &three, Alignment: &three})
				return imp.ID, err
			}},
			{"improvement", audit.Update, func() (int64, error) {
				_, err := f.areas.Assurance.MoveImprovement(ctx, actor, imp.ID, 0, "evaluated")
				return imp.ID, err
			}},
			{"improvement", audit.Delete, func() (int64, error) { return imp.ID, f.areas.Assurance.DeleteImprovement(ctx, actor, imp.ID, 0) }},
			{"certification_body", audit.Create, func() (int64, error) {
				var err error
				cb, err = f.areas.Assurance.CreateCertificationBody(ctx, actor, assurance.BodyInput{Name: "Audited certification body"})
				return cb.ID, err
			}},
			{"certification_body", audit.Update, func() (int64, error) {
				_, err := f.areas.Assurance.VerifyCertificationBody(ctx, f.users[access.SMSManager].Actor("test"), cb.ID, 0)
				return cb.ID, err
			}},
			{"certificate", audit.Create, func() (int64, error) {
				var err error
				cert, err = f.areas.Assurance.CreateCertificate(ctx, actor, assurance.CertificateInput{BodyID: cb.ID, CertNumber: "A-1", Scope: "All services",
					DecidedOn: "2026-03-02", IssuedOn: "2026-03-09"})
				return cert.ID, err
			}},
			{"certificate", audit.Update, func() (int64, error) {
				days := int64(30)
				_, err := f.areas.Assurance.UpdateCertificate(ctx, actor, cert.ID, 0, assurance.CertificateUpdate{ReminderDays: &days})
				return cert.ID, err
			}},
			{"planned_audit", audit.Create, func() (int64, error) {
				var err error
				pa, err = f.areas.Assurance.CreatePlannedAudit(ctx, actor, assurance.PlannedAuditInput{CertificateID: cert.ID, DueBy: "2026-09-30"})
				return pa.ID, err
			}},
			{"planned_audit", audit.Update, func() (int64, error) {
				day := "2026-09-15"
				_, err := f.areas.Assurance.UpdatePlannedAudit(ctx, actor, pa.ID, 0, assurance.PlannedAuditUpdate{PlannedOn: &day})
				return pa.ID, err
			}},
			{"planned_audit", audit.Delete, func() (int64, error) { return pa.ID, f.areas.Assurance.DeletePlannedAudit(ctx, actor, pa.ID, 0) }},
			{"certificate", audit.Delete, func() (int64, error) { return cert.ID, f.areas.Assurance.DeleteCertificate(ctx, actor, cert.ID, 0) }},
			{"certification_body", audit.Delete, func() (int64, error) { return cb.ID, f.areas.Assurance.DeleteCertificationBody(ctx, actor, cb.ID, 0) }},
			{"calendar_token", audit.Create, func() (int64, error) {
				var err error
				cal, _, err = f.areas.Assurance.CreateCalendarToken(ctx, f.users[access.Agent].Actor("test"))
				return cal.ID, err
			}},
			{"calendar_token", audit.Update, func() (int64, error) {
				_, err := f.areas.Assurance.RevokeCalendarToken(ctx, f.users[access.Agent].Actor("test"), cal.ID, 0)
				return cal.ID, err
			}},
			{"audit_programme", audit.Create, func() (int64, error) {
				var err error
				aup, err = f.areas.Assurance.CreateProgramme(ctx, actor, assurance.ProgrammeInput{Title: "Audited", StartOn: "2027-01-01", EndOn: "2029-12-31",
					OwnerID: f.users[access.SMSManager].ID})
				return aup.ID, err
			}},
			{"audit_programme", audit.Update, func() (int64, error) {
				_, err := f.areas.Assurance.UpdateProgramme(ctx, actor, aup.ID, aup.Version, assurance.ProgrammeUpdate{Title: &name})
				return aup.ID, err
			}},
			// Planning an audit makes its checklist: a line per requirement
			// in scope, here one.
			{"checklist_item", audit.Create, func() (int64, error) {
				reqs, err := f.areas.Assurance.Requirements(ctx, actor)
				if err != nil {
					return 0, err
				}
				leaf := reqs[0].ID
				for _, r := range reqs {
					if r.Code == "4.1" {
						leaf = r.ID
					}
				}
				aud, err = f.areas.Assurance.CreateAudit(ctx, actor, assurance.AuditInput{Title: "Audited", RequirementIDs: []int64{leaf},
					PlannedStart: "2027-02-01", PlannedEnd: "2027-02-02"})
				if err != nil {
					return 0, err
				}
				lines, err := f.areas.Assurance.Checklist(ctx, actor, aud.ID)
				if err != nil || len(lines) != 1 {
					return 0, fmt.Errorf("checklist %v: %w", lines, err)
				}
				return lines[0].ID, nil
			}},
			{"audit", audit.Update, func() (int64, error) {
				st := "in_progress"
				var err error
				aud, err = f.areas.Assurance.UpdateAudit(ctx, actor, aud.ID, aud.Version, assurance.AuditUpdate{State: &st})
				return aud.ID, err
			}},
			{"checklist_item", audit.Update, func() (int64, error) {
				res := "minor_nc"
				it, err := f.areas.Assurance.AnswerChecklist(ctx, actor, aud.ID, 0, assurance.Answer{RequirementID: aud.RequirementIDs[0], Result: &res})
				return it.ID, err
			}},
			// An observation: a nonconformity found opens a nonconformity too
			// (TestFindingOpensItsNonconformity), a write of its own.
			{"finding", audit.Create, func() (int64, error) {
				var err error
				fnd, err = f.areas.Assurance.CreateFinding(ctx, actor, assurance.FindingInput{AuditID: aud.ID, RequirementID: aud.RequirementIDs[0], Type: "observation", Statement: "Audited"})
				return fnd.ID, err
			}},
			{"finding", audit.Update, func() (int64, error) {
				_, err := f.areas.Assurance.UpdateFinding(ctx, actor, fnd.ID, 0, assurance.FindingUpdate{Statement: &name})
				return fnd.ID, err
			}},
			{"finding", audit.Delete, func() (int64, error) { return fnd.ID, f.areas.Assurance.DeleteFinding(ctx, actor, fnd.ID, 0) }},
			{"auditor_access", audit.Create, func() (int64, error) {
				var err error
				axs, err = f.areas.Assurance.CreateAuditorAccess(ctx, actor, assurance.AccessInput{AuditID: aud.ID, UserID: f.users[access.ExternalAuditor].ID,
					ExpiresOn: f.areas.Assurance.Today()})
				return axs.ID, err
			}},
			{"auditor_access", audit.Update, func() (int64, error) {
				_, err := f.areas.Assurance.UpdateAuditorAccess(ctx, actor, axs.ID, 0, assurance.AccessUpdate{Note: &name})
				return axs.ID, err
			}},
			{"auditor_access", audit.Update, func() (int64, error) {
				_, err := f.areas.Assurance.RevokeAuditorAccess(ctx, actor, axs.ID, 0)
				return axs.ID, err
			}},
			{"auditor_access", audit.Delete, func() (int64, error) { return axs.ID, f.areas.Assurance.DeleteAuditorAccess(ctx, actor, axs.ID, 0) }},
			{"audit", audit.Delete, func() (int64, error) { return aud.ID, f.areas.Assurance.DeleteAudit(ctx, actor, aud.ID, 0) }}, // with its line
			{"audit_programme", audit.Delete, func() (int64, error) { return aup.ID, f.areas.Assurance.DeleteProgramme(ctx, actor, aup.ID, 0) }},
			{"process", audit.Delete, func() (int64, error) { return proc.ID, cat.DeleteProcess(ctx, actor, proc.ID, 0) }},
			{"project_member", audit.Delete, func() (int64, error) { return mem.ID, cat.RemoveProjectMember(ctx, actor, mem.ID, 0) }},
			{"user", audit.Delete, func() (int64, error) { return user.ID, a.DeleteUser(ctx, actor, user.ID, 0) }}, // with its revoked token
			{"organisation", audit.Delete, func() (int64, error) { return org.ID, a.DeleteOrganisation(ctx, actor, org.ID, 0) }},
		}
		for i, s := range steps {
			before := auditCount(t, db)
			id, err := s.run()
			if err != nil {
				t.Fatalf("step %d (%s %s): %v", i, s.action, s.entity, err)
			}
			want := int64(1)
			if i == 0 {
				want = 3 // the first load makes a framework, a requirement and a cross-reference
			}
			if s.entity == "assessment_result" && s.action == audit.Create || s.entity == "assessment" && s.action == audit.Delete {
				want = 2 // an assessment comes and goes with its one result
			}
			if s.entity == "document" && s.action == audit.Update && docApproved {
				want, docApproved = 2, false // the version approved, then the document in force
			}
			if s.entity == "document" && s.action == audit.Delete {
				want = 3 // its version and acknowledgement go too
			}
			if s.entity == "certificate" && s.action != audit.Update {
				want = 4 // made with the three audits of its cycle; deleted with those left
			}
			if s.entity == "user" && s.action == audit.Delete {
				want = 2 // the user's revoked token goes too, with its own entry
			}
			if s.entity == "checklist_item" && s.action == audit.Create || s.entity == "audit" && s.action == audit.Delete {
				want = 2 // an audit comes and goes with its one checklist line
			}
			if n := auditCount(t, db) - before; n != want {
				t.Errorf("step %d (%s %s): %d audit entries, want %d", i, s.action, s.entity, n, want)
				continue
			}
			es, _, err := db.ListAudit(ctx, store.AuditFilter{Limit: int(want)})
			if err == nil && len(es) == 4 && s.entity == "certificate" && s.action == audit.Create {
				es = es[3:] // the certificate comes before its cycle
			}
			if err != nil || len(es) == 0 || es[0].Entity != s.entity || es[0].EntityID != id || es[0].Action != s.action {
				t.Errorf("step %d: newest entry %+v (%v), want %s %s %d", i, es, err, s.action, s.entity, id)
			}
			covered[s.entity] = true
		}
		for _, k := range a.Kinds().All() {
			if !covered[k.Entity] {
				t.Errorf("kind %s has no write path in this test", k.Entity)
			}
		}
		// A refused write (a stale version) adds nothing.
		before := auditCount(t, db)
		o, _ := a.CreateOrganisation(ctx, actor, account.OrganisationInput{Name: "Stale"})
		if _, err := a.UpdateOrganisation(ctx, actor, o.ID, o.Version+1, account.OrganisationUpdate{Name: &name}); err == nil {
			t.Error("a stale update succeeded")
		}
		if err := a.DeleteOrganisation(ctx, actor, o.ID, o.Version+1); err == nil {
			t.Error("a stale delete succeeded")
		}
		if n := auditCount(t, db) - before; n != 1 {
			t.Errorf("a create and two refused writes: %d entries, want 1", n)
		}
		if res, err := db.VerifyAudit(ctx); err != nil || res.Problem != nil {
			t.Fatalf("verify: %+v, %v", res, err)
		}
	})
}

// TestDeletedUsersRecordsEachAudited: deleting a user removes their tokens,
// sessions, notifications, second factor and team memberships, each with
// an audit entry of its own, and
// the user's delete comes last.
func TestDeletedUsersRecordsEachAudited(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixtureOn(t, db)
		ctx := context.Background()
		a, actor := f.app, access.CLI
		u, err := a.CreateUser(ctx, actor, account.UserInput{Email: "leaving@example.com", Name: "Leaving", Role: access.Agent, Password: "a long enough password"})
		if err != nil {
			t.Fatal(err)
		}
		var tokens []int64
		for _, n := range []string{"ci", "backup"} {
			tok, _, err := a.CreateToken(ctx, actor, account.TokenInput{UserID: u.ID, Name: n})
			if err != nil {
				t.Fatal(err)
			}
			tokens = append(tokens, tok.ID)
		}
		sess, _, err := a.Login(ctx, "leaving@example.com", "a long enough password", "192.0.2.7", "test")
		if err != nil {
			t.Fatal(err)
		}
		var teams []int64
		for _, n := range []string{"Desk", "Board"} {
			tm, err := a.CreateTeam(ctx, actor, account.TeamInput{Name: n, MemberIDs: []int64{u.ID, f.users[access.Agent].ID}})
			if err != nil {
				t.Fatal(err)
			}
			teams = append(teams, tm.ID)
		}
		// A second factor, its recovery codes and a sign-in waiting for it.
		if err := db.InTx(ctx, func(tx *store.Tx) error {
			return tx.EnableMFA(ctx, actor, u.ID, "JBSWY3DPEHPK3PXP", 1, []string{"code-a", "code-b"})
		}); err != nil {
			t.Fatal(err)
		}
		if err := db.CreatePendingSignIn(ctx, store.PendingSignIn{Hash: "pending", UserID: u.ID, CSRF: "c", ExpiresAt: time.Now().Add(time.Minute)}, time.Now()); err != nil {
			t.Fatal(err)
		}
		var ntf account.Notification
		if err := db.InTx(ctx, func(tx *store.Tx) error {
			ntf = account.Notification{UserID: u.ID, Topic: "overdue", Entity: "user", EntityID: u.ID, Title: "Leaving", Key: "k"}
			return tx.CreateNotification(ctx, actor, &ntf)
		}); err != nil {
			t.Fatal(err)
		}
		before := auditCount(t, db)
		if err := a.DeleteUser(ctx, actor, u.ID, 0); err != nil {
			t.Fatal(err)
		}
		es, _, err := db.ListAudit(ctx, store.AuditFilter{Limit: int(auditCount(t, db) - before)})
		if err != nil {
			t.Fatal(err)
		}
		got := map[string][]int64{}
		for _, e := range es {
			got[e.Entity+" "+string(e.Action)] = append(got[e.Entity+" "+string(e.Action)], e.EntityID)
		}
		want := map[string][]int64{
			"token delete":        {tokens[1], tokens[0]},
			"session delete":      {sess.ID},
			"team update":         {teams[1], teams[0]},
			"notification delete": {ntf.ID},
			"user update":         {u.ID},
			"user delete":         {u.ID},
		}
		if !cmp.Equal(got, want) {
			t.Errorf("entries of the delete (-want +got):\n%s", cmp.Diff(want, got))
		}
		for _, e := range es {
			if e.Entity != "user" || e.Action != audit.Update {
				continue
			}
			fields := map[string]string{}
			for _, c := range e.Changes {
				fields[c.Field] = string(c.Before) + " -> " + string(c.After)
			}
			want := map[string]string{"two_factor": `"on" -> null`, "recovery_codes": string(audit.Redacted) + " -> null", "pending_sign_ins": "1 -> 0"}
			if !cmp.Equal(fields, want) {
				t.Errorf("the second factor's entry (-want +got):\n%s", cmp.Diff(want, fields))
			}
		}
		if _, err := db.GetMFA(ctx, u.ID); errs.CodeOf(err) != errs.NotFound {
			t.Errorf("second factor after the delete: %v, want none", err)
		}
		if len(es) == 0 || es[0].Entity != "user" {
			t.Errorf("newest entry: %+v, want the user's delete last", es)
		}
		for _, id := range teams {
			tm, err := a.GetTeam(ctx, actor, id)
			if err != nil || len(tm.MemberIDs) != 1 || tm.MemberIDs[0] != f.users[access.Agent].ID {
				t.Errorf("team %d after the delete: %+v (%v), want only the other member", id, tm.MemberIDs, err)
			}
		}
		if res, err := db.VerifyAudit(ctx); err != nil || res.Problem != nil {
			t.Fatalf("verify: %+v, %v", res, err)
		}
	})
}
