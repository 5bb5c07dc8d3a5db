package browser

import (
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/kefuboard/kefuboard/internal/demoshop"
)

// The league page's table; its sortable column headers are links.
const leagueTable = `table[data-testid="league-table"]`

// TestBrowserLeagueSort clicks the league table's column headers and checks
// that the order of the agents changes (the demo agents differ on every
// metric, so some column must reorder them).
func TestBrowserLeagueSort(t *testing.T) {
	e := newEnv(t)
	b := e.newTab()
	b.login(demoshop.OwnerUser)
	if !b.visit("/league") {
		t.FailNow()
	}
	if b.count(leagueTable) != 1 {
		t.Fatalf("no %s on /league", leagueTable)
	}
	links := b.count(leagueTable + ` thead a`)
	if links == 0 {
		t.Fatalf("the league table has no sortable column (no link in thead)")
	}
	before := b.leagueRows()
	if len(before) < 2 {
		t.Fatalf("league rows %v: want the demo's agents", before)
	}
	for i := 0; i < links; i++ {
		header := b.clickLeagueHeader(i)
		after := b.leagueRows()
		if !sameSet(before, after) {
			t.Fatalf("sorting by %q changed the rows: %v → %v", header, before, after)
		}
		if !slices.Equal(before, after) {
			t.Logf("sorted by %q: %v → %v", header, before, after)
			b.noProblems("league sort")
			return
		}
	}
	t.Errorf("no column header changed the order of %v", before)
}

// leagueRows is the first cell of each body row: the agents in table order.
func (b *tab) leagueRows() []string {
	b.t.Helper()
	return eval[[]string](b, `Array.from(document.querySelectorAll('`+leagueTable+` tbody tr')).map(r => r.cells[0] ? r.cells[0].innerText.trim() : '')`)
}

// clickLeagueHeader clicks the i-th header link and waits for the new table,
// whether the link loads a page or htmx swaps the table in place.
func (b *tab) clickLeagueHeader(i int) string {
	b.t.Helper()
	sel := leagueTable + ` thead a`
	header := eval[string](b, `(() => { const t = document.querySelector('`+leagueTable+`'); t.dataset.stale = '1';
  return document.querySelectorAll('`+sel+`')[`+strconv.Itoa(i)+`].innerText.trim(); })()`)
	if err := chromedp.Do(b.ctx, chromedp.Evaluate[chromedp.Void](`document.querySelectorAll('`+sel+`')[`+strconv.Itoa(i)+`].click()`)); err != nil {
		b.t.Fatalf("click header %q: %v", header, err)
	}
	// A query waits through a page load, so this works for a link and for an htmx swap.
	err := chromedp.Do(b.ctx, chromedp.WaitReady(chromedp.CSS(leagueTable+`:not([data-stale]) tbody tr`)))
	if err != nil {
		b.t.Fatalf("after clicking %q: no new league table: %v", header, err)
	}
	_ = eval[chromedp.Void](b, `0`)
	b.chartsReady("league after sort")
	return strings.TrimSpace(header)
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}
