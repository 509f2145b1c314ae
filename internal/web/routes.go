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

	p.Handle(mux, "GET /account", access.SignedIn, p.account)
	p.Handle(mux, "POST /account/password", access.SignedIn, p.changePassword)
	p.Handle(mux, "GET /account/mfa", access.SignedIn, p.mfaSetup)
	p.Handle(mux, "POST /account/mfa", access.SignedIn, p.mfaEnable)
	p.Handle(mux, "POST /account/mfa/disable", access.SignedIn, p.mfaDisable)
	p.Handle(mux, "POST /account/mfa/recovery-codes", access.SignedIn, p.mfaRecoveryCodes)
	p.Handle(mux, "POST /account/mfa-policy", access.UsersWrite, p.mfaPolicy)
	p.Handle(mux, "POST /account/sessions/{id}/end", access.SignedIn, p.endSession)
	p.Handle(mux, "POST /account/sessions/end-others", access.SignedIn, p.endOtherSessions)

	p.Handle(mux, "GET /users", access.UsersRead, p.usersList)
	p.Handle(mux, "GET /users/new", access.UsersWrite, p.userNew)
	p.Handle(mux, "POST /users", access.UsersWrite, p.userCreate)
	p.Handle(mux, "POST /users/organisation-options", access.UsersWrite, p.userOrgOptions)
	p.Handle(mux, "GET /users/{id}", access.UsersRead, p.userShow)
	p.Handle(mux, "GET /users/{id}/edit", access.UsersWrite, p.userEdit)
	p.Handle(mux, "POST /users/{id}", access.UsersWrite, p.userUpdate)
	p.Handle(mux, "POST /users/{id}/password", access.UsersWrite, p.userSetPassword)
	p.Handle(mux, "POST /users/{id}/delete", access.UsersWrite, p.userDelete)

	p.Handle(mux, "GET /teams", access.TeamsRead, p.teamsList)
	p.Handle(mux, "GET /teams/new", access.TeamsWrite, p.teamNew)
	p.Handle(mux, "POST /teams/member-picker", access.TeamsWrite, p.teamMemberPicker)
	p.Handle(mux, "POST /teams", access.TeamsWrite, p.teamCreate)
	p.Handle(mux, "GET /teams/{id}", access.TeamsRead, p.teamShow)
	p.Handle(mux, "GET /teams/{id}/edit", access.TeamsWrite, p.teamEdit)
	p.Handle(mux, "POST /teams/{id}", access.TeamsWrite, p.teamUpdate)
	p.Handle(mux, "POST /teams/{id}/delete", access.TeamsWrite, p.teamDelete)

	p.Handle(mux, "GET /organisations", access.OrgsRead, p.orgsList)
	p.Handle(mux, "GET /organisations/new", access.OrgsWrite, p.orgNew)
	p.Handle(mux, "POST /organisations", access.OrgsWrite, p.orgCreate)
	p.Handle(mux, "GET /organisations/{id}", access.OrgsRead, p.orgShow)
	p.Handle(mux, "GET /organisations/{id}/edit", access.OrgsWrite, p.orgEdit)
	p.Handle(mux, "POST /organisations/{id}", access.OrgsWrite, p.orgUpdate)
	p.Handle(mux, "POST /organisations/{id}/delete", access.OrgsWrite, p.orgDelete)

	p.Handle(mux, "GET /tokens", access.SignedIn, p.tokensList)
	p.Handle(mux, "POST /tokens", access.SignedIn, p.tokenCreate)
	p.Handle(mux, "POST /tokens/{id}/revoke", access.SignedIn, p.tokenRevoke)

	p.Handle(mux, "GET /audit", access.AuditRead, p.auditList)
	p.Handle(mux, "GET /audit/verify", access.AuditVerify, p.auditVerify)
	p.Handle(mux, "GET /audit/security", access.AuditRead, p.auditSecurity)
	p.Handle(mux, "GET /audit/{seq}", access.AuditRead, p.auditEntry)
}
