package ui

import "testing"

// The chart's points and target fall inside the plotting box, higher
// values higher up; the y labels span them; the last x label ends at its
// point so that it stays inside.
func TestChartPlot(t *testing.T) {
	c := Chart{Points: []ChartPoint{{Label: "2026-01", Value: 91}, {Label: "2026-02", Value: 96.5}, {Label: "2026-03", Value: 94, Miss: true}},
		Target: 95, HasTarget: true}
	for _, p := range []Plot{c.Wide(), c.Narrow()} {
		if len(p.Dots) != 3 {
			t.Fatalf("%d dots, want 3", len(p.Dots))
		}
		for _, d := range p.Dots {
			if d.X < float64(p.Left) || d.X > float64(p.Right) || d.Y < float64(p.Top) || d.Y > float64(p.Bottom) {
				t.Errorf("dot %+v outside the box %d-%d × %d-%d", d, p.Left, p.Right, p.Top, p.Bottom)
			}
		}
		if !(p.Dots[1].Y < p.Dots[2].Y && p.Dots[2].Y < p.Dots[0].Y) {
			t.Errorf("dots %+v: want 96.5 above 94 above 91", p.Dots)
		}
		if !(p.TargetY < p.Dots[2].Y && p.TargetY > p.Dots[1].Y) {
			t.Errorf("target at %g, want between 96.5 (%g) and 94 (%g)", p.TargetY, p.Dots[1].Y, p.Dots[2].Y)
		}
		if !p.Dots[2].Miss || p.Dots[2].Title != "2026-03: " {
			t.Errorf("the third dot %+v, want it marked as a miss and titled with its day", p.Dots[2])
		}
		first, last := p.YTicks[0], p.YTicks[len(p.YTicks)-1]
		if first.Text != "90" || last.Text != "98" {
			t.Errorf("y labels from %s to %s, want 90 to 98 in steps that span the values", first.Text, last.Text)
		}
		if x := p.XTicks[len(p.XTicks)-1]; x.Anchor != "end" || x.Text != "2026-03" {
			t.Errorf("last x label %+v, want 2026-03 ending at its point", x)
		}
	}
	if p := (Chart{}).Wide(); len(p.Dots) != 0 || p.Line != "" {
		t.Errorf("an empty chart: %+v", p)
	}
	one := Chart{Points: []ChartPoint{{Label: "2026-01", Value: 5}}}.Wide()
	if len(one.YTicks) < 2 || one.Dots[0].X != float64(one.Left+one.Right)/2 {
		t.Errorf("one value: %+v, want it centred on a scale around it", one)
	}
}
