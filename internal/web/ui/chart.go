package ui

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Chart is a line chart of a measure over time against a target, drawn
// by the server as inline SVG (no script, nothing the Content-Security-
// Policy refuses). The picture is for those who see it; Summary says its
// point in words, and the same figures belong in a table beside it.
type Chart struct {
	Title   string // names the chart: "Trend of OBJ-000001"
	Summary string // its point in words: "Latest 91.5 % on 30 Nov, below the target of 95 %."
	Points  []ChartPoint
	// Target, when HasTarget, is drawn as a dashed line labelled
	// TargetLabel.
	Target      float64
	HasTarget   bool
	TargetLabel string
}

// ChartPoint is one measured value: its day's label (the x axis, in
// order), the value and its text, and whether it misses the target.
type ChartPoint struct {
	Label string
	Value float64
	Text  string
	Miss  bool
}

// Plot is a chart's geometry in SVG units, for the template.
type Plot struct {
	W, H    int
	Line    string // the path through the points
	Dots    []PlotDot
	TargetY float64
	YTicks  []PlotTick
	XTicks  []PlotTick
	Left    int // where the plotting area starts, after the y labels
	Right   int
	Top     int
	Bottom  int
	LabelX  int // where the y labels end
	AxisY   int // the baseline of the x labels
}

// PlotDot is one point, placed.
type PlotDot struct {
	X, Y  float64
	Miss  bool
	Title string
}

// PlotTick is an axis label, placed, and which of its ends is there
// ("start", "middle", "end").
type PlotTick struct {
	At     float64
	Text   string
	Anchor string
}

// Wide places the chart's points in a 640 × 260 box, for a screen from a
// tablet's up.
func (c Chart) Wide() Plot {
	return c.plot(Plot{W: 640, H: 260, Left: 56, Right: 624, Top: 16, Bottom: 224, LabelX: 48, AxisY: 248}, 6)
}

// Narrow places them in a 360 × 260 box with fewer labels, for a phone,
// where the wide one's labels would be too small to read.
func (c Chart) Narrow() Plot {
	return c.plot(Plot{W: 360, H: 260, Left: 44, Right: 352, Top: 16, Bottom: 224, LabelX: 38, AxisY: 248}, 3)
}

// plot places the points in p's box with about labels labels along the
// bottom.
func (c Chart) plot(p Plot, labels int) Plot {
	if len(c.Points) == 0 {
		return p
	}
	lo, hi := c.Points[0].Value, c.Points[0].Value
	for _, pt := range c.Points {
		lo, hi = math.Min(lo, pt.Value), math.Max(hi, pt.Value)
	}
	if c.HasTarget {
		lo, hi = math.Min(lo, c.Target), math.Max(hi, c.Target)
	}
	step := niceStep((hi - lo) / 4)
	lo, hi = math.Floor(lo/step)*step, math.Ceil(hi/step)*step
	if hi == lo {
		lo, hi = lo-step, hi+step
	}
	y := func(v float64) float64 {
		return round1(float64(p.Bottom) - (v-lo)/(hi-lo)*float64(p.Bottom-p.Top))
	}
	decimals := max(0, int(-math.Floor(math.Log10(step))))
	for i := 0; lo+float64(i)*step <= hi+step/2; i++ {
		v := lo + float64(i)*step
		p.YTicks = append(p.YTicks, PlotTick{At: y(v), Text: strconv.FormatFloat(v, 'f', decimals, 64)})
	}
	n := len(c.Points)
	x := func(i int) float64 {
		if n == 1 {
			return float64(p.Left+p.Right) / 2
		}
		return round1(float64(p.Left) + 12 + float64(i)*float64(p.Right-p.Left-24)/float64(n-1))
	}
	var line strings.Builder
	every := max(1, (n+labels-1)/labels)
	for i, pt := range c.Points {
		cmd := "L"
		if i == 0 {
			cmd = "M"
		}
		fmt.Fprintf(&line, "%s%g %g ", cmd, x(i), y(pt.Value))
		p.Dots = append(p.Dots, PlotDot{X: x(i), Y: y(pt.Value), Miss: pt.Miss, Title: pt.Label + ": " + pt.Text})
		if (n-1-i)%every == 0 {
			anchor := "middle"
			if i == n-1 && n > 1 {
				anchor = "end" // the last label ends at its point, inside the box
			}
			p.XTicks = append(p.XTicks, PlotTick{At: x(i), Text: pt.Label, Anchor: anchor})
		}
	}
	p.Line = strings.TrimSpace(line.String())
	if c.HasTarget {
		p.TargetY = y(c.Target)
	}
	return p
}

// niceStep rounds a raw step up to 1, 2 or 5 times a power of ten.
func niceStep(raw float64) float64 {
	if raw <= 0 || math.IsNaN(raw) {
		return 1
	}
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 5, 10} {
		if raw <= m*mag {
			return m * mag
		}
	}
	return 10 * mag
}

func round1(v float64) float64 { return math.Round(v*10) / 10 }
