package kpi

import "testing"

// The count rules: more items of the category than the threshold on a day
// is a breach; exactly the threshold is not; a switched-off rule and the
// other rule types are not count rules.
func TestCheckCounts(t *testing.T) {
	rules := RulesFor("pdd", DefaultRules())
	day, _ := ParseDay("2026-11-10")
	got := CheckCounts(rules, day, map[string]int{"abuse": 1, "over_promise": 5})
	if len(got) != 1 || got[0].Rule != "pdd_abuse" || got[0].Value != 1 || got[0].Threshold != 0 || got[0].Day != "2026-11-10" {
		t.Fatalf("one abusive line: %+v", got)
	}
	for i := range rules {
		if rules[i].ID == "off_platform" {
			rules[i].Threshold = 2
		}
		if rules[i].ID == "pdd_abuse" {
			rules[i].Enabled = false
		}
	}
	if got := CheckCounts(rules, day, map[string]int{"abuse": 3, "off_platform": 2}); len(got) != 0 {
		t.Errorf("abuse off, off_platform at its threshold: %+v", got)
	}
	if got := CheckCounts(rules, day, map[string]int{"off_platform": 3}); len(got) != 1 || got[0].Rule != "off_platform" {
		t.Errorf("off_platform over its threshold: %+v", got)
	}
	if got := CheckCounts(RulesFor("taobao", DefaultRules()), day, map[string]int{"abuse": 9}); len(got) != 0 {
		t.Errorf("the abuse rule is PDD's: %+v", got)
	}
}
