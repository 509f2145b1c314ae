package bench

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/conform-itsm/conform/internal/store"
)

// The bare server is the ceiling the real one is measured against: the same
// SQLite driver, pragmas and pools (it opens the database through the store),
// but one table, plain net/http, no authentication, no audit trail and no
// middleware.

const bareSchema = `CREATE TABLE IF NOT EXISTS bench_items (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	name TEXT NOT NULL,
	created_at TIMESTAMP NOT NULL
)`

type bareItem struct {
	ID        int64     `json:"id"`
	Name      string    `json:"name"`
	CreatedAt time.Time `json:"created_at"`
}

// BareHandler serves POST /items (insert one row, 201) and GET /items/{id}
// (read one row, 200) on the write and read pools given.
func BareHandler(write, read *sql.DB) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /items", func(w http.ResponseWriter, r *http.Request) {
		var in struct {
			Name string `json:"name"`
		}
		if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 64<<10)).Decode(&in); err != nil || in.Name == "" {
			http.Error(w, "want {\"name\": \"...\"}", http.StatusBadRequest)
			return
		}
		it := bareItem{Name: in.Name, CreatedAt: time.Now().UTC()}
		err := write.QueryRowContext(r.Context(), "INSERT INTO bench_items (name, created_at) VALUES (?, ?) RETURNING id", it.Name, it.CreatedAt).Scan(&it.ID)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		writeJSON(w, http.StatusCreated, it)
	})
	mux.HandleFunc("GET /items/{id}", func(w http.ResponseWriter, r *http.Request) {
		id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
		if err != nil {
			http.Error(w, "bad id", http.StatusBadRequest)
			return
		}
		it := bareItem{}
		err = read.QueryRowContext(r.Context(), "SELECT id, name, created_at FROM bench_items WHERE id = ?", id).Scan(&it.ID, &it.Name, &it.CreatedAt)
		if errors.Is(err, sql.ErrNoRows) {
			http.NotFound(w, r)
			return
		}
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		writeJSON(w, http.StatusOK, it)
	})
	return mux
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// ServeBare runs the bare server on addr with its database in dataDir until
// ctx ends. Like conform serve, it prints "listening on http://ADDR" to
// stdout once it accepts connections.
func ServeBare(ctx context.Context, dataDir, addr string, stdout io.Writer) error {
	db, err := store.Open(ctx, store.Config{DataDir: dataDir})
	if err != nil {
		return err
	}
	defer db.Close()
	write, read := db.Pools()
	if _, err := write.ExecContext(ctx, bareSchema); err != nil {
		return fmt.Errorf("create bench table: %w", err)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", addr, err)
	}
	srv := &http.Server{Handler: BareHandler(write, read), ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 120 * time.Second}
	fmt.Fprintf(stdout, "listening on http://%s\n", ln.Addr())
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return err
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
