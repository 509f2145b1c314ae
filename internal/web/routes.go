package web

import (
	"github.com/conform-itsm/conform/internal/guard"

	"github.com/conform-itsm/conform/internal/access"
)

func (p *Pages) register(mux guard.Registrar) {
	p.Handle(mux, "GET /login", access.Public, p.loginForm)
	p.Handle(mux, "POST /login", access.Public, p.login)
	p.Handle(mux, "GET /login/mfa", access.Public, p.loginMFAForm)
	p.Handle(mux, "POST /login/mfa", access.Public, p.loginMFA)
	p.Handle(mux, "POST /logout", access.SignedIn, p.logout)
	p.Handle(mux, "GET /{$}", access.SignedIn, p.home)
	p.Handle(mux, "GET /jump", access.SignedIn, p.jump)
	p.Handle(mux, "GET /dev/components", access.SystemManage, p.gallery)
	p.Handle(mux, "POST /dev/components", access.SystemManage, p.galleryPost)

	p.notificationPages(mux)
	p.Handle(mux, "GET /account", access.SignedIn, p.account)
	p.Handle(mux, "POST /account/password", access.SignedIn, p.changePassword)
	p.Handle(mux, "GET /account/mfa", access.SignedIn, p.mfaSetup)
	p.Handle(mux, "POST /account/mfa", access.SignedIn, p.mfaEnable)
	p.Handle(mux, "POST /account/mfa/disable", access.SignedIn, p.mfaDisable)
	p.Handle(mux, "POST /account/mfa/recovery-codes", access.SignedIn, p.mfaRecoveryCodes)
	p.Handle(mux, "POST /account/mfa-policy", access.UsersWrite, p.mfaPolicy)
	p.Handle(mux, "POST /account/theme", access.SignedIn, p.themeChange)
	p.Handle(mux, "POST /account/preferences", access.SignedIn, p.preferencesChange)
	p.Handle(mux, "POST /account/sessions/{id}/end", access.SignedIn, p.endSession)
	p.Handle(mux, "POST /account/sessions/end-others", access.SignedIn, p.endOtherSessions)

	p.userPages().Register(p, mux)
	p.Handle(mux, "POST /users/organisation-options", access.UsersWrite, p.userOrgOptions)
	p.Handle(mux, "POST /pickers/users", access.UsersRead, p.userPickerChoices)
	p.Handle(mux, "POST /pickers/records", access.SignedIn, p.recordPickerChoices)
	p.Handle(mux, "POST /users/{id}/password", access.UsersWrite, p.userSetPassword)
	p.Handle(mux, "POST /users/{id}/deactivate", access.UsersWrite, p.userActive(false))
	p.Handle(mux, "POST /users/{id}/activate", access.UsersWrite, p.userActive(true))
	p.Handle(mux, "POST /users/{id}/mfa-reset", access.UsersWrite, p.userMFAReset)

	p.teamPages().Register(p, mux)
	p.Handle(mux, "GET /teams/new", access.TeamsWrite, p.teamNew)
	p.Handle(mux, "POST /teams/member-picker", access.TeamsWrite, p.teamMemberPicker)
	p.Handle(mux, "POST /teams", access.TeamsWrite, p.teamCreate)
	p.Handle(mux, "GET /teams/{id}/edit", access.TeamsWrite, p.teamEdit)
	p.Handle(mux, "POST /teams/{id}", access.TeamsWrite, p.teamUpdate)

	p.organisationPages().Register(p, mux)

	p.Handle(mux, "GET /tokens", access.SignedIn, p.tokensList)
	p.Handle(mux, "POST /tokens", access.SignedIn, p.tokenCreate)
	p.Handle(mux, "POST /tokens/{id}/revoke", access.SignedIn, p.tokenRevoke)

	p.Handle(mux, "GET /audit", access.AuditRead, p.auditList)
	p.Handle(mux, "GET /audit/verify", access.AuditVerify, p.auditVerify)
	p.Handle(mux, "GET /audit/security", access.AuditRead, p.auditSecurity)
	p.Handle(mux, "GET /audit/{seq}", access.AuditRead, p.auditEntry)
}
