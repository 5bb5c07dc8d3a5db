package kpi

import (
	"testing"
	"time"
)

var sh, _ = time.LoadLocation("Asia/Shanghai")

func at(s string) Millis {
	t, err := time.ParseInLocation(time.DateTime, s, sh)
	if err != nil {
		panic(err)
	}
	return Millis(t.UnixMilli())
}

func eng() *Engine { return &Engine{Clock: Clock{Loc: sh}, Window: DefaultWindow} }

// seqd numbers messages in the order given (file order).
func seqd(ms ...Msg) []Msg {
	for i := range ms {
		ms[i].Seq = int64(i + 1)
	}
	return ms
}

func buyer(t string) Msg           { return Msg{SentAt: at(t), Role: RoleBuyer} }
func agent(t string, a int64) Msg  { return Msg{SentAt: at(t), Role: RoleAgent, Agent: a} }
func bot(t string) Msg             { return Msg{SentAt: at(t), Role: RoleBot} }
func staged(m Msg, s Stage) Msg    { m.Stage = s; return m }
func paid(id int64, t string) Ord  { return Ord{ID: id, PaidAt: at(t)} }
func total(f *BuyerFacts) RespFact { return sumResp(f.Resp) }

func sumResp(rs []RespFact) RespFact {
	var s RespFact
	for _, r := range rs {
		s.Msgs += r.Msgs
		s.Unreplied += r.Unreplied
		s.Within30s += r.Within30s
		s.Within3m += r.Within3m
		s.Within5m += r.Within5m
		s.WaitSumMs += r.WaitSumMs
		s.WaitN += r.WaitN
	}
	return s
}

func TestResponse(t *testing.T) {
	cases := []struct {
		name string
		msgs []Msg
		want RespFact // totals
		by   map[int64]int64
	}{
		{"window edges: 07:59:59 and 23:00:00 out, 08:00:00 and 22:59:59 in; reply after 23:00 counts",
			seqd(buyer("2024-03-02 07:59:59"), buyer("2024-03-02 08:00:00"), agent("2024-03-02 08:00:20", 1),
				buyer("2024-03-02 22:59:59"), buyer("2024-03-02 23:00:00"), agent("2024-03-02 23:00:09", 2)),
			RespFact{Msgs: 2, Within30s: 2, Within3m: 2, Within5m: 2, WaitSumMs: 30000, WaitN: 2}, map[int64]int64{1: 1, 2: 1}},
		{"30 s counts, 31 s does not",
			seqd(buyer("2024-03-02 10:00:00"), agent("2024-03-02 10:00:30", 1), buyer("2024-03-02 11:00:00"), agent("2024-03-02 11:00:31", 1)),
			RespFact{Msgs: 2, Within30s: 1, Within3m: 2, Within5m: 2, WaitSumMs: 61000, WaitN: 2}, nil},
		{"bots never reply; a burst shares one reply",
			seqd(buyer("2024-03-02 15:00:00"), bot("2024-03-02 15:00:00"), buyer("2024-03-02 15:00:05"), buyer("2024-03-02 15:00:05"),
				bot("2024-03-02 15:00:40"), agent("2024-03-02 15:01:10", 3)),
			RespFact{Msgs: 3, Within3m: 3, Within5m: 3, WaitSumMs: 70000 + 65000 + 65000, WaitN: 3}, map[int64]int64{3: 3}},
		{"same second: agent row first is before the buyer message",
			seqd(agent("2024-03-02 15:05:00", 3), buyer("2024-03-02 15:05:00"), agent("2024-03-02 15:05:40", 3)),
			RespFact{Msgs: 1, Within3m: 1, Within5m: 1, WaitSumMs: 40000, WaitN: 1}, nil},
		{"same second: buyer row first gets wait 0",
			seqd(buyer("2024-03-02 15:10:00"), agent("2024-03-02 15:10:00", 3)),
			RespFact{Msgs: 1, Within30s: 1, Within3m: 1, Within5m: 1, WaitN: 1}, nil},
		{"24 h exactly is replied; 24 h + 1 s is unreplied and goes to the previous agent",
			seqd(agent("2024-03-01 09:00:00", 1), buyer("2024-03-02 12:00:00"), agent("2024-03-03 12:00:01", 2),
				buyer("2024-03-04 12:00:00"), agent("2024-03-05 12:00:00", 2)),
			RespFact{Msgs: 2, Unreplied: 1, WaitSumMs: 86400000, WaitN: 1}, map[int64]int64{1: 1, 2: 1}},
		{"no human agent ever: unreplied, credited to nobody",
			seqd(buyer("2024-03-03 14:00:00"), bot("2024-03-03 14:00:01")),
			RespFact{Msgs: 1, Unreplied: 1}, map[int64]int64{0: 1}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var f BuyerFacts
			eng().ComputeBuyer(tc.msgs, nil, &f)
			got := total(&f)
			got.Day, got.Hour, got.Agent = 0, 0, 0
			if got != tc.want {
				t.Errorf("got %+v\nwant %+v", got, tc.want)
			}
			if tc.by != nil {
				by := map[int64]int64{}
				for _, r := range f.Resp {
					by[r.Agent] += r.Msgs
				}
				for a, n := range tc.by {
					if by[a] != n {
						t.Errorf("agent %d: %d messages, want %d (all: %v)", a, by[a], n, by)
					}
				}
			}
		})
	}
}

func TestEffectiveReplyOneHourRule(t *testing.T) {
	for _, tc := range []struct {
		reply string
		want  bool
	}{{"2024-03-03 12:00:00", true}, {"2024-03-03 12:00:01", false}} {
		var f BuyerFacts
		eng().ComputeBuyer(seqd(buyer("2024-03-03 11:00:00"), agent(tc.reply, 1)), nil, &f)
		if len(f.Days) != 1 || f.Days[0].Effective != tc.want {
			t.Errorf("reply at %s: days %+v, want effective=%v", tc.reply, f.Days, tc.want)
		}
	}
}

func TestInquiries(t *testing.T) {
	cases := []struct {
		name    string
		msgs    []Msg
		orders  []Ord
		inquiry bool
	}{
		{"paid exactly 15 days before: after-sale", seqd(buyer("2024-03-03 10:00:00")), []Ord{paid(1, "2024-02-17 10:00:00")}, false},
		{"paid 15 days + 1 s before: inquiry", seqd(buyer("2024-03-03 10:00:01")), []Ord{paid(1, "2024-02-17 10:00:00")}, true},
		{"paid at the first message: not before it, inquiry", seqd(buyer("2024-03-04 09:00:00")), []Ord{paid(1, "2024-03-04 09:00:00")}, true},
		{"cancelled order does not make it after-sale", seqd(buyer("2024-03-03 10:00:00")),
			[]Ord{{ID: 1, PaidAt: at("2024-03-01 10:00:00"), Cancelled: true}}, true},
		{"stage presale decides", seqd(staged(buyer("2024-03-02 11:00:00"), StagePresale)), []Ord{paid(1, "2024-03-01 12:00:00")}, true},
		{"only the first message's stage counts",
			seqd(staged(buyer("2024-03-03 16:00:00"), StageAftersale), staged(buyer("2024-03-03 16:02:00"), StagePresale)), nil, false},
		{"same-second first messages: the first row decides",
			seqd(staged(buyer("2024-03-03 16:00:00"), StageAftersale), staged(buyer("2024-03-03 16:00:00"), StagePresale)), nil, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var f BuyerFacts
			eng().ComputeBuyer(tc.msgs, tc.orders, &f)
			if len(f.Days) != 1 || f.Days[0].Inquiry != tc.inquiry {
				t.Errorf("days %+v, want inquiry=%v", f.Days, tc.inquiry)
			}
		})
	}
}

func TestConversionAndCredit(t *testing.T) {
	msgs := seqd(agent("2024-03-02 09:59:00", 7), buyer("2024-03-02 10:00:00"), agent("2024-03-02 10:00:05", 1),
		buyer("2024-03-03 09:00:00"), agent("2024-03-03 09:01:00", 2))
	cases := []struct {
		name      string
		order     Ord
		converted []bool // per day
		credit    int64
	}{
		{"latest inquiry holding the payment converts; receiving agent is the day's first agent message, even before the buyer's",
			paid(1, "2024-03-03 20:00:00"), []bool{false, true}, 2},
		{"end of day D+2 is inside", paid(1, "2024-03-05 23:59:59"), []bool{false, true}, 2},
		{"D+3 00:00:00 is outside", paid(1, "2024-03-06 00:00:00"), []bool{false, false}, 0},
		{"before the second inquiry: the first converts", paid(1, "2024-03-02 18:00:00"), []bool{true, false}, 7},
		{"explicit agent keeps the credit, the inquiry still converts", Ord{ID: 1, PaidAt: at("2024-03-02 18:00:00"), Agent: 9}, []bool{true, false}, 9},
		{"cancelled converts nothing, keeps its agent", Ord{ID: 1, PaidAt: at("2024-03-02 18:00:00"), Cancelled: true, Agent: 9}, []bool{false, false}, 9},
		{"unpaid converts nothing", Ord{ID: 1}, []bool{false, false}, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var f BuyerFacts
			eng().ComputeBuyer(msgs, []Ord{tc.order}, &f)
			if len(f.Days) != 2 {
				t.Fatalf("days %+v", f.Days)
			}
			for i, want := range tc.converted {
				if f.Days[i].Converted != want {
					t.Errorf("day %d converted=%v, want %v", i, f.Days[i].Converted, want)
				}
			}
			if f.Days[0].RecvAgent != 7 {
				t.Errorf("receiving agent %d, want 7", f.Days[0].RecvAgent)
			}
			if f.Credits[0].Agent != tc.credit {
				t.Errorf("credit %d, want %d", f.Credits[0].Agent, tc.credit)
			}
		})
	}
}

func TestClockDST(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Skip(err)
	}
	c := Clock{Loc: ny}
	d := DayOf(2024, time.March, 10) // 23-hour day
	if got := c.StartOf(d+1) - c.StartOf(d); got != 23*3600*1000 {
		t.Errorf("DST day is %d ms long", got)
	}
	if c.DayOf(c.StartOf(d+1)-1) != d {
		t.Error("last millisecond of the day belongs to the next day")
	}
	if got := d.String(); got != "2024-03-10" {
		t.Errorf("String() = %s", got)
	}
	if DayOf(2024, 3, 4).Weekday() != time.Monday {
		t.Errorf("2024-03-04 weekday %v", DayOf(2024, 3, 4).Weekday())
	}
}
