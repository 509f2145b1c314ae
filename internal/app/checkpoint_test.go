package app_test

import (
	"context"
	"crypto/ed25519"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/account"
	"github.com/conform-itsm/conform/internal/app"
	"github.com/conform-itsm/conform/internal/audit"
	"github.com/conform-itsm/conform/internal/store"
	"github.com/conform-itsm/conform/internal/store/storetest"
)

// trail is an App whose audit chain is checkpointed into a log file.
type trail struct {
	app *app.App
	db  *store.DB
	log string
	pub ed25519.PublicKey
	n   int
}

func newTrail(t *testing.T, db *store.DB) *trail {
	t.Helper()
	dir := t.TempDir()
	cfg := app.Config{Checkpoints: app.CheckpointConfig{KeyFile: filepath.Join(dir, "keys", "checkpoint.key"), Log: filepath.Join(dir, "checkpoints.jsonl")}}
	a, err := app.New(context.Background(), db, nil, cfg)
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(cfg.Checkpoints.KeyFile)
	if err != nil {
		t.Fatalf("key file not made on first use: %v", err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("key file mode %v, want 0600", fi.Mode().Perm())
	}
	pub, ok := a.CheckpointPublicKey()
	if !ok {
		t.Fatal("no public key with a key file configured")
	}
	return &trail{app: a, db: db, log: cfg.Checkpoints.Log, pub: pub}
}

// write adds n entries to the trail.
func (tr *trail) write(t *testing.T, n int) {
	t.Helper()
	for range n {
		tr.n++
		if _, err := tr.app.CreateOrganisation(context.Background(), access.CLI, account.OrganisationInput{Name: fmt.Sprintf("Customer %d", tr.n)}); err != nil {
			t.Fatal(err)
		}
	}
}

func (tr *trail) checkpoint(t *testing.T) audit.Checkpoint {
	t.Helper()
	cp, err := tr.app.Checkpoint(context.Background(), access.CLI)
	if err != nil {
		t.Fatal(err)
	}
	return cp
}

// verify holds the trail to the checkpoint log and returns the chain's
// own verdict and each checkpoint's problem.
func (tr *trail) verify(t *testing.T) (*audit.Problem, []audit.CheckpointProblem) {
	t.Helper()
	f, err := os.Open(tr.log)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	lines, err := audit.ReadCheckpoints(f)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := tr.app.VerifyCheckpoints(context.Background(), access.CLI, lines, tr.pub)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Checked != len(lines) {
		t.Errorf("checked %d checkpoints, want %d", rep.Checked, len(lines))
	}
	return rep.Chain.Problem, rep.Problems
}

func (tr *trail) exec(t *testing.T, q string, args ...any) {
	t.Helper()
	w, _ := tr.db.Pools()
	if _, err := w.ExecContext(context.Background(), rebind(tr.db, q), args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

func rebind(db *store.DB, q string) string {
	if db.Engine() != "postgres" {
		return q
	}
	var b strings.Builder
	n := 0
	for _, r := range q {
		if r == '?' {
			n++
			fmt.Fprintf(&b, "$%d", n)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// rewrite alters entry seq and re-hashes the chain from there to the head,
// as someone with write access to the database could: the chain alone
// then verifies.
func (tr *trail) rewrite(t *testing.T, seq int64) {
	t.Helper()
	var entries []audit.Entry
	if err := tr.db.EachAuditEntry(context.Background(), func(e audit.Entry) error { entries = append(entries, e); return nil }); err != nil {
		t.Fatal(err)
	}
	prev, before := audit.Genesis, ""
	for _, e := range entries {
		if e.Seq == seq {
			e.ActorName = "mallory"
		}
		if e.Seq >= seq {
			e.PrevHash = prev
			e.Hash = audit.Hash(prev, e)
			tr.exec(t, "UPDATE audit_log SET actor_name = ?, prev_hash = ?, hash = ? WHERE seq = ?", e.ActorName, e.PrevHash, e.Hash, e.Seq)
		}
		before, prev = prev, e.Hash
	}
	tr.exec(t, "UPDATE audit_head SET hash = ?, prev_hash = ? WHERE id = 1", prev, before)
}

// cut removes every entry after seq and moves the head back to it, which
// is also what restoring a backup taken at seq does to the trail.
func (tr *trail) cut(t *testing.T, seq int64) {
	t.Helper()
	e, err := tr.db.GetAuditEntry(context.Background(), seq)
	if err != nil {
		t.Fatal(err)
	}
	tr.exec(t, "DELETE FROM audit_log WHERE seq > ?", seq)
	tr.exec(t, "UPDATE audit_head SET seq = ?, hash = ?, prev_hash = ? WHERE id = 1", seq, e.Hash, e.PrevHash)
}

func wantOneProblem(t *testing.T, ps []audit.CheckpointProblem, line int, seq int64, words string) {
	t.Helper()
	if len(ps) != 1 {
		t.Fatalf("got %d checkpoint problems %v, want 1 (line %d)", len(ps), ps, line)
	}
	p := ps[0]
	if p.Line != line || p.Seq != seq || !strings.Contains(p.Error(), words) {
		t.Errorf("got problem %q (line %d, entry %d), want line %d, entry %d, saying %q", p.Error(), p.Line, p.Seq, line, seq, words)
	}
	if !strings.Contains(p.Error(), fmt.Sprintf("checkpoint on line %d (entry %d", line, seq)) {
		t.Errorf("problem %q does not name its checkpoint", p.Error())
	}
}

func TestCheckpointsCatchWhatTheChainCannot(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		tr := newTrail(t, db)
		tr.write(t, 5)
		cp1 := tr.checkpoint(t) // line 1
		tr.write(t, 5)
		cp2 := tr.checkpoint(t) // line 2
		if cp1.Seq != 5 || cp2.Seq != 10 {
			t.Fatalf("checkpoints at entries %d and %d, want 5 and 10", cp1.Seq, cp2.Seq)
		}
		if chain, ps := tr.verify(t); chain != nil || len(ps) != 0 {
			t.Fatalf("untouched trail: chain %v, checkpoints %v; want both to hold", chain, ps)
		}

		t.Run("rewritten and re-hashed", func(t *testing.T) {
			tr.rewrite(t, 8)
			chain, ps := tr.verify(t)
			if chain != nil {
				t.Fatalf("the chain alone found %v; the test needs a rewrite it cannot see", chain)
			}
			wantOneProblem(t, ps, 2, 10, "rewritten")
		})
		t.Run("tail removed", func(t *testing.T) {
			tr.cut(t, 7)
			chain, ps := tr.verify(t)
			if chain != nil {
				t.Fatalf("the chain alone found %v; the test needs a cut it cannot see", chain)
			}
			wantOneProblem(t, ps, 2, 10, "ends at entry 7 and no longer holds entry 10")
		})
		t.Run("older backup restored and written to", func(t *testing.T) {
			tr.cut(t, 5) // the trail as a backup taken at the first checkpoint holds it
			tr.write(t, 6)
			chain, ps := tr.verify(t)
			if chain != nil {
				t.Fatalf("the chain alone found %v", chain)
			}
			wantOneProblem(t, ps, 2, 10, "an older backup was restored")
		})
	})
}

func TestCheckpointSignaturesAreChecked(t *testing.T) {
	tr := newTrail(t, storetest.Open(t, storetest.SQLite))
	tr.write(t, 2)
	cp := tr.checkpoint(t)
	ctx := context.Background()
	_, other, err := ed25519.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	forged := cp
	forged.Hash = strings.Repeat("0", 64)
	for _, tc := range []struct {
		name  string
		cp    audit.Checkpoint
		trust ed25519.PublicKey
		want  string
	}{
		{"altered", forged, tr.pub, "signature does not match"},
		{"signed by another key", audit.Sign(other, cp.Seq, cp.Hash, cp.At), tr.pub, "not with the trusted key"},
		{"checked with another key", cp, other.Public().(ed25519.PublicKey), "not with the trusted key"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rep, err := tr.app.VerifyCheckpoints(ctx, access.CLI, []audit.Line{{Number: 3, Checkpoint: tc.cp}}, tc.trust)
			if err != nil {
				t.Fatal(err)
			}
			if len(rep.Problems) != 1 || !strings.Contains(rep.Problems[0].Error(), tc.want) || rep.Problems[0].Line != 3 {
				t.Errorf("got %v, want one problem on line 3 saying %q", rep.Problems, tc.want)
			}
		})
	}
	// Only those who may verify the trail may sign or check checkpoints.
	agent := access.Actor{UserID: 9, Name: "An Agent", Role: access.Agent}
	if _, err := tr.app.Checkpoint(ctx, agent); err == nil {
		t.Error("an agent signed a checkpoint")
	}
	if _, err := tr.app.VerifyCheckpoints(ctx, agent, nil, tr.pub); err == nil {
		t.Error("an agent verified checkpoints")
	}
}

func TestCheckpointStatusShowsTheLatest(t *testing.T) {
	tr := newTrail(t, storetest.Open(t, storetest.SQLite))
	ctx := context.Background()
	st, err := tr.app.CheckpointStatus(ctx, access.CLI)
	if err != nil {
		t.Fatal(err)
	}
	if !st.Enabled || st.PublicKey != audit.PublicKeyText(tr.pub) || st.Latest != nil {
		t.Fatalf("before any checkpoint: %+v, want the key and no checkpoint", st)
	}
	tr.write(t, 3)
	cp := tr.checkpoint(t)
	if st, err = tr.app.CheckpointStatus(ctx, access.CLI); err != nil {
		t.Fatal(err)
	}
	if st.Latest == nil || *st.Latest != cp || st.LatestProblem != "" {
		t.Fatalf("after a checkpoint: %+v, want it, holding", st)
	}
	tr.rewrite(t, 2)
	if st, err = tr.app.CheckpointStatus(ctx, access.CLI); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(st.LatestProblem, "rewritten") {
		t.Errorf("after a rewrite: latest problem %q, want it to say rewritten", st.LatestProblem)
	}
	// Without a key checkpoints are off, and say so.
	plain, err := app.New(ctx, tr.db, nil, app.Config{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := plain.Checkpoint(ctx, access.CLI); err == nil || !strings.Contains(err.Error(), "not set up") {
		t.Errorf("checkpoint without a key: %v, want an error saying they are not set up", err)
	}
}

func TestCheckpointKeyFromTheEnvironment(t *testing.T) {
	db := storetest.Open(t, storetest.SQLite)
	ctx := context.Background()
	_, pemKey, err := audit.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	a, err := app.New(ctx, db, nil, app.Config{Checkpoints: app.CheckpointConfig{Key: string(pemKey), KeyFile: filepath.Join(t.TempDir(), "unused.key")}})
	if err != nil {
		t.Fatal(err)
	}
	want, _ := audit.ParsePrivateKey(string(pemKey))
	if pub, _ := a.CheckpointPublicKey(); !pub.Equal(want.Public()) {
		t.Error("the key given in the environment is not the one used")
	}
	_, err = app.New(ctx, db, nil, app.Config{Checkpoints: app.CheckpointConfig{Key: "not a key"}})
	if err == nil || !strings.Contains(err.Error(), "checkpoint_key") {
		t.Errorf("a bad key: %v, want an error naming checkpoint_key", err)
	}
}
