package store

import (
	"context"

	"github.com/conform-itsm/conform/internal/sms"
)

// RequirementOutline reads a framework's requirements in tree order with
// what a questionnaire needs of every one of them, besides the one in
// hand: id, place in the tree, clause, title and questions, without the
// rest of the guidance, which is most of a requirement's text.
func (db *DB) RequirementOutline(ctx context.Context, frameworkID int64) ([]sms.Requirement, error) {
	c := db.reader()
	rows, err := c.query(ctx, "SELECT id, parent_id, code, title, position, questions FROM requirements WHERE framework_id = ? ORDER BY position, id", frameworkID)
	if err != nil {
		return nil, c.db.fault(err, "read requirements")
	}
	defer rows.Close()
	var out []sms.Requirement
	for rows.Next() {
		r := sms.Requirement{FrameworkID: frameworkID}
		if err := rows.Scan(&r.ID, &r.ParentID, &r.Code, &r.Title, &r.Position, &r.Questions); err != nil {
			return nil, c.db.fault(err, "read requirements")
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, c.db.fault(err, "read requirements")
	}
	return out, nil
}
