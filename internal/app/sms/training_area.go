package sms

import (
	"context"
	"slices"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/account"
	"github.com/conform-itsm/conform/internal/app"
	"github.com/conform-itsm/conform/internal/sms"
	"github.com/conform-itsm/conform/internal/store"
)

// withTraining adds the training kinds' Seers, Namers and Finders to the
// area.
func (c *Catalogue) withTraining(a app.Area) app.Area {
	a.See[sms.CompetenceKind.Entity] = app.Seeing(c.GetCompetence)
	a.See[sms.CourseKind.Entity] = app.Seeing(c.GetCourse)
	a.See[sms.CourseSessionKind.Entity] = app.Seeing(c.GetCourseSession)
	a.See[sms.CompletionKind.Entity] = app.Seeing(c.GetCompletion)
	a.See[sms.AppraisalKind.Entity] = app.Seeing(c.GetAppraisal)
	a.Names[sms.CompetenceKind.Entity] = func(ctx context.Context, actor access.Actor, ids []int64, names map[int64]string) (map[int64]string, error) {
		return namesOf(ctx, actor, ids, names, c.ListCompetences, func(ids []int64) store.CompetenceFilter { return store.CompetenceFilter{IDs: ids, Limit: len(ids)} },
			func(v sms.Competence) (int64, string) { return v.ID, v.Name })
	}
	a.Names[sms.CourseKind.Entity] = func(ctx context.Context, actor access.Actor, ids []int64, names map[int64]string) (map[int64]string, error) {
		return namesOf(ctx, actor, ids, names, c.ListCourses, func(ids []int64) store.CourseFilter { return store.CourseFilter{IDs: ids, Limit: len(ids)} },
			func(v sms.Course) (int64, string) { return v.ID, v.Title })
	}
	a.Names[sms.CourseSessionKind.Entity] = func(ctx context.Context, actor access.Actor, ids []int64, names map[int64]string) (map[int64]string, error) {
		var ss []sms.CourseSession
		if _, err := namesOf(ctx, actor, ids, map[int64]string{}, c.ListCourseSessions, func(ids []int64) store.CourseSessionFilter {
			return store.CourseSessionFilter{IDs: ids, Limit: len(ids)}
		}, func(v sms.CourseSession) (int64, string) { ss = append(ss, v); return v.ID, "" }); err != nil {
			return nil, err
		}
		titles, err := courseTitles(ctx, c, actor, ss, func(s sms.CourseSession) int64 { return s.CourseID })
		if err != nil {
			return nil, err
		}
		for _, s := range ss {
			names[s.ID] = sms.SessionName(titles[s.CourseID], s)
		}
		return names, nil
	}
	a.Names[sms.CompletionKind.Entity] = func(ctx context.Context, actor access.Actor, ids []int64, names map[int64]string) (map[int64]string, error) {
		var cs []sms.Completion
		if _, err := namesOf(ctx, actor, ids, map[int64]string{}, c.ListCompletions, func(ids []int64) store.CompletionFilter {
			return store.CompletionFilter{IDs: ids, Limit: len(ids)}
		}, func(v sms.Completion) (int64, string) { cs = append(cs, v); return v.ID, "" }); err != nil {
			return nil, err
		}
		titles, err := courseTitles(ctx, c, actor, cs, func(v sms.Completion) int64 { return v.CourseID })
		if err != nil {
			return nil, err
		}
		people, err := userNames(ctx, c, actor, cs, func(v sms.Completion) int64 { return v.UserID })
		if err != nil {
			return nil, err
		}
		for _, v := range cs {
			names[v.ID] = titles[v.CourseID] + ": " + people[v.UserID]
		}
		return names, nil
	}
	a.Names[sms.AppraisalKind.Entity] = func(ctx context.Context, actor access.Actor, ids []int64, names map[int64]string) (map[int64]string, error) {
		var as []sms.Appraisal
		if _, err := namesOf(ctx, actor, ids, map[int64]string{}, c.ListAppraisals, func(ids []int64) store.AppraisalFilter {
			return store.AppraisalFilter{IDs: ids, Limit: len(ids)}
		}, func(v sms.Appraisal) (int64, string) { as = append(as, v); return v.ID, "" }); err != nil {
			return nil, err
		}
		comps := map[int64]string{}
		var compIDs []int64
		for _, v := range as {
			compIDs = append(compIDs, v.CompetenceID)
		}
		if _, err := namesOf(ctx, actor, compIDs, comps, c.ListCompetences, func(ids []int64) store.CompetenceFilter { return store.CompetenceFilter{IDs: ids, Limit: len(ids)} },
			func(v sms.Competence) (int64, string) { return v.ID, v.Name }); err != nil {
			return nil, err
		}
		people, err := userNames(ctx, c, actor, as, func(v sms.Appraisal) int64 { return v.UserID })
		if err != nil {
			return nil, err
		}
		for _, v := range as {
			names[v.ID] = comps[v.CompetenceID] + ": " + people[v.UserID]
		}
		return names, nil
	}
	a.Find[sms.CompetenceKind.Entity] = func(ctx context.Context, actor access.Actor, q string, limit int) ([]app.Found, error) {
		vs, _, err := c.ListCompetences(ctx, actor, store.CompetenceFilter{Query: q, Limit: limit})
		var out []app.Found
		for _, v := range vs {
			out = append(out, app.Found{Entity: sms.CompetenceKind.Entity, ID: v.ID, Name: v.Name, Detail: sms.CompetenceKind.Number(v.ID)})
		}
		return out, err
	}
	a.Find[sms.CourseKind.Entity] = func(ctx context.Context, actor access.Actor, q string, limit int) ([]app.Found, error) {
		vs, _, err := c.ListCourses(ctx, actor, store.CourseFilter{Query: q, Limit: limit})
		var out []app.Found
		for _, v := range vs {
			out = append(out, app.Found{Entity: sms.CourseKind.Entity, ID: v.ID, Name: v.Title, Detail: sms.CourseKind.Number(v.ID)})
		}
		return out, err
	}
	return a
}

// namesOf lists the records with the given ids, a chunk at a time, and
// puts each one's name in names.
func namesOf[T, F any](ctx context.Context, actor access.Actor, ids []int64, names map[int64]string,
	list func(context.Context, access.Actor, F) ([]T, string, error), filter func([]int64) F, name func(T) (int64, string)) (map[int64]string, error) {
	for chunk := range slices.Chunk(ids, store.MaxLimit) {
		vs, _, err := list(ctx, actor, filter(chunk))
		if err != nil {
			return nil, err
		}
		for _, v := range vs {
			id, n := name(v)
			names[id] = n
		}
	}
	return names, nil
}

// courseTitles are the titles of the courses some records name.
func courseTitles[T any](ctx context.Context, c *Catalogue, actor access.Actor, recs []T, course func(T) int64) (map[int64]string, error) {
	ids := make([]int64, 0, len(recs))
	for _, r := range recs {
		ids = append(ids, course(r))
	}
	return namesOf(ctx, actor, ids, map[int64]string{}, c.ListCourses, func(ids []int64) store.CourseFilter { return store.CourseFilter{IDs: ids, Limit: len(ids)} },
		func(v sms.Course) (int64, string) { return v.ID, v.Title })
}

// userNames are the names of the people some records name.
func userNames[T any](ctx context.Context, c *Catalogue, actor access.Actor, recs []T, user func(T) int64) (map[int64]string, error) {
	ids := make([]int64, 0, len(recs))
	for _, r := range recs {
		ids = append(ids, user(r))
	}
	return c.app.Names(ctx, actor, account.UserKind.Entity, ids)
}
