package restapi

import (
	"context"
	"encoding/json"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/app"
	"github.com/conform-itsm/conform/internal/audit"
	"github.com/conform-itsm/conform/internal/store"
)

// Change is one field before and after.
type Change struct {
	Field  string     `json:"field"`
	Before AuditValue `json:"before" doc:"null on create"`
	After  AuditValue `json:"after" doc:"null on delete"`
}

// AuditValue is a field's value before or after a change, as the record's
// JSON holds it: a string, number, boolean, list, object, or null.
type AuditValue json.RawMessage

// MarshalJSON writes the value as it was recorded (null when there is
// none).
func (v AuditValue) MarshalJSON() ([]byte, error) {
	if len(v) == 0 {
		return []byte("null"), nil
	}
	return v, nil
}

// Schema declares every type the value may have, with null, explicitly
// rather than as an empty schema: OpenAPI 3.0 tools (code generators,
// validators) read an empty schema as "not null", and generate no type
// for it. Null rides on the string alternative, which both 3.1 (type
// [string, null]) and 3.0 (nullable) understand.
func (AuditValue) Schema(huma.Registry) *huma.Schema {
	return &huma.Schema{
		Description: "The field's value: a string, number, boolean, list, object, or null.",
		AnyOf: []*huma.Schema{
			{Type: huma.TypeString, Nullable: true},
			{Type: huma.TypeNumber},
			{Type: huma.TypeBoolean},
			{Type: huma.TypeArray, Items: &huma.Schema{}},
			{Type: huma.TypeObject, AdditionalProperties: true},
		},
	}
}

// AuditEntry is one line of the hash-chained audit trail.
type AuditEntry struct {
	Seq       int64     `json:"seq" doc:"Position in the chain, from 1 without gaps."`
	At        time.Time `json:"at"`
	ActorID   int64     `json:"actor_id" doc:"0 for the system or the command line."`
	ActorName string    `json:"actor_name"`
	Via       string    `json:"via" doc:"session, token, cli or system"`
	Entity    string    `json:"entity"`
	EntityID  int64     `json:"entity_id"`
	Action    string    `json:"action" enum:"create,update,delete"`
	Changes   []Change  `json:"changes" nullable:"false"`
	PrevHash  string    `json:"prev_hash"`
	Hash      string    `json:"hash" doc:"SHA-256 over this entry's content and prev_hash."`
}

func entryOut(e audit.Entry) AuditEntry {
	cs := make([]Change, len(e.Changes))
	for i, c := range e.Changes {
		cs[i] = Change{Field: c.Field, Before: AuditValue(c.Before), After: AuditValue(c.After)}
	}
	return AuditEntry{Seq: e.Seq, At: e.At, ActorID: e.ActorID, ActorName: e.ActorName, Via: e.Via, Entity: e.Entity, EntityID: e.EntityID,
		Action: string(e.Action), Changes: cs, PrevHash: e.PrevHash, Hash: e.Hash}
}

type auditListIn struct {
	PageParams
	Entity   string    `query:"entity" maxLength:"50" doc:"Kind of record: user, team, organisation, token, session."`
	EntityID int64     `query:"entity_id" minimum:"0"`
	ActorID  int64     `query:"actor_id" minimum:"0"`
	Action   string    `query:"action" enum:"create,update,delete,"`
	From     time.Time `query:"from" doc:"Entries at or after this time (RFC 3339)."`
	To       time.Time `query:"to" doc:"Entries before this time (RFC 3339)."`
}

// Verification is the result of walking the chain.
type Verification struct {
	Valid       bool   `json:"valid"`
	Entries     int64  `json:"entries" doc:"Entries checked before the first problem, or all of them."`
	HeadSeq     int64  `json:"head_seq" doc:"The newest sequence number recorded."`
	ProblemSeq  int64  `json:"problem_seq,omitempty" doc:"The first entry that was altered or removed."`
	ProblemText string `json:"problem,omitempty"`
	// Checkpoints holds the trail to what was signed outside the database.
	Checkpoints CheckpointState `json:"checkpoints"`
}

// CheckpointState is the public key that checks the signed checkpoints of
// the chain head, and the latest checkpoint, for an auditor to keep.
type CheckpointState struct {
	Enabled       bool             `json:"enabled" doc:"Whether this installation signs checkpoints (it has a signing key)."`
	PublicKey     string           `json:"public_key,omitempty" doc:"The Ed25519 public key that checks every checkpoint, as ed25519:<base64>. Keep a copy outside Conform."`
	PublicKeyPEM  string           `json:"public_key_pem,omitempty" doc:"The same key as a PEM PUBLIC KEY block, for openssl."`
	Latest        *AuditCheckpoint `json:"latest,omitempty" doc:"The newest checkpoint signed; absent before the first."`
	LatestHolds   bool             `json:"latest_holds" doc:"Whether the trail still holds the entry the latest checkpoint signed, with the same hash, and its signature checks with public_key."`
	LatestProblem string           `json:"latest_problem,omitempty" doc:"Why the latest checkpoint does not hold."`
}

// AuditCheckpoint is one signed checkpoint, as written to the checkpoint log.
type AuditCheckpoint struct {
	Seq       int64     `json:"seq" doc:"The newest entry when it was signed."`
	Hash      string    `json:"hash" doc:"That entry's hash."`
	At        time.Time `json:"at" doc:"When it was signed."`
	Key       string    `json:"key" doc:"The public key that signed it."`
	Signature string    `json:"sig" doc:"Base64 Ed25519 signature of the text \"conform audit checkpoint\\nseq <seq>\\nhash <hash>\\nat <at>\\n\"."`
}

func checkpointState(st app.CheckpointStatus) CheckpointState {
	out := CheckpointState{Enabled: st.Enabled, PublicKey: st.PublicKey, PublicKeyPEM: st.PublicKeyPEM, LatestProblem: st.LatestProblem}
	if c := st.Latest; c != nil {
		out.Latest = &AuditCheckpoint{Seq: c.Seq, Hash: c.Hash, At: c.At, Key: c.Key, Signature: c.Signature}
		out.LatestHolds = st.LatestProblem == ""
	}
	return out
}

func (api *API) registerAudit() {
	Register(api, access.AuditRead, huma.Operation{OperationID: "list-audit", Method: http.MethodGet, Path: "/api/v1/audit", Tags: []string{"Audit trail"},
		Summary: "Browse the audit trail", Description: "Newest first."},
		func(ctx context.Context, actor access.Actor, in *auditListIn) (*ListOutput[AuditEntry], error) {
			f := store.AuditFilter{Entity: in.Entity, EntityID: in.EntityID, ActorID: in.ActorID, Action: audit.Action(in.Action), Cursor: in.Cursor, Limit: in.Limit}
			if !in.From.IsZero() {
				f.From = &in.From
			}
			if !in.To.IsZero() {
				f.To = &in.To
			}
			es, next, err := api.app.ListAudit(ctx, actor, f)
			if err != nil {
				return nil, err
			}
			return listOutput("/api/v1/audit", mapSlice(es, entryOut), next), nil
		})
	Register(api, access.AuditRead, huma.Operation{OperationID: "get-audit-entry", Method: http.MethodGet, Path: "/api/v1/audit/{seq}", Tags: []string{"Audit trail"},
		Summary: "Read an audit entry", Description: "One entry of the trail with its previous hash and hash."},
		func(ctx context.Context, actor access.Actor, in *struct {
			Seq int64 `path:"seq" minimum:"1" doc:"The entry's sequence number."`
		}) (*struct{ Body AuditEntry }, error) {
			e, err := api.app.GetAuditEntry(ctx, actor, in.Seq)
			if err != nil {
				return nil, err
			}
			return &struct{ Body AuditEntry }{entryOut(e)}, nil
		})
	Register(api, access.AuditVerify, huma.Operation{OperationID: "verify-audit", Method: http.MethodGet, Path: "/api/v1/audit/verify", Tags: []string{"Audit trail"},
		Summary: "Verify the audit trail", Description: "Walks the whole hash chain and names the first entry that was altered or removed. " +
			"Also gives the public key of the signed checkpoints and the latest checkpoint held to the trail: keep copies of both, and of the checkpoint log, " +
			"to show later with `conform audit verify --checkpoints` that the trail was not rewritten, cut short or rolled back."},
		func(ctx context.Context, actor access.Actor, _ *struct{}) (*struct{ Body Verification }, error) {
			res, err := api.app.VerifyAudit(ctx, actor)
			if err != nil {
				return nil, err
			}
			st, err := api.app.CheckpointStatus(ctx, actor)
			if err != nil {
				return nil, err
			}
			v := Verification{Valid: res.Problem == nil, Entries: res.Entries, HeadSeq: res.HeadSeq, Checkpoints: checkpointState(st)}
			if res.Problem != nil {
				v.ProblemSeq, v.ProblemText = res.Problem.Seq, res.Problem.Reason
			}
			return &struct{ Body Verification }{v}, nil
		})
	api.registerSecurityEvents()
}
