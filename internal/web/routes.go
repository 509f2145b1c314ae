package web

import (
	"net/http"

	"github.com/conform-itsm/conform/internal/access"
)

func (p *Pages) register(mux *http.ServeMux) {
	p.handle(mux, "GET /login", access.Public, p.loginForm)
	p.handle(mux, "POST /login", access.Public, p.login)
	p.handle(mux, "POST /logout", access.SignedIn, p.logout)
	p.handle(mux, "GET /{$}", access.SignedIn, p.home)

	p.handle(mux, "GET /account", access.SignedIn, p.account)
	p.handle(mux, "POST /account/password", access.SignedIn, p.changePassword)

	p.handle(mux, "GET /users", access.UsersRead, p.usersList)
	p.handle(mux, "GET /users/new", access.UsersWrite, p.userNew)
	p.handle(mux, "POST /users", access.UsersWrite, p.userCreate)
	p.handle(mux, "GET /users/{id}", access.UsersRead, p.userShow)
	p.handle(mux, "GET /users/{id}/edit", access.UsersWrite, p.userEdit)
	p.handle(mux, "POST /users/{id}", access.UsersWrite, p.userUpdate)
	p.handle(mux, "POST /users/{id}/password", access.UsersWrite, p.userSetPassword)
	p.handle(mux, "POST /users/{id}/delete", access.UsersWrite, p.userDelete)

	p.handle(mux, "GET /teams", access.TeamsRead, p.teamsList)
	p.handle(mux, "GET /teams/new", access.TeamsWrite, p.teamNew)
	p.handle(mux, "POST /teams/member-picker", access.TeamsWrite, p.teamMemberPicker)
	p.handle(mux, "POST /teams", access.TeamsWrite, p.teamCreate)
	p.handle(mux, "GET /teams/{id}", access.TeamsRead, p.teamShow)
	p.handle(mux, "GET /teams/{id}/edit", access.TeamsWrite, p.teamEdit)
	p.handle(mux, "POST /teams/{id}", access.TeamsWrite, p.teamUpdate)
	p.handle(mux, "POST /teams/{id}/delete", access.TeamsWrite, p.teamDelete)

	p.handle(mux, "GET /organisations", access.OrgsRead, p.orgsList)
	p.handle(mux, "GET /organisations/new", access.OrgsWrite, p.orgNew)
	p.handle(mux, "POST /organisations", access.OrgsWrite, p.orgCreate)
	p.handle(mux, "GET /organisations/{id}", access.OrgsRead, p.orgShow)
	p.handle(mux, "GET /organisations/{id}/edit", access.OrgsWrite, p.orgEdit)
	p.handle(mux, "POST /organisations/{id}", access.OrgsWrite, p.orgUpdate)
	p.handle(mux, "POST /organisations/{id}/delete", access.OrgsWrite, p.orgDelete)

	p.handle(mux, "GET /tokens", access.SignedIn, p.tokensList)
	p.handle(mux, "POST /tokens", access.SignedIn, p.tokenCreate)
	p.handle(mux, "POST /tokens/{id}/revoke", access.SignedIn, p.tokenRevoke)

	p.handle(mux, "GET /audit", access.AuditRead, p.auditList)
	p.handle(mux, "GET /audit/verify", access.AuditVerify, p.auditVerify)
}
