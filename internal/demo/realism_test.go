package demo

import (
	"slices"
	"sort"
	"strings"
	"testing"
	"time"
)

// TestRealism recomputes a few METRICS.md numbers from a default 90-day shop
// and checks they land where the brief wants them: the dashboard must show
// a living shop, not flat lines.
func TestRealism(t *testing.T) {
	g := generate(t, Config{Seed: 3, End: testEnd})

	type bm struct {
		role, agent string
		at          time.Time
		content     string
	}
	msgs, _ := goodRows(readTable(t, g.dir, FileMessages), FileMessages, g.man)
	byBuyer := map[string][]bm{}
	for _, r := range msgs {
		at, _ := parseLocal(r[4])
		byBuyer[r[1]] = append(byBuyer[r[1]], bm{r[2], r[3], at, r[5]})
	}
	var inWin, outWin, unreplied, overHour, agentMsgs, risky int
	fast, total := map[string]int{}, map[string]int{}
	dayBuyers := map[string]map[string]bool{}
	firstMsg := map[[2]string]time.Time{}
	for b, ms := range byBuyer {
		for i, m := range ms {
			if m.role == "客服" {
				agentMsgs++
				if strings.Contains(m.content, "微信") || strings.Contains(m.content, "保证") || strings.Contains(m.content, "绝对") {
					risky++
				}
			}
			if m.role != "买家" {
				continue
			}
			day := m.at.Format("2006-01-02")
			if dayBuyers[day] == nil {
				dayBuyers[day] = map[string]bool{}
			}
			dayBuyers[day][b] = true
			if k := [2]string{b, day}; firstMsg[k].IsZero() {
				firstMsg[k] = m.at
			}
			if h := m.at.Hour(); h < 8 || h >= 23 {
				outWin++
				continue
			}
			inWin++
			j := slices.IndexFunc(ms[i+1:], func(n bm) bool { return n.role == "客服" })
			if j < 0 || ms[i+1+j].at.Sub(m.at) > 24*time.Hour {
				unreplied++
				continue
			}
			w := ms[i+1+j].at.Sub(m.at)
			a := ms[i+1+j].agent
			total[a]++
			if w <= 30*time.Second {
				fast[a]++
			}
			if w > time.Hour {
				overHour++
			}
		}
	}
	between(t, "share of buyer messages outside 08–23", float64(outWin)/float64(inWin+outWin), 0.02, 0.12)
	between(t, "unreplied share", float64(unreplied)/float64(inWin), 0.005, 0.04)
	if overHour == 0 {
		t.Error("no reply over an hour")
	}
	var rates []float64
	for a := range total {
		rates = append(rates, float64(fast[a])/float64(total[a]))
	}
	sort.Float64s(rates)
	if len(rates) != 6 || rates[5]-rates[0] < 0.1 {
		t.Errorf("30-second rates by agent %v: want 6 agents, spread ≥ 0.1", rates)
	}
	between(t, "risky agent messages", float64(risky)/float64(agentMsgs), 0.0002, 0.01)

	// Daily consulting buyers: weekends and the sale stand out.
	var counts []int
	weekend, weekday := [2]int{}, [2]int{}
	for day, bs := range dayBuyers {
		counts = append(counts, len(bs))
		d, _ := time.ParseInLocation("2006-01-02", day, shanghai)
		if wd := d.Weekday(); wd == time.Saturday || wd == time.Sunday {
			weekend[0] += len(bs)
			weekend[1]++
		} else {
			weekday[0] += len(bs)
			weekday[1]++
		}
	}
	slices.Sort(counts)
	if counts[len(counts)-1] < counts[len(counts)/2]*3/2 {
		t.Errorf("no promotion spike: median %d, max %d consulting buyers", counts[len(counts)/2], counts[len(counts)-1])
	}
	if weekend[0]*weekday[1] <= weekday[0]*weekend[1] {
		t.Errorf("weekends %v not busier than weekdays %v", weekend, weekday)
	}

	// Orders: conversion of inquiries (METRICS.md, simplified), returning buyers.
	orders, _ := goodRows(readTable(t, g.dir, FileOrders), FileOrders, g.man)
	paidBy := map[string][]time.Time{}
	paid := 0
	for _, o := range orders {
		if o[3] == "" || o[6] == "已取消" || o[6] == "交易关闭" {
			continue
		}
		at, _ := parseLocal(o[3])
		paidBy[o[1]] = append(paidBy[o[1]], at)
		paid++
	}
	inquiries, converted := 0, 0
	for k, first := range firstMsg {
		ps := paidBy[k[0]]
		if slices.ContainsFunc(ps, func(p time.Time) bool { return !p.Before(first.AddDate(0, 0, -15)) && p.Before(first) }) {
			continue // after-sale
		}
		inquiries++
		d, _ := time.ParseInLocation("2006-01-02", k[1], shanghai)
		if slices.ContainsFunc(ps, func(p time.Time) bool { return !p.Before(first) && p.Before(d.AddDate(0, 0, 3)) }) {
			converted++
		}
	}
	between(t, "inquiry conversion", float64(converted)/float64(inquiries), 0.28, 0.5)
	between(t, "after-sale share of consultations", 1-float64(inquiries)/float64(len(firstMsg)), 0.05, 0.35)
	returning := 0
	for _, ps := range paidBy {
		if len(ps) > 1 {
			returning++
		}
	}
	between(t, "returning paying buyers", float64(returning)/float64(len(paidBy)), 0.18, 0.35)

	refunds, _ := goodRows(readTable(t, g.dir, FileRefunds), FileRefunds, g.man)
	between(t, "refunds per paid order", float64(len(refunds))/float64(paid), 0.035, 0.08)
	var quality, dispute, open int
	for _, r := range refunds {
		if slices.Contains(qualityReasons, r[6]) {
			quality++
		}
		if r[8] == "是" && r[9] == "商家责任" {
			dispute++
		}
		if r[5] == "" {
			open++
		}
	}
	if quality == 0 || quality == len(refunds) || dispute == 0 || open == 0 {
		t.Errorf("refunds: %d quality, %d disputes, %d open of %d", quality, dispute, open, len(refunds))
	}

	reviews, _ := goodRows(readTable(t, g.dir, FileReviews), FileReviews, g.man)
	five, low := 0, 0
	perMonth := map[string]int{}
	maxPerMonth := 0
	for _, r := range reviews {
		switch r[3] {
		case "5", "好评":
			five++
		case "1", "2", "差评":
			low++
		}
		k := r[2] + r[4][:7]
		perMonth[k]++
		maxPerMonth = max(maxPerMonth, perMonth[k])
	}
	between(t, "5-star share", float64(five)/float64(len(reviews)), 0.78, 0.92)
	if low == 0 || maxPerMonth <= 3 {
		t.Errorf("%d bad reviews, at most %d reviews by a buyer in a month", low, maxPerMonth)
	}

	complaints, _ := goodRows(readTable(t, g.dir, FileComplaints), FileComplaints, g.man)
	between(t, "complaints per order", float64(len(complaints))/float64(len(orders)), 0.001, 0.01)
	if !slices.ContainsFunc(complaints, func(c []string) bool { return c[3] != "" }) {
		t.Error("no complaint names an agent")
	}
	buyers := map[string]bool{}
	for b := range byBuyer {
		buyers[b] = true
	}
	for _, o := range orders {
		buyers[o[1]] = true
	}
	between(t, "buyers with a member record", float64(g.man.Customers)/float64(len(buyers)), 0.22, 0.38)
}

func between(t *testing.T, what string, v, lo, hi float64) {
	t.Helper()
	if v < lo || v > hi {
		t.Errorf("%s = %.4f, want in [%v, %v]", what, v, lo, hi)
	} else {
		t.Logf("%s = %.4f", what, v)
	}
}
