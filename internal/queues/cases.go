// Package queues holds the rules of the work queues (QUEUES.md): who is in
// the bad-review follow-up queue and when each case is due, which orders are
// review-invitation candidates, and the case workflow. The rules are pure
// functions over rows the store loads, so that tests state each edge.
package queues

import (
	"fmt"

	"github.com/kefuboard/kefuboard/internal/kpi"
)

// DefaultCaseWindow is the days a 中差评 can be modified and must be
// explained by (seed 001, Taobao: one month); per platform in settings.
const DefaultCaseWindow = 30

// MaxCaseRating is the highest rating that makes a review a case (中评 and 差评).
const MaxCaseRating = 3

// IsCase reports whether a review with this rating is a case.
func IsCase(rating int) bool { return rating >= 1 && rating <= MaxCaseRating }

// Deadline is day W of a case whose review is of day reviewDay (day 1):
// reviewDay + W − 1. The buyer can modify, and the shop can explain, up to
// the end of that day.
func Deadline(reviewDay kpi.Day, window int) kpi.Day {
	return reviewDay + kpi.Day(window) - 1
}

// DaysLeft is deadline − as-of in days: 0 on the deadline day, negative after.
func DaysLeft(deadline, asOf kpi.Day) int { return int(deadline - asOf) }

// Urgencies of an open case.
const (
	Overdue = "overdue" // past the deadline
	Due     = "due"     // 0–3 days left
	Open    = "open"    // more time
)

// DueWithin is the last days_left that still counts as due.
const DueWithin = 3

// Urgency is an open case's urgency; "" for a closed case.
func Urgency(daysLeft int, open bool) string {
	switch {
	case !open:
		return ""
	case daysLeft < 0:
		return Overdue
	case daysLeft <= DueWithin:
		return Due
	}
	return Open
}

// Case states (QUEUES.md §1): new → contacted → an outcome → explained →
// closed. Modified is also where the data closes a case by itself.
const (
	StateNew         = "new"
	StateContacted   = "contacted"
	StateModified    = "modified"
	StateCompensated = "compensated"
	StateDeclined    = "declined"
	StateNoAnswer    = "no_answer"
	StateExplained   = "explained"
	StateClosed      = "closed"
)

// States in workflow order, with their Chinese labels.
var States = []struct{ Key, Label string }{
	{StateNew, "新案件"},
	{StateContacted, "已联系"},
	{StateModified, "已改评"},
	{StateCompensated, "已补偿"},
	{StateDeclined, "买家拒绝"},
	{StateNoAnswer, "未接通"},
	{StateExplained, "已解释"},
	{StateClosed, "已结案"},
}

// StateLabel is a state's Chinese label (the key itself when unknown).
func StateLabel(s string) string {
	for _, st := range States {
		if st.Key == s {
			return st.Label
		}
	}
	return s
}

// stage orders the states: an outcome is one stage whatever it is.
func stage(s string) int {
	switch s {
	case StateNew:
		return 0
	case StateContacted:
		return 1
	case StateModified, StateCompensated, StateDeclined, StateNoAnswer:
		return 2
	case StateExplained:
		return 3
	case StateClosed:
		return 4
	}
	return -1
}

// Step is one workflow step a person records.
type Step struct {
	State           string
	CompensationFen int64   // compensated: the amount
	RetryDay        kpi.Day // no_answer: when to try again
	Note            string
}

// CheckStep says whether a case in state from may take step s. Steps go
// forward (an outcome may be revised, and no_answer may go back to
// contacted for the retry); a closed case takes no step; compensated needs
// an amount and no_answer a retry day.
func CheckStep(from string, s Step) error {
	to := stage(s.State)
	if to < 0 || s.State == StateNew {
		return fmt.Errorf("未知的处理步骤：%s", s.State)
	}
	if from == StateClosed {
		return fmt.Errorf("案件已结案")
	}
	back := from == StateNoAnswer && s.State == StateContacted
	if to < stage(from) && !back {
		return fmt.Errorf("不能从「%s」回到「%s」", StateLabel(from), StateLabel(s.State))
	}
	if s.State == StateCompensated && s.CompensationFen <= 0 {
		return fmt.Errorf("补偿要填写金额")
	}
	if s.State == StateNoAnswer && s.RetryDay == 0 {
		return fmt.Errorf("未接通要填写下次联系的日期")
	}
	return nil
}

// IsContact says whether a step to this state records a contact with the
// buyer (for the contacted share and the time to first contact): contacted
// or an outcome — no_answer included, a call made is a contact attempt.
// explained (a public reply) and closed are not.
func IsContact(state string) bool { s := stage(state); return s == 1 || s == 2 }

// IsOutcome says whether a step to this state records the outcome of the
// contact (modified, compensated, declined, no_answer): the case keeps its
// last one after it is explained and closed.
func IsOutcome(state string) bool { return stage(state) == 2 }
