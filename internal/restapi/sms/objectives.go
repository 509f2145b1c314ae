package sms

import (
	"context"
	"time"

	"github.com/conform-itsm/conform/internal/access"
	smsapp "github.com/conform-itsm/conform/internal/app/sms"
	"github.com/conform-itsm/conform/internal/restapi"
	"github.com/conform-itsm/conform/internal/sms"
	"github.com/conform-itsm/conform/internal/store"
)

// Objective is one of the SMS's measurable objectives, with where it
// stands by its latest value.
type Objective struct {
	ID        int64   `json:"id"`
	Number    string  `json:"number" doc:"Human number, OBJ-000001."`
	Statement string  `json:"statement"`
	OwnerID   int64   `json:"owner_id"`
	Measure   string  `json:"measure" doc:"What is measured and how."`
	Unit      string  `json:"unit"`
	Target    float64 `json:"target"`
	Direction string  `json:"direction" enum:"higher,lower" doc:"higher: the target is a floor; lower: a ceiling."`
	Frequency string  `json:"frequency" enum:"weekly,monthly,quarterly,yearly"`
	Source    string  `json:"source" enum:"manual" doc:"Where the values come from; only manual today, a live query later."`
	Notes     string  `json:"notes"`
	// Latest is the value measured on the latest day; absent when none.
	Latest *ObjectiveValue `json:"latest,omitempty" doc:"The value measured on the latest day; absent when none is recorded."`
	// Standing is met or missed by the latest value, none without one.
	Standing  string    `json:"standing" enum:"met,missed,none" doc:"Whether the latest value meets the target; none without a value."`
	CreatedAt time.Time `json:"created_at"`
	CreatedBy int64     `json:"created_by"`
	UpdatedAt time.Time `json:"updated_at"`
	UpdatedBy int64     `json:"updated_by"`
	Version   int64     `json:"version"`
}

// ObjectiveDetail is an objective with every value, oldest first.
type ObjectiveDetail struct {
	Objective
	Values []ObjectiveValue `json:"values"`
}

// ObjectiveValue is one value measured for an objective.
type ObjectiveValue struct {
	ID          int64     `json:"id"`
	Number      string    `json:"number" doc:"Human number, OBV-000001."`
	ObjectiveID int64     `json:"objective_id"`
	On          string    `json:"on" doc:"The day the value stands for (2006-01-02)."`
	Value       float64   `json:"value"`
	Note        string    `json:"note"`
	Meets       bool      `json:"meets" doc:"Whether the value meets the objective's target as it is now."`
	CreatedAt   time.Time `json:"created_at"`
	CreatedBy   int64     `json:"created_by"`
	UpdatedAt   time.Time `json:"updated_at"`
	UpdatedBy   int64     `json:"updated_by"`
	Version     int64     `json:"version"`
}

// measured is an objective with its latest value, or with all of them.
type measured struct {
	sms.Objective
	latest *sms.ObjectiveValue
	values []sms.ObjectiveValue
}

func valueOut(o sms.Objective, v sms.ObjectiveValue) ObjectiveValue {
	return ObjectiveValue{ID: v.ID, Number: sms.ObjectiveValueKind.Number(v.ID), ObjectiveID: v.ObjectiveID, On: v.On, Value: v.Value, Note: v.Note,
		Meets: o.Meets(v.Value), CreatedAt: v.CreatedAt, CreatedBy: v.CreatedBy, UpdatedAt: v.UpdatedAt, UpdatedBy: v.UpdatedBy, Version: v.Version}
}

func objectiveOut(m measured) Objective {
	o := m.Objective
	out := Objective{ID: o.ID, Number: sms.ObjectiveKind.Number(o.ID), Statement: o.Statement, OwnerID: o.OwnerID, Measure: o.Measure, Unit: o.Unit,
		Target: o.Target, Direction: o.Direction, Frequency: o.Frequency, Source: o.Source, Notes: o.Notes, Standing: o.Standing(m.latest),
		CreatedAt: o.CreatedAt, CreatedBy: o.CreatedBy, UpdatedAt: o.UpdatedAt, UpdatedBy: o.UpdatedBy, Version: o.Version}
	if m.latest != nil {
		l := valueOut(o, *m.latest)
		out.Latest = &l
	}
	return out
}

type objectiveCreateIn struct {
	Body struct {
		Statement string  `json:"statement" maxLength:"300"`
		OwnerID   int64   `json:"owner_id" minimum:"1"`
		Measure   string  `json:"measure" maxLength:"1000"`
		Unit      string  `json:"unit,omitempty" maxLength:"30"`
		Target    float64 `json:"target"`
		Direction string  `json:"direction,omitempty" enum:"higher,lower" doc:"higher when left out."`
		Frequency string  `json:"frequency,omitempty" enum:"weekly,monthly,quarterly,yearly" doc:"monthly when left out."`
		Source    string  `json:"source,omitempty" enum:"manual" doc:"manual when left out."`
		Notes     string  `json:"notes,omitempty" maxLength:"4000"`
	}
}

type objectivePatchIn struct {
	restapi.IDParam
	restapi.IfMatch
	Body struct {
		Statement *string  `json:"statement,omitempty" maxLength:"300"`
		OwnerID   *int64   `json:"owner_id,omitempty" minimum:"1"`
		Measure   *string  `json:"measure,omitempty" maxLength:"1000"`
		Unit      *string  `json:"unit,omitempty" maxLength:"30"`
		Target    *float64 `json:"target,omitempty"`
		Direction *string  `json:"direction,omitempty" enum:"higher,lower"`
		Frequency *string  `json:"frequency,omitempty" enum:"weekly,monthly,quarterly,yearly"`
		Source    *string  `json:"source,omitempty" enum:"manual"`
		Notes     *string  `json:"notes,omitempty" maxLength:"4000"`
	}
}

type objectiveListIn struct {
	restapi.PageParams
	Q        string `query:"q" maxLength:"100" doc:"Part of the statement."`
	OwnerID  int64  `query:"owner_id" minimum:"0" doc:"Only this user's objectives."`
	Standing string `query:"standing" enum:"met,missed,none" doc:"Only objectives whose latest value meets (met) or misses (missed) the target, or that have none yet."`
}

type valueCreateIn struct {
	Body struct {
		ObjectiveID int64   `json:"objective_id" minimum:"1"`
		On          string  `json:"on" maxLength:"10" doc:"2006-01-02; not in the future, one value per objective and day."`
		Value       float64 `json:"value"`
		Note        string  `json:"note,omitempty" maxLength:"1000"`
	}
}

type valuePatchIn struct {
	restapi.IDParam
	restapi.IfMatch
	Body struct {
		On    *string  `json:"on,omitempty" maxLength:"10" doc:"2006-01-02"`
		Value *float64 `json:"value,omitempty"`
		Note  *string  `json:"note,omitempty" maxLength:"1000"`
	}
}

type valueListIn struct {
	restapi.PageParams
	ObjectiveID int64  `query:"objective_id" minimum:"0" doc:"Only this objective's values."`
	From        string `query:"from" maxLength:"10" doc:"Only values measured on or after this day (2006-01-02)."`
	To          string `query:"to" maxLength:"10" doc:"Only values measured on or before this day (2006-01-02)."`
}

// withObjective is a value with its objective, to say whether it meets
// the target.
type withObjective struct {
	sms.ObjectiveValue
	objective sms.Objective
}

// registerObjectives adds the objectives' and their values' operations.
func registerObjectives(api *restapi.API, c *smsapp.Catalogue) {
	k := sms.ObjectiveKind
	restapi.RegisterList(api, k, "Each with its latest value and whether that meets the target.",
		func(ctx context.Context, actor access.Actor, in *objectiveListIn) ([]measured, string, error) {
			os, next, err := c.ListObjectives(ctx, actor, store.ObjectiveFilter{Query: in.Q, OwnerID: in.OwnerID, Standing: in.Standing, Cursor: in.Cursor, Limit: in.Limit})
			if err != nil {
				return nil, "", err
			}
			ids := make([]int64, len(os))
			for i, o := range os {
				ids[i] = o.ID
			}
			latest, err := c.LatestValues(ctx, actor, ids)
			out := make([]measured, len(os))
			for i, o := range os {
				out[i] = measured{Objective: o}
				if l, ok := latest[o.ID]; ok {
					out[i].latest = &l
				}
			}
			return out, next, err
		}, objectiveOut)
	restapi.RegisterCreate(api, k, "", func(ctx context.Context, actor access.Actor, in *objectiveCreateIn) (measured, error) {
		b := in.Body
		o, err := c.CreateObjective(ctx, actor, sms.ObjectiveInput{Statement: b.Statement, OwnerID: b.OwnerID, Measure: b.Measure, Unit: b.Unit,
			Target: b.Target, Direction: b.Direction, Frequency: b.Frequency, Source: b.Source, Notes: b.Notes})
		return measured{Objective: o}, err
	}, objectiveOut)
	restapi.RegisterGet(api, k, func(ctx context.Context, actor access.Actor, id int64) (measured, error) {
		o, err := c.GetObjective(ctx, actor, id)
		if err != nil {
			return measured{}, err
		}
		vs, err := c.ValuesOf(ctx, actor, id)
		m := measured{Objective: o, values: vs}
		if len(vs) > 0 {
			m.latest = &vs[len(vs)-1]
		}
		return m, err
	}, func(m measured) ObjectiveDetail {
		out := ObjectiveDetail{Objective: objectiveOut(m), Values: make([]ObjectiveValue, 0, len(m.values))}
		for _, v := range m.values {
			out.Values = append(out.Values, valueOut(m.Objective, v))
		}
		return out
	})
	restapi.RegisterUpdate(api, k, "", func(ctx context.Context, actor access.Actor, in *objectivePatchIn, version int64) (measured, error) {
		b := in.Body
		o, err := c.UpdateObjective(ctx, actor, in.ID, version, sms.ObjectiveUpdate{Statement: b.Statement, OwnerID: b.OwnerID, Measure: b.Measure,
			Unit: b.Unit, Target: b.Target, Direction: b.Direction, Frequency: b.Frequency, Source: b.Source, Notes: b.Notes})
		if err != nil {
			return measured{}, err
		}
		latest, err := c.LatestValues(ctx, actor, []int64{o.ID})
		m := measured{Objective: o}
		if l, ok := latest[o.ID]; ok {
			m.latest = &l
		}
		return m, err
	}, objectiveOut)
	restapi.RegisterDelete(api, k, "", "Deletes its values with it. An objective a process names as a KPI is refused (409), naming the processes.", c.DeleteObjective)
	api.RegisterHistory(k)

	vk := sms.ObjectiveValueKind
	withIt := func(ctx context.Context, actor access.Actor, v sms.ObjectiveValue, err error) (withObjective, error) {
		if err != nil {
			return withObjective{ObjectiveValue: v}, err
		}
		o, err := c.GetObjective(ctx, actor, v.ObjectiveID)
		return withObjective{ObjectiveValue: v, objective: o}, err
	}
	out := func(w withObjective) ObjectiveValue { return valueOut(w.objective, w.ObjectiveValue) }
	restapi.RegisterList(api, vk, "Values in id order.", func(ctx context.Context, actor access.Actor, in *valueListIn) ([]withObjective, string, error) {
		vs, next, err := c.ListObjectiveValues(ctx, actor, store.ObjectiveValueFilter{ObjectiveID: in.ObjectiveID, From: in.From, To: in.To, Cursor: in.Cursor, Limit: in.Limit})
		if err != nil {
			return nil, "", err
		}
		objs := map[int64]sms.Objective{}
		res := make([]withObjective, len(vs))
		for i, v := range vs {
			o, ok := objs[v.ObjectiveID]
			if !ok {
				if o, err = c.GetObjective(ctx, actor, v.ObjectiveID); err != nil {
					return nil, "", err
				}
				objs[o.ID] = o
			}
			res[i] = withObjective{ObjectiveValue: v, objective: o}
		}
		return res, next, nil
	}, out)
	restapi.RegisterCreate(api, vk, "Records a value measured for an objective; a second value for the same day is refused on on (change the first).",
		func(ctx context.Context, actor access.Actor, in *valueCreateIn) (withObjective, error) {
			b := in.Body
			v, err := c.RecordValue(ctx, actor, sms.ValueInput{ObjectiveID: b.ObjectiveID, On: b.On, Value: b.Value, Note: b.Note})
			return withIt(ctx, actor, v, err)
		}, out)
	restapi.RegisterGet(api, vk, func(ctx context.Context, actor access.Actor, id int64) (withObjective, error) {
		v, err := c.GetObjectiveValue(ctx, actor, id)
		return withIt(ctx, actor, v, err)
	}, out)
	restapi.RegisterUpdate(api, vk, "Its objective never changes.", func(ctx context.Context, actor access.Actor, in *valuePatchIn, version int64) (withObjective, error) {
		b := in.Body
		v, err := c.UpdateObjectiveValue(ctx, actor, in.ID, version, sms.ValueUpdate{On: b.On, Value: b.Value, Note: b.Note})
		return withIt(ctx, actor, v, err)
	}, out)
	restapi.RegisterDelete(api, vk, "", "", c.DeleteObjectiveValue)
	api.RegisterHistory(vk)
}
