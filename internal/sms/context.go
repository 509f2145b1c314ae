package sms

import (
	"strings"

	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/record"
)

// ContextIssue is an internal or external issue that bears on what the
// SMS can achieve (clause 4.1). Climate says whether the issue concerns
// climate change, which Amendment 1:2024 asks every organisation to
// consider.
type ContextIssue struct {
	record.Meta
	Title       string `json:"title"`
	Origin      string `json:"origin"`
	Category    string `json:"category"`
	Climate     bool   `json:"climate"`
	Description string `json:"description"`
	// Effect is how the issue bears on the SMS and its services;
	// Response is what the SMS does about it.
	Effect   string `json:"effect"`
	Response string `json:"response"`
	OwnerID  int64  `json:"owner_id"`
}

// IssueOrigins say whether an issue comes from inside or outside.
var IssueOrigins = []Code{{"internal", "Internal"}, {"external", "External"}}

// IssueCategories sort issues, the external ones after the usual
// political, economic, social, technological, legal and environmental
// headings.
var IssueCategories = []Code{{"political", "Political"}, {"economic", "Economic"}, {"social", "Social"}, {"technological", "Technological"},
	{"legal", "Legal and regulatory"}, {"environmental", "Environmental"}, {"organisational", "Organisational"}, {"other", "Other"}}

// ContextIssueInput is what an issue is made of, whole;
// ContextIssueUpdate changes some of it.
type ContextIssueInput struct {
	Title, Origin, Category, Description, Effect, Response string
	Climate                                                bool
	OwnerID                                                int64
}

// Normalize trims the input and fills the defaults.
func (in *ContextIssueInput) Normalize() {
	in.Title, in.Description = strings.TrimSpace(in.Title), strings.TrimSpace(in.Description)
	in.Effect, in.Response = strings.TrimSpace(in.Effect), strings.TrimSpace(in.Response)
	if in.Category == "" {
		in.Category = "other"
	}
}

// Validate checks every field.
func (in ContextIssueInput) Validate() error {
	var c errs.Checker
	line(&c, "title", in.Title, 200, true)
	c.Check(known(IssueOrigins, in.Origin), "origin", "must be internal or external")
	c.Check(known(IssueCategories, in.Category), "category", "must be political, economic, social, technological, legal, environmental, organisational or other")
	text(&c, "description", in.Description, 4000)
	text(&c, "effect", in.Effect, 4000)
	text(&c, "response", in.Response, 4000)
	c.Check(in.OwnerID > 0, "owner_id", "is required: choose who keeps an eye on the issue")
	return c.Err()
}

// ContextIssueUpdate changes an issue; nil fields stay as they are.
type ContextIssueUpdate struct {
	Title, Origin, Category, Description, Effect, Response *string
	Climate                                                *bool
	OwnerID                                                *int64
}

// Apply returns i with the update applied, as the input it must pass.
func (up ContextIssueUpdate) Apply(i ContextIssue) ContextIssueInput {
	in := ContextIssueInput{i.Title, i.Origin, i.Category, i.Description, i.Effect, i.Response, i.Climate, i.OwnerID}
	set(&in.Title, up.Title)
	set(&in.Origin, up.Origin)
	set(&in.Category, up.Category)
	set(&in.Description, up.Description)
	set(&in.Effect, up.Effect)
	set(&in.Response, up.Response)
	set(&in.Climate, up.Climate)
	set(&in.OwnerID, up.OwnerID)
	return in
}

// Set puts the input into the issue.
func (in ContextIssueInput) Set(i *ContextIssue) {
	i.Title, i.Origin, i.Category, i.Description, i.Effect, i.Response, i.Climate, i.OwnerID = in.Title, in.Origin, in.Category, in.Description, in.Effect, in.Response, in.Climate, in.OwnerID
}

// InterestedParty is a person or organisation with a stake in the SMS
// and its services (clause 4.2), its requirements, and how much they
// matter to the SMS.
type InterestedParty struct {
	record.Meta
	Name         string `json:"name"`
	Category     string `json:"category"`
	Relevance    string `json:"relevance"`
	Requirements string `json:"requirements"`
	// Response is how the SMS meets or follows the requirements.
	Response string `json:"response"`
}

// PartyCategories sort interested parties.
var PartyCategories = []Code{{"customer", "Customer"}, {"user", "User"}, {"staff", "Staff"}, {"management", "Owners and management"},
	{"supplier", "Supplier"}, {"partner", "Partner"}, {"regulator", "Regulator or authority"}, {"community", "Community"}, {"other", "Other"}}

// Relevances say how much a party's requirements bear on the SMS.
var Relevances = []Code{{"high", "High"}, {"medium", "Medium"}, {"low", "Low"}}

// InterestedPartyInput is what a party is made of, whole;
// InterestedPartyUpdate changes some of it.
type InterestedPartyInput struct {
	Name, Category, Relevance, Requirements, Response string
}

// Normalize trims the input and fills the defaults.
func (in *InterestedPartyInput) Normalize() {
	in.Name, in.Requirements, in.Response = strings.TrimSpace(in.Name), strings.TrimSpace(in.Requirements), strings.TrimSpace(in.Response)
	if in.Relevance == "" {
		in.Relevance = "medium"
	}
}

// Validate checks every field.
func (in InterestedPartyInput) Validate() error {
	var c errs.Checker
	line(&c, "name", in.Name, 200, true)
	c.Check(known(PartyCategories, in.Category), "category", "must be customer, user, staff, management, supplier, partner, regulator, community or other")
	c.Check(known(Relevances, in.Relevance), "relevance", "must be high, medium or low")
	c.Check(in.Requirements != "", "requirements", "is required: say what the party needs or expects of the SMS and its services")
	text(&c, "requirements", in.Requirements, 4000)
	text(&c, "response", in.Response, 4000)
	return c.Err()
}

// InterestedPartyUpdate changes a party; nil fields stay as they are.
type InterestedPartyUpdate struct {
	Name, Category, Relevance, Requirements, Response *string
}

// Apply returns p with the update applied, as the input it must pass.
func (up InterestedPartyUpdate) Apply(p InterestedParty) InterestedPartyInput {
	in := InterestedPartyInput{p.Name, p.Category, p.Relevance, p.Requirements, p.Response}
	set(&in.Name, up.Name)
	set(&in.Category, up.Category)
	set(&in.Relevance, up.Relevance)
	set(&in.Requirements, up.Requirements)
	set(&in.Response, up.Response)
	return in
}

// Set puts the input into the party.
func (in InterestedPartyInput) Set(p *InterestedParty) {
	p.Name, p.Category, p.Relevance, p.Requirements, p.Response = in.Name, in.Category, in.Relevance, in.Requirements, in.Response
}

// Communication is one line of the communication plan (clause 7.4):
// what is communicated, to whom, when, how and by whom.
type Communication struct {
	record.Meta
	Subject   string `json:"subject"`
	Audience  string `json:"audience"`
	Frequency string `json:"frequency"`
	// Timing says more precisely when: "first Monday of the quarter",
	// "within an hour of a major incident".
	Timing  string `json:"timing"`
	Channel string `json:"channel"`
	OwnerID int64  `json:"owner_id"`
	Notes   string `json:"notes"`
}

// Frequencies say how often a communication is made.
var Frequencies = []Code{{"event", "When it happens"}, {"weekly", "Weekly"}, {"monthly", "Monthly"}, {"quarterly", "Quarterly"},
	{"yearly", "Yearly"}, {"once", "Once"}}

// Channels are how a communication is made.
var Channels = []Code{{"meeting", "Meeting"}, {"email", "Email"}, {"report", "Report"}, {"intranet", "Intranet"}, {"portal", "Customer portal"},
	{"training", "Training session"}, {"other", "Other"}}

// CommunicationInput is what a communication is made of, whole;
// CommunicationUpdate changes some of it.
type CommunicationInput struct {
	Subject, Audience, Frequency, Timing, Channel, Notes string
	OwnerID                                              int64
}

// Normalize trims the input.
func (in *CommunicationInput) Normalize() {
	in.Subject, in.Audience, in.Timing, in.Notes = strings.TrimSpace(in.Subject), strings.TrimSpace(in.Audience), strings.TrimSpace(in.Timing), strings.TrimSpace(in.Notes)
}

// Validate checks every field.
func (in CommunicationInput) Validate() error {
	var c errs.Checker
	line(&c, "subject", in.Subject, 200, true)
	line(&c, "audience", in.Audience, 200, true)
	c.Check(known(Frequencies, in.Frequency), "frequency", "must be event, weekly, monthly, quarterly, yearly or once")
	line(&c, "timing", in.Timing, 200, false)
	c.Check(known(Channels, in.Channel), "channel", "must be meeting, email, report, intranet, portal, training or other")
	c.Check(in.OwnerID > 0, "owner_id", "is required: choose who communicates")
	text(&c, "notes", in.Notes, 4000)
	return c.Err()
}

// CommunicationUpdate changes a communication; nil fields stay as they
// are.
type CommunicationUpdate struct {
	Subject, Audience, Frequency, Timing, Channel, Notes *string
	OwnerID                                              *int64
}

// Apply returns m with the update applied, as the input it must pass.
func (up CommunicationUpdate) Apply(m Communication) CommunicationInput {
	in := CommunicationInput{m.Subject, m.Audience, m.Frequency, m.Timing, m.Channel, m.Notes, m.OwnerID}
	set(&in.Subject, up.Subject)
	set(&in.Audience, up.Audience)
	set(&in.Frequency, up.Frequency)
	set(&in.Timing, up.Timing)
	set(&in.Channel, up.Channel)
	set(&in.Notes, up.Notes)
	set(&in.OwnerID, up.OwnerID)
	return in
}

// Set puts the input into the communication.
func (in CommunicationInput) Set(m *Communication) {
	m.Subject, m.Audience, m.Frequency, m.Timing, m.Channel, m.Notes, m.OwnerID = in.Subject, in.Audience, in.Frequency, in.Timing, in.Channel, in.Notes, in.OwnerID
}
