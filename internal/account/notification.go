package account

import (
	"fmt"
	"time"

	"github.com/conform-itsm/conform/internal/record"
)

// Notification tells one person of something that needs them: an action
// given to them, falling due or overdue, a document to read and
// acknowledge, evidence of theirs to review. Reminders make them (see
// Notice); the person reads them and marks them read.
type Notification struct {
	record.Meta
	UserID   int64  `json:"user_id"`
	Topic    string `json:"topic"`
	Entity   string `json:"entity"`    // the kind of the record it is about
	EntityID int64  `json:"entity_id"` // and its id
	// Title is the record as it read when the notification was made.
	Title string `json:"title"`
	// Key makes each notice once: a user never gets two with one key.
	Key    string     `json:"key"`
	ReadAt *time.Time `json:"read_at"`
}

// Topics of notifications, with their labels.
var Topics = []struct{ Code, Label string }{
	{"assigned", "Assigned to you"},
	{"due_soon", "Due soon"},
	{"overdue", "Overdue"},
	{"acknowledge", "To read and acknowledge"},
	{"evidence_expiring", "Evidence to review"},
	{"review_due", "Review due"},
}

func topicLabels() map[string]string {
	m := map[string]string{}
	for _, t := range Topics {
		m[t.Code] = t.Label
	}
	return m
}

// Notice is a notification a reminder wants sent; Key says what makes it
// the same notice as one sent before (say, "overdue:action:12:2026-12-01":
// an action overdue for that due day), so each is sent once.
type Notice struct {
	UserID   int64
	Topic    string
	Entity   string
	EntityID int64
	Title    string
	Key      string
}

// NoticeKey builds the usual key: topic, record and what about it changed
// (a due day, an owner, a version).
func NoticeKey(topic, entity string, id int64, what any) string {
	return fmt.Sprintf("%s:%s:%d:%v", topic, entity, id, what)
}

// Validate refuses a notice that could not be delivered or told apart.
func (n Notice) Validate() error {
	switch {
	case n.UserID <= 0:
		return fmt.Errorf("notice %q names no user", n.Key)
	case topicLabels()[n.Topic] == "":
		return fmt.Errorf("notice %q has an unknown topic %q", n.Key, n.Topic)
	case n.Entity == "" || n.EntityID <= 0:
		return fmt.Errorf("notice %q names no record", n.Key)
	case n.Key == "":
		return fmt.Errorf("notice for %s %d has no key", n.Entity, n.EntityID)
	}
	return nil
}
