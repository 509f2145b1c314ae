package sms

import (
	"context"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/sms"
	"github.com/conform-itsm/conform/internal/store"
)

// awarenessItems are the checklist items whose documents everyone in the
// SMS must know: awareness (clause 7.3) is measured as their
// acknowledgement.
var awarenessItems = []string{"policy", "objectives"}

// Awareness is who acknowledged the policy and objectives in force.
type Awareness struct {
	// Documents are the approved documents of the awareness items (none
	// until one is approved).
	Documents []int64
	// People are, by user id, those asked to read at least one of them.
	People map[int64]Aware
}

// Aware is one person's awareness: of the documents they are asked to
// read, how many they acknowledged in their version in force.
type Aware struct{ Asked, Acknowledged int }

// Done reports whether the person acknowledged every one.
func (a Aware) Done() bool { return a.Acknowledged >= a.Asked }

// Awareness reads who acknowledged the policy and objectives in force,
// for the competence matrix and the journey.
func (c *Catalogue) Awareness(ctx context.Context, actor access.Actor) (Awareness, error) {
	if err := requiredDocs.MayRead(actor, "read awareness of"); err != nil {
		return Awareness{}, err
	}
	docs, err := c.documentCoverage(ctx)
	if err != nil {
		return Awareness{}, err
	}
	return c.awarenessOf(ctx, docs)
}

func (c *Catalogue) awarenessOf(ctx context.Context, docs sms.ChecklistCoverage) (Awareness, error) {
	aw := Awareness{People: map[int64]Aware{}}
	for _, code := range awarenessItems {
		if e := checklistItem(docs, code); e.Covered() {
			aw.Documents = append(aw.Documents, e.DocumentID)
		}
	}
	if len(aw.Documents) == 0 {
		return aw, nil
	}
	ds, _, err := c.db.ListDocuments(ctx, store.DocumentFilter{IDs: aw.Documents, Limit: len(aw.Documents)})
	if err != nil {
		return aw, err
	}
	for _, d := range ds {
		done, err := c.completion(ctx, d)
		if err != nil {
			return aw, err
		}
		for _, u := range done.Readers {
			p := aw.People[u]
			p.Asked++
			aw.People[u] = p
		}
		for _, u := range done.Acknowledged {
			p := aw.People[u]
			p.Acknowledged++
			aw.People[u] = p
		}
	}
	return aw, nil
}
