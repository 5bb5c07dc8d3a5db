package demo

import (
	"regexp"
	"slices"
	"strconv"
	"testing"
	"time"
)

// TestGoodRowsValid holds every row that is not planted to the rules of
// docs/IMPORT-FORMATS.md: known words, parseable times inside the period, sane amounts,
// timelines in order, references that resolve.
func TestGoodRowsValid(t *testing.T) {
	g := standard(t)
	from, to := testEnd.AddDate(0, 0, -29), testEnd.AddDate(0, 0, 1).Add(-time.Second)
	inPeriod := func(file string, row int, s string) time.Time {
		tm, ok := parseLocal(s)
		if !ok || tm.Before(from) || tm.After(to) {
			t.Fatalf("%s row %d: time %q not parseable or outside %v–%v", file, row, s, from, to)
		}
		return tm
	}
	optional := func(file string, row int, s string) time.Time {
		if s == "" {
			return time.Time{}
		}
		return inPeriod(file, row, s)
	}

	rows, nums := goodRows(readTable(t, g.dir, FileMessages), FileMessages, g.man)
	var prev time.Time
	for i, r := range rows {
		role, agent := r[2], r[3]
		if !slices.Contains([]string{"买家", "客服", "机器人"}, role) || (role == "客服") != (agent != "") {
			t.Fatalf("messages row %d: role %q agent %q", nums[i], role, agent)
		}
		if agent != "" && !slices.Contains(agentNames, agent) {
			t.Fatalf("messages row %d: unknown agent %q", nums[i], agent)
		}
		tm := inPeriod(FileMessages, nums[i], r[4])
		if tm.Before(prev) {
			t.Fatalf("messages row %d: %v before the previous row's %v", nums[i], tm, prev)
		}
		prev = tm
		if r[0][1:9] != tm.Format("20060102") || !slices.Contains([]string{"", "售前", "售后"}, r[6]) {
			t.Fatalf("messages row %d: id %s or stage %q", nums[i], r[0], r[6])
		}
	}

	money := regexp.MustCompile(`^(￥\d{1,3}(,\d{3})*|\d+)\.\d{2}$`)
	statuses := []string{"待发货", "已发货", "已签收", "交易成功", "已取消", "交易关闭", "待付款"}
	orders := map[string]time.Time{} // order id → delivered (zero if not)
	rows, nums = goodRows(readTable(t, g.dir, FileOrders), FileOrders, g.man)
	for i, r := range rows {
		created := inPeriod(FileOrders, nums[i], r[2])
		paid, ship, pick, deliv := optional(FileOrders, nums[i], r[3]), optional(FileOrders, nums[i], r[9]),
			optional(FileOrders, nums[i], r[10]), optional(FileOrders, nums[i], r[11])
		steps := []time.Time{created, paid, ship, pick, deliv}
		last := created
		for _, s := range steps[1:] {
			if !s.IsZero() {
				if s.Before(last) {
					t.Fatalf("orders row %d: timeline out of order %v", nums[i], r)
				}
				last = s
			}
		}
		q, err := strconv.Atoi(r[5])
		if !money.MatchString(r[4]) || err != nil || q < 1 || !slices.Contains(statuses, r[6]) {
			t.Fatalf("orders row %d: amount %q quantity %q status %q", nums[i], r[4], r[5], r[6])
		}
		if r[8] != "" && !slices.Contains(agentNames, r[8]) {
			t.Fatalf("orders row %d: unknown agent %q", nums[i], r[8])
		}
		if (r[6] == "已取消" || r[6] == "待付款") && (paid != time.Time{} || ship != time.Time{}) {
			t.Fatalf("orders row %d: %s but paid or shipped", nums[i], r[6])
		}
		orders[r[0]] = deliv
	}

	rows, nums = goodRows(readTable(t, g.dir, FileRefunds), FileRefunds, g.man)
	for i, r := range rows {
		req := inPeriod(FileRefunds, nums[i], r[4])
		done := optional(FileRefunds, nums[i], r[5])
		if !slices.Contains([]string{"仅退款", "退货退款", "换货", "补发"}, r[2]) || r[6] == "" ||
			(!done.IsZero() && done.Before(req)) || !slices.Contains([]string{"是", "否"}, r[8]) ||
			!slices.Contains([]string{"", "商家责任", "买家责任"}, r[9]) {
			t.Fatalf("refunds row %d: %q", nums[i], r)
		}
		if _, ok := orders[r[1]]; !ok {
			t.Fatalf("refunds row %d: unknown order %s", nums[i], r[1])
		}
		if a, err := strconv.ParseFloat(r[7], 64); err != nil || a < 0 {
			t.Fatalf("refunds row %d: amount %q", nums[i], r[7])
		}
	}

	dsr := []string{"", "1", "2", "3", "4", "5"}
	rows, nums = goodRows(readTable(t, g.dir, FileReviews), FileReviews, g.man)
	for i, r := range rows {
		at := inPeriod(FileReviews, nums[i], r[4])
		if !slices.Contains([]string{"1", "2", "3", "4", "5", "好评", "中评", "差评"}, r[3]) ||
			!slices.Contains(dsr, r[7]) || !slices.Contains(dsr, r[8]) || !slices.Contains(dsr, r[9]) {
			t.Fatalf("reviews row %d: %q", nums[i], r)
		}
		if d, ok := orders[r[1]]; !ok || d.IsZero() || d.After(at) {
			t.Fatalf("reviews row %d: order %s not delivered before the review", nums[i], r[1])
		}
	}

	rows, nums = goodRows(readTable(t, g.dir, FileComplaints), FileComplaints, g.man)
	for i, r := range rows {
		inPeriod(FileComplaints, nums[i], r[4])
		if _, ok := orders[r[2]]; (r[2] != "" && !ok) || (r[3] != "" && !slices.Contains(agentNames, r[3])) {
			t.Fatalf("complaints row %d: %q", nums[i], r)
		}
	}

	phone := regexp.MustCompile(`^1\d{10}$`)
	birthday := regexp.MustCompile(`^(\d{4}-)?\d{2}-\d{2}$`)
	rows, nums = goodRows(readTable(t, g.dir, FileCustomers), FileCustomers, g.man)
	for i, r := range rows {
		joined, ok := parseLocal(r[6])
		if !ok || joined.After(to) || !phone.MatchString(r[2]) || (r[3] != "" && !birthday.MatchString(r[3])) ||
			!slices.Contains(memberLevels, r[4]) || r[1] == "" {
			t.Fatalf("customers row %d: %q", nums[i], r)
		}
	}
}

// TestQualityReasonsClassify keeps the reason lists honest: METRICS.md's
// quality words must appear in every quality reason and in no other.
func TestQualityReasonsClassify(t *testing.T) {
	words := regexp.MustCompile(`质量|破损|瑕疵|划痕|描述不符|色差|腐烂|变质|假货|少件|漏发|发错|不符|坏了|损坏`)
	for _, r := range qualityReasons {
		if !words.MatchString(r) {
			t.Errorf("quality reason %q has no quality word", r)
		}
	}
	for _, r := range append(slices.Clone(preShipReasons), otherReasons...) {
		if words.MatchString(r) {
			t.Errorf("non-quality reason %q has a quality word", r)
		}
	}
}
