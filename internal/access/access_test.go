package access

import "testing"

func TestGrants(t *testing.T) {
	for _, r := range Roles {
		if !r.Grants(Public) || !r.Grants(SignedIn) {
			t.Errorf("%s lacks public or signed-in access", r)
		}
		if r.Label() == string(r) || r.Description() == "" {
			t.Errorf("%s has no label or description", r)
		}
	}
	if Role("root").Valid() || Role("root").Grants(UsersRead) {
		t.Error("an unknown role is valid or holds permissions")
	}
	if !Admin.Grants(UsersWrite) || Agent.Grants(UsersWrite) || Requester.Grants(TeamsRead) || ExternalAuditor.Grants(UsersRead) {
		t.Error("grants do not match the role model")
	}
	if (Actor{Role: Requester}).Scoped() != true || (Actor{Role: Agent}).Scoped() {
		t.Error("only customers and outside auditors are scoped to their organisation")
	}
}
