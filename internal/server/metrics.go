package server

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/conform-itsm/conform/internal/store"
)

// metrics are the Prometheus series the server exports at /metrics.
type metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	inflight prometheus.Gauge
}

func newMetrics(db *store.DB) *metrics {
	reg := prometheus.NewRegistry()
	m := &metrics{
		reg: reg,
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "conform_http_requests_total", Help: "HTTP requests by route pattern, method and status code.",
		}, []string{"route", "method", "code"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "conform_http_request_duration_seconds", Help: "HTTP request latency by route pattern.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5},
		}, []string{"route", "method"}),
		inflight: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "conform_http_requests_in_flight", Help: "HTTP requests being served.",
		}),
	}
	w, r := db.Pools()
	reg.MustRegister(m.requests, m.latency, m.inflight,
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		collectors.NewDBStatsCollector(w, "write"),
		&jobCollector{db: db},
	)
	if r != w {
		reg.MustRegister(collectors.NewDBStatsCollector(r, "read"))
	}
	return m
}

// jobCollector reports the job queue by state and the write batching when scraped.
type jobCollector struct{ db *store.DB }

var (
	jobsDesc    = prometheus.NewDesc("conform_jobs", "Background jobs by state.", []string{"state"}, nil)
	batchesDesc = prometheus.NewDesc("conform_db_write_transactions_total", "Grouped write transactions run (group commit: every write on SQLite, creates on PostgreSQL).", nil, nil)
	unitsDesc   = prometheus.NewDesc("conform_db_write_units_total", "Units of write work those transactions held.", nil, nil)
)

func (c *jobCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- jobsDesc
	ch <- batchesDesc
	ch <- unitsDesc
}

func (c *jobCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	counts, err := c.db.JobCounts(ctx)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(jobsDesc, err)
		return
	}
	for state, n := range counts {
		ch <- prometheus.MustNewConstMetric(jobsDesc, prometheus.GaugeValue, float64(n), state)
	}
	batches, units := c.db.WriteBatches()
	ch <- prometheus.MustNewConstMetric(batchesDesc, prometheus.CounterValue, float64(batches))
	ch <- prometheus.MustNewConstMetric(unitsDesc, prometheus.CounterValue, float64(units))
}
