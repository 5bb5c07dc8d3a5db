package queues

import (
	"testing"

	"github.com/kefuboard/kefuboard/internal/kpi"
)

func TestCaseClock(t *testing.T) {
	review, _ := kpi.ParseDay("2026-11-01")
	dl := Deadline(review, 30)
	if dl.String() != "2026-11-30" {
		t.Fatalf("deadline %s, want 2026-11-30 (day 30 counting the review's day as day 1)", dl)
	}
	for _, tc := range []struct {
		asOf string
		left int
		urg  string
	}{
		{"2026-11-01", 29, Open},
		{"2026-11-26", 4, Open},
		{"2026-11-27", 3, Due},
		{"2026-11-30", 0, Due},
		{"2026-12-01", -1, Overdue},
	} {
		d, _ := kpi.ParseDay(tc.asOf)
		left := DaysLeft(dl, d)
		if left != tc.left || Urgency(left, true) != tc.urg {
			t.Errorf("as of %s: days left %d urgency %q, want %d %q", tc.asOf, left, Urgency(left, true), tc.left, tc.urg)
		}
		if Urgency(left, false) != "" {
			t.Errorf("a closed case has an urgency")
		}
	}
	if !IsCase(3) || IsCase(4) || !IsCase(1) || IsCase(0) {
		t.Error("IsCase: 1–3 are cases, 4 and 0 are not")
	}
}

func TestCheckStep(t *testing.T) {
	for _, tc := range []struct {
		from string
		step Step
		ok   bool
	}{
		{StateNew, Step{State: StateContacted}, true},
		{StateNew, Step{State: StateExplained}, true}, // explaining without reaching the buyer
		{StateContacted, Step{State: StateCompensated, CompensationFen: 500}, true},
		{StateContacted, Step{State: StateCompensated}, false}, // no amount
		{StateContacted, Step{State: StateNoAnswer}, false},    // no retry day
		{StateContacted, Step{State: StateNoAnswer, RetryDay: 20000}, true},
		{StateNoAnswer, Step{State: StateContacted}, true}, // the retry
		{StateDeclined, Step{State: StateModified}, true},  // an outcome revised
		{StateExplained, Step{State: StateContacted}, false},
		{StateClosed, Step{State: StateExplained}, false},
		{StateNew, Step{State: StateNew}, false},
		{StateNew, Step{State: "bogus"}, false},
		{StateExplained, Step{State: StateClosed}, true},
	} {
		err := CheckStep(tc.from, tc.step)
		if (err == nil) != tc.ok {
			t.Errorf("%s → %s: err %v, want ok=%v", tc.from, tc.step.State, err, tc.ok)
		}
	}
	if !IsContact(StateNoAnswer) || IsContact(StateExplained) || IsContact(StateNew) {
		t.Error("IsContact")
	}
}
