package sms

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/record"
)

// Service is a service the provider delivers, as the scope and the
// context name it: its name, owner, description, customers and status.
// It is kept small on purpose; the operational features (catalogue,
// service levels, configuration) will extend it.
type Service struct {
	record.Meta
	Name        string `json:"name"`
	OwnerID     int64  `json:"owner_id"`
	Description string `json:"description"`
	Status      string `json:"status"`
	// CustomerIDs are the organisations the service is delivered to.
	CustomerIDs []int64 `json:"customer_ids"`
}

// ServiceStatuses are where a service stands in its life.
var ServiceStatuses = []Code{{"planned", "Planned"}, {"live", "Live"}, {"retired", "Retired"}}

// ServiceInput is what a service is made of, whole; ServiceUpdate
// changes some of it.
type ServiceInput struct {
	Name, Description, Status string
	OwnerID                   int64
	CustomerIDs               []int64
}

// Normalize trims the input and fills the defaults.
func (in *ServiceInput) Normalize() {
	in.Name, in.Description = strings.TrimSpace(in.Name), strings.TrimSpace(in.Description)
	if in.Status == "" {
		in.Status = "live"
	}
	if in.CustomerIDs == nil {
		in.CustomerIDs = []int64{}
	}
}

// Validate checks every field.
func (in ServiceInput) Validate() error {
	var c errs.Checker
	line(&c, "name", in.Name, 200, true)
	text(&c, "description", in.Description, 4000)
	c.Check(in.OwnerID > 0, "owner_id", "is required: choose who answers for the service")
	c.Check(known(ServiceStatuses, in.Status), "status", "must be planned, live or retired")
	for _, id := range in.CustomerIDs {
		if !c.Check(id > 0, "customer_ids", "must name organisations by their ids") {
			break
		}
	}
	return c.Err()
}

// ServiceUpdate changes a service; nil fields stay as they are.
type ServiceUpdate struct {
	Name, Description, Status *string
	OwnerID                   *int64
	CustomerIDs               *[]int64
}

// Apply returns s with the update applied, as the input it must pass.
func (up ServiceUpdate) Apply(s Service) ServiceInput {
	in := ServiceInput{s.Name, s.Description, s.Status, s.OwnerID, s.CustomerIDs}
	set(&in.Name, up.Name)
	set(&in.Description, up.Description)
	set(&in.Status, up.Status)
	set(&in.OwnerID, up.OwnerID)
	set(&in.CustomerIDs, up.CustomerIDs)
	return in
}

// Set puts the input into the service.
func (in ServiceInput) Set(s *Service) {
	s.Name, s.Description, s.Status, s.OwnerID, s.CustomerIDs = in.Name, in.Description, in.Status, in.OwnerID, in.CustomerIDs
}

// set replaces *dst by *src when src is given.
func set[T any](dst *T, src *T) {
	if src != nil {
		*dst = *src
	}
}

// line checks a single-line text of at most max characters.
func line(c *errs.Checker, field, v string, max int, required bool) {
	switch {
	case v == "" && required:
		c.Add(field, "is required")
	case utf8.RuneCountInString(v) > max || strings.ContainsAny(v, "\x00\r\n"):
		c.Add(field, "must be a single line of at most "+strconv.Itoa(max)+" characters")
	}
}

// text checks a text of at most max characters.
func text(c *errs.Checker, field, v string, max int) {
	c.Check(utf8.RuneCountInString(v) <= max && !strings.ContainsRune(v, 0), field, "must be at most "+strconv.Itoa(max)+" characters")
}
