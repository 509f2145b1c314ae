package record

import (
	"fmt"
	"slices"
	"strings"

	"github.com/conform-itsm/conform/internal/access"
)

// Area is a part of the product: a group in the navigation, a table of
// permission grants (in package access) and, from the management system
// on, a package of its own in each layer.
type Area struct {
	Name  string
	Order int // position in the navigation, smallest first
}

// Administration is the platform's area: accounts, organisations, the
// audit trail.
var Administration = Area{Name: "Administration", Order: 90}

// Display says how a field's recorded value is shown to people, in a
// record's history, the audit trail and the pages.
type Display int

const (
	Text     Display = iota // a short value, shown as it is
	LongText                // prose: the history shows what changed, not both whole texts
	Ref                     // the id of a record of Field.Ref's kind, shown by its name and linked
	RefList                 // a list of such ids
	Enum                    // a code, shown by its label from Field.Values
	Flag                    // true or false, shown as Yes or No
	Time                    // a time, shown in UTC
	Secret                  // never shown, only that it changed
)

// Field is one field of a kind as people see it.
type Field struct {
	Name    string // as in the JSON encoding and the audit trail
	Label   string // what people read
	Help    string // help text beside the field in forms
	Display Display
	Ref     string            // Ref and RefList: the entity referred to
	Values  map[string]string // Enum: code to label
}

// Scope says which records of a kind a requester may see.
type Scope int

const (
	// Unscoped: whoever holds the read permission sees every record.
	Unscoped Scope = iota
	// Organisation: an actor who sees only their own organisation's
	// records (access.Actor.Scoped) sees only records of their
	// organisation; the kind's store table says which column holds it.
	Organisation
	// Owner: the records belong to a user; others see them only with the
	// Manage permission.
	Owner
)

// Nav is a kind's place in the navigation and on the home page.
type Nav struct {
	Order   int    // position within the area
	Summary string // one line for the home page card
	Icon    string // a Tabler icon name (scripts/vendor-assets.sh lists those shipped)
}

// Kind declares a kind of record once. Everything that used to be
// repeated for each kind (the navigation, the home page cards, the list of
// entities in the audit trail, the history's field labels, who may see a
// record's history, organisation scope) reads it from here.
type Kind struct {
	Entity string // singular, as in the audit trail and operation ids: "team"
	Prefix string // human number prefix: TEAM gives TEAM-000012
	Label  string // "Team"
	Plural string // "Teams"
	// Segment is the path segment, /teams and /api/v1/teams; by default
	// the plural in lower case.
	Segment string
	Area    Area
	// Read and Write are the permissions to see and to change records.
	// Manage, when set, lets its holders see and change records of Owner
	// scope that are not their own.
	Read, Write, Manage access.Permission
	Scope               Scope
	// History is who may read a record's history besides those who may
	// read the whole audit trail: anyone who may read the record and
	// holds this permission (access.SignedIn: anyone who may read it).
	History access.Permission
	Fields  []Field
	Nav     *Nav // nil: not in the navigation
}

// Path is the kind's path segment, "teams" for /teams and /api/v1/teams.
func (k Kind) Path() string {
	if k.Segment != "" {
		return k.Segment
	}
	return strings.ToLower(strings.ReplaceAll(k.Plural, " ", "-"))
}

// Number is a record's human number.
func (k Kind) Number(id int64) string { return Number(k.Prefix, id) }

// Field returns the declaration of a field by name.
func (k Kind) Field(name string) (Field, bool) {
	i := slices.IndexFunc(k.Fields, func(f Field) bool { return f.Name == name })
	if i < 0 {
		return Field{}, false
	}
	return k.Fields[i], true
}

// Registry is the set of kinds of an installation, in navigation order.
type Registry struct {
	kinds []Kind
	by    map[string]int
}

// NewRegistry checks the declarations (unique entities, prefixes and
// paths; references to declared kinds; permissions set) and orders them
// by area and place in the navigation.
func NewRegistry(kinds ...Kind) (*Registry, error) {
	r := &Registry{kinds: slices.Clone(kinds), by: map[string]int{}}
	slices.SortStableFunc(r.kinds, func(a, b Kind) int {
		if a.Area.Order != b.Area.Order {
			return a.Area.Order - b.Area.Order
		}
		return navOrder(a) - navOrder(b)
	})
	prefixes, paths := map[string]bool{}, map[string]bool{}
	for i, k := range r.kinds {
		switch {
		case k.Entity == "" || k.Label == "" || k.Plural == "":
			return nil, fmt.Errorf("kind %q: entity, label and plural are required", k.Entity)
		case k.Read == "" || k.Write == "" || k.History == "":
			return nil, fmt.Errorf("kind %s: read, write and history permissions are required", k.Entity)
		case k.Scope == Owner && k.Manage == "":
			return nil, fmt.Errorf("kind %s: owner scope needs a manage permission", k.Entity)
		}
		if _, dup := r.by[k.Entity]; dup {
			return nil, fmt.Errorf("kind %s declared twice", k.Entity)
		}
		if k.Prefix != "" && prefixes[k.Prefix] {
			return nil, fmt.Errorf("kind %s: prefix %s is already taken", k.Entity, k.Prefix)
		}
		if paths[k.Path()] {
			return nil, fmt.Errorf("kind %s: path %s is already taken", k.Entity, k.Path())
		}
		r.by[k.Entity], prefixes[k.Prefix], paths[k.Path()] = i, true, true
	}
	for _, k := range r.kinds {
		for _, f := range k.Fields {
			if _, ok := r.by[f.Ref]; (f.Display == Ref || f.Display == RefList) && !ok {
				return nil, fmt.Errorf("kind %s: field %s refers to undeclared kind %q", k.Entity, f.Name, f.Ref)
			}
			if f.Display == Enum && len(f.Values) == 0 {
				return nil, fmt.Errorf("kind %s: enum field %s has no values", k.Entity, f.Name)
			}
		}
	}
	return r, nil
}

func navOrder(k Kind) int {
	if k.Nav == nil {
		return 1 << 20
	}
	return k.Nav.Order
}

// All returns every kind in navigation order.
func (r *Registry) All() []Kind { return slices.Clone(r.kinds) }

// Get returns the kind of an entity.
func (r *Registry) Get(entity string) (Kind, bool) {
	i, ok := r.by[entity]
	if !ok {
		return Kind{}, false
	}
	return r.kinds[i], true
}
