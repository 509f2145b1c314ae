// Package account holds the people and groups of a Conform installation:
// users, teams, organisations, API tokens and sessions, with the rules for
// valid input. It knows nothing of SQL or HTTP.
package account

import (
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/record"
)

// OrgKind tells the provider (who owns the installation) from customers.
type OrgKind string

const (
	Provider OrgKind = "provider"
	Customer OrgKind = "customer"
)

// Organisation is the provider or a customer served by it.
type Organisation struct {
	record.Meta
	Name        string  `json:"name"`
	Kind        OrgKind `json:"kind"`
	Description string  `json:"description"`
}

// OrganisationInput creates an organisation.
type OrganisationInput struct {
	Name        string
	Kind        OrgKind
	Description string
}

// OrganisationUpdate changes an organisation; nil fields stay as they are.
type OrganisationUpdate struct {
	Name        *string
	Description *string
}

// User is a person who signs in, or an account used by automation.
type User struct {
	record.Meta
	Email        string      `json:"email"`
	Name         string      `json:"name"`
	Role         access.Role `json:"role"`
	OrgID        int64       `json:"organisation_id"`
	Active       bool        `json:"active"`
	PasswordHash string      `json:"-"`
	PasswordSet  bool        `json:"password_set"`
	Preferences
}

// Actor returns the user as an actor arriving by the given means.
func (u User) Actor(via string) access.Actor {
	return access.Actor{UserID: u.ID, Name: u.Name, Role: u.Role, OrgID: u.OrgID, Via: via}
}

// UserInput creates a user. OrgID 0 means the provider organisation.
type UserInput struct {
	Email    string
	Name     string
	Role     access.Role
	OrgID    int64
	Password string // optional: without one the user cannot sign in until it is set
}

// UserUpdate changes a user; nil fields stay as they are.
type UserUpdate struct {
	Email  *string
	Name   *string
	Role   *access.Role
	OrgID  *int64
	Active *bool
}

// Team is a group of users that work together (a queue, a process team).
type Team struct {
	record.Meta
	Name        string  `json:"name"`
	Description string  `json:"description"`
	MemberIDs   []int64 `json:"member_ids"`
}

// TeamInput creates a team.
type TeamInput struct {
	Name        string
	Description string
	MemberIDs   []int64
}

// TeamUpdate changes a team; nil fields stay as they are. MemberIDs, when
// set, replaces the whole membership.
type TeamUpdate struct {
	Name        *string
	Description *string
	MemberIDs   *[]int64
}

// Token is an API token. Its secret is shown once at creation and only its
// keyed hash is kept.
type Token struct {
	record.Meta
	UserID     int64      `json:"user_id"`
	Name       string     `json:"name"`
	Prefix     string     `json:"prefix"`
	Hash       string     `json:"-"` // keyed hash of the secret, which is never stored
	ExpiresAt  *time.Time `json:"expires_at,omitempty"`
	LastUsedAt *time.Time `json:"last_used_at,omitempty"`
	RevokedAt  *time.Time `json:"revoked_at,omitempty"`
	// ParentID is the token this one was made through, if any.
	ParentID *int64 `json:"parent_id,omitempty"`
}

// Active reports whether the token may still be used at time now.
func (t Token) Active(now time.Time) bool {
	return t.RevokedAt == nil && (t.ExpiresAt == nil || now.Before(*t.ExpiresAt))
}

// TokenInput creates a token for a user.
type TokenInput struct {
	UserID    int64
	Name      string
	ExpiresAt *time.Time
	ParentID  *int64 // set by the use case when a token makes a token
}

// Session is a signed-in browser. Only the hash of its cookie's secret is
// kept. The audit trail records who signed in, when, from where and until
// when; the CSRF token and the hash stay out of it.
type Session struct {
	record.Meta
	UserID     int64     `json:"user_id"`
	Hash       string    `json:"-"`
	CSRF       string    `json:"-"`
	LastSeenAt time.Time `json:"-"` // moves on with every request; not a change of the record
	ExpiresAt  time.Time `json:"expires_at"`
	RemoteAddr string    `json:"remote_addr"`
	UserAgent  string    `json:"user_agent"`
}

const (
	maxName  = 200
	maxEmail = 254
	maxText  = 4000
)

// NormalizeEmail trims and lower-cases an address.
func NormalizeEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

func checkEmail(c *errs.Checker, field, email string) {
	switch {
	case email == "":
		c.Add(field, "is required")
	case len(email) > maxEmail:
		c.Add(field, "must be at most 254 characters")
	default:
		a, err := mail.ParseAddress(email)
		if err != nil || a.Address != email || !strings.Contains(email[strings.LastIndexByte(email, '@'):], ".") && !strings.HasSuffix(email, "@localhost") {
			c.Add(field, "must be an email address such as name@example.com")
		}
	}
}

func checkName(c *errs.Checker, field, name string, required bool) {
	switch {
	case required && strings.TrimSpace(name) == "":
		c.Add(field, "is required")
	case !utf8.ValidString(name):
		c.Add(field, "must be valid UTF-8 text")
	case utf8.RuneCountInString(name) > maxName:
		c.Add(field, "must be at most 200 characters")
	case strings.ContainsAny(name, "\x00\r\n"):
		c.Add(field, "must be a single line of text")
	}
}

func checkText(c *errs.Checker, field, text string) {
	switch {
	case !utf8.ValidString(text):
		c.Add(field, "must be valid UTF-8 text")
	case utf8.RuneCountInString(text) > maxText:
		c.Add(field, "must be at most 4000 characters")
	case strings.ContainsRune(text, 0):
		c.Add(field, "must not contain NUL characters")
	}
}

func checkRole(c *errs.Checker, field string, r access.Role) {
	if r == "" {
		c.Add(field, "is required")
	} else if !r.Valid() {
		c.Add(field, "must be one of admin, sms_manager, process_owner, agent, internal_auditor, top_management, requester, external_auditor")
	}
}

// Normalize trims the input and fills defaults.
func (in *UserInput) Normalize() {
	in.Email = NormalizeEmail(in.Email)
	in.Name = strings.TrimSpace(in.Name)
}

// Validate checks a new user.
func (in UserInput) Validate() error {
	var c errs.Checker
	checkEmail(&c, "email", in.Email)
	checkName(&c, "name", in.Name, true)
	checkRole(&c, "role", in.Role)
	c.Check(in.OrgID >= 0, "organisation_id", "must be a positive number")
	if in.Password != "" {
		if err := CheckPassword(in.Password, in.Name, in.Email); err != nil {
			c.Add("password", err.Error())
		}
	}
	return c.Err()
}

// Normalize trims the update.
func (up *UserUpdate) Normalize() {
	if up.Email != nil {
		e := NormalizeEmail(*up.Email)
		up.Email = &e
	}
	if up.Name != nil {
		n := strings.TrimSpace(*up.Name)
		up.Name = &n
	}
}

// Validate checks a user update.
func (up UserUpdate) Validate() error {
	var c errs.Checker
	if up.Email != nil {
		checkEmail(&c, "email", *up.Email)
	}
	if up.Name != nil {
		checkName(&c, "name", *up.Name, true)
	}
	if up.Role != nil {
		checkRole(&c, "role", *up.Role)
	}
	if up.OrgID != nil {
		c.Check(*up.OrgID > 0, "organisation_id", "must be a positive number")
	}
	return c.Err()
}

// Apply returns u with the update applied.
func (up UserUpdate) Apply(u User) User {
	if up.Email != nil {
		u.Email = *up.Email
	}
	if up.Name != nil {
		u.Name = *up.Name
	}
	if up.Role != nil {
		u.Role = *up.Role
	}
	if up.OrgID != nil {
		u.OrgID = *up.OrgID
	}
	if up.Active != nil {
		u.Active = *up.Active
	}
	return u
}

// Normalize trims the input.
func (in *OrganisationInput) Normalize() {
	in.Name = strings.TrimSpace(in.Name)
	in.Description = strings.TrimSpace(in.Description)
	if in.Kind == "" {
		in.Kind = Customer
	}
}

// Validate checks a new organisation.
func (in OrganisationInput) Validate() error {
	var c errs.Checker
	checkName(&c, "name", in.Name, true)
	checkText(&c, "description", in.Description)
	c.Check(in.Kind == Customer || in.Kind == Provider, "kind", "must be provider or customer")
	return c.Err()
}

// Normalize trims the update.
func (up *OrganisationUpdate) Normalize() {
	trimPtr(&up.Name)
	trimPtr(&up.Description)
}

// Validate checks an organisation update.
func (up OrganisationUpdate) Validate() error {
	var c errs.Checker
	if up.Name != nil {
		checkName(&c, "name", *up.Name, true)
	}
	if up.Description != nil {
		checkText(&c, "description", *up.Description)
	}
	return c.Err()
}

// Apply returns o with the update applied.
func (up OrganisationUpdate) Apply(o Organisation) Organisation {
	if up.Name != nil {
		o.Name = *up.Name
	}
	if up.Description != nil {
		o.Description = *up.Description
	}
	return o
}

// Normalize trims the input and orders the members.
func (in *TeamInput) Normalize() {
	in.Name = strings.TrimSpace(in.Name)
	in.Description = strings.TrimSpace(in.Description)
	in.MemberIDs = normalizeIDs(in.MemberIDs)
}

// Validate checks a new team.
func (in TeamInput) Validate() error {
	var c errs.Checker
	checkName(&c, "name", in.Name, true)
	checkText(&c, "description", in.Description)
	checkIDs(&c, "member_ids", in.MemberIDs)
	return c.Err()
}

// Normalize trims the update and orders the members.
func (up *TeamUpdate) Normalize() {
	trimPtr(&up.Name)
	trimPtr(&up.Description)
	if up.MemberIDs != nil {
		m := normalizeIDs(*up.MemberIDs)
		up.MemberIDs = &m
	}
}

// Validate checks a team update.
func (up TeamUpdate) Validate() error {
	var c errs.Checker
	if up.Name != nil {
		checkName(&c, "name", *up.Name, true)
	}
	if up.Description != nil {
		checkText(&c, "description", *up.Description)
	}
	if up.MemberIDs != nil {
		checkIDs(&c, "member_ids", *up.MemberIDs)
	}
	return c.Err()
}

// Apply returns t with the update applied.
func (up TeamUpdate) Apply(t Team) Team {
	if up.Name != nil {
		t.Name = *up.Name
	}
	if up.Description != nil {
		t.Description = *up.Description
	}
	if up.MemberIDs != nil {
		t.MemberIDs = *up.MemberIDs
	}
	return t
}

// Normalize trims the input.
func (in *TokenInput) Normalize() { in.Name = strings.TrimSpace(in.Name) }

// Validate checks a new token at time now.
func (in TokenInput) Validate(now time.Time) error {
	var c errs.Checker
	checkName(&c, "name", in.Name, true)
	if in.ExpiresAt != nil {
		c.Check(in.ExpiresAt.After(now), "expires_at", "must be in the future")
	}
	return c.Err()
}

func trimPtr(p **string) {
	if *p != nil {
		s := strings.TrimSpace(**p)
		*p = &s
	}
}

func normalizeIDs(ids []int64) []int64 {
	out := make([]int64, 0, len(ids))
	seen := make(map[int64]bool, len(ids))
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

func checkIDs(c *errs.Checker, field string, ids []int64) {
	for _, id := range ids {
		if id <= 0 {
			c.Add(field, "must hold positive user ids")
			return
		}
	}
	if len(ids) > 1000 {
		c.Add(field, "must hold at most 1000 members")
	}
}
