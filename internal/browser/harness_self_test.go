package browser

import (
	"strings"
	"testing"
	"time"
)

// TestBrowserHarness checks the checks: a console error, an uncaught
// exception and an undrawn chart are all caught, so a green run means
// something.
func TestBrowserHarness(t *testing.T) {
	e := newEnv(t)
	b := e.newTab()
	b.open("/login")
	_ = eval[bool](b, `(() => {
  console.error('planted error');
  setTimeout(() => { throw new Error('planted exception'); }, 0);
  const d = document.createElement('div');
  d.setAttribute('data-echarts', '{"xAxis":{"type":"category","data":["a","b"]},"yAxis":{},"series":[{"type":"bar","data":[1,2]}]}');
  d.style.cssText = 'width:300px;height:200px';
  d.id = 'planted-chart';
  document.body.appendChild(d);
  return true;
})()`)
	time.Sleep(200 * time.Millisecond)
	_ = eval[bool](b, `true`)
	got := strings.Join(b.takeProblems(), "\n")
	for _, want := range []string{"planted error", "planted exception"} {
		if !strings.Contains(got, want) {
			t.Errorf("the console listener missed %q; it recorded:\n%s", want, got)
		}
	}
	if bad := eval[[]string](b, chartsJS); len(bad) != 1 || !strings.Contains(bad[0], "planted-chart") {
		t.Errorf("the chart check missed an undrawn chart: %v", bad)
	}
	// app.js draws it on request; then it passes.
	_ = eval[bool](b, `window.kefuboard.drawCharts(document), true`)
	if bad := eval[[]string](b, chartsJS); len(bad) != 0 {
		t.Errorf("a drawn chart fails the check: %v", bad)
	}
	b.cjkFont("login page", "h1")
}
