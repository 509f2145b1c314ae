package store_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/conform-itsm/conform/internal/account"
	"github.com/conform-itsm/conform/internal/store"
	"github.com/conform-itsm/conform/internal/store/storetest"
)

// TestConcurrentTransactionsStayApart checks that write transactions made
// at the same time (which SQLite commits in groups) keep their own
// outcome: a failing or panicking one leaves nothing behind, the others
// all commit, and the audit chain stays whole.
func TestConcurrentTransactionsStayApart(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		const n = 60
		errsOut := make([]error, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				errsOut[i] = db.InTx(ctx, func(tx *store.Tx) error {
					if _, err := tx.CreateOrganisation(ctx, admin, account.OrganisationInput{Name: fmt.Sprintf("Org %02d", i), Kind: account.Customer}); err != nil {
						return err
					}
					switch i % 3 {
					case 1:
						return errors.New("changed my mind")
					case 2:
						if i%2 == 0 {
							panic("boom")
						}
					}
					return nil
				})
			})
		}
		wg.Wait()
		orgs, _, err := db.ListOrganisations(ctx, store.OrganisationFilter{Limit: 500})
		if err != nil {
			t.Fatal(err)
		}
		have := map[string]bool{}
		for _, o := range orgs {
			have[o.Name] = true
		}
		committed := 0
		for i := range n {
			name := fmt.Sprintf("Org %02d", i)
			failed := i%3 == 1 || (i%3 == 2 && i%2 == 0)
			switch {
			case failed && errsOut[i] == nil:
				t.Errorf("%s: want an error", name)
			case failed && have[name]:
				t.Errorf("%s failed but its row was committed", name)
			case !failed && errsOut[i] != nil:
				t.Errorf("%s: %v", name, errsOut[i])
			case !failed && !have[name]:
				t.Errorf("%s succeeded but is missing", name)
			case !failed:
				committed++
			}
			if i%3 == 2 && i%2 == 0 && (errsOut[i] == nil || !strings.Contains(errsOut[i].Error(), "panic")) {
				t.Errorf("%s: got %v, want the panic reported as an error", name, errsOut[i])
			}
		}
		res, err := db.VerifyAudit(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if res.Problem != nil || res.Entries != int64(committed) {
			t.Errorf("audit chain: %d entries, problem %v; want %d entries and none", res.Entries, res.Problem, committed)
		}
	})
}
