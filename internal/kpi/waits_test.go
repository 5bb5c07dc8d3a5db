package kpi

import (
	"math/rand/v2"
	"testing"
)

// MessageWaits lists message by message exactly what ComputeBuyer adds up:
// on random chats (windows edges, bots, replies across days, late replies,
// same-second rows), grouping its rows by day, hour and credited agent gives
// ComputeBuyer's response facts.
func TestMessageWaitsAgreeWithComputeBuyer(t *testing.T) {
	e := eng()
	r := rand.New(rand.NewPCG(1, 2))
	start := at("2024-03-02 06:00:00")
	var facts BuyerFacts
	var waits []MsgWait
	for round := 0; round < 500; round++ {
		n := 1 + r.IntN(40)
		msgs := make([]Msg, n)
		t0 := start
		for i := range msgs {
			switch r.IntN(4) {
			case 0: // same second
			case 1:
				t0 += Millis(r.IntN(60) * 1000)
			case 2:
				t0 += Millis(r.IntN(600) * 1000)
			default:
				t0 += Millis(r.IntN(30*3600) * 1000)
			}
			m := Msg{Seq: int64(i + 1), SentAt: t0, Role: RoleBuyer}
			switch k := r.IntN(10); {
			case k < 4:
				m.Role, m.Agent = RoleAgent, int64(1+r.IntN(3))
			case k < 5:
				m.Role = RoleBot
			}
			msgs[i] = m
		}
		e.ComputeBuyer(msgs, nil, &facts)
		waits = e.MessageWaits(msgs, waits)
		type key struct {
			day   Day
			hour  int8
			agent int64
		}
		got := map[key]RespFact{}
		for _, w := range waits {
			k := key{w.Day, w.Hour, w.Agent}
			f := got[k]
			f.Msgs++
			switch {
			case w.Unreplied():
				f.Unreplied++
				if w.Reply != -1 || !w.Slow() {
					t.Fatalf("round %d: unreplied %+v", round, w)
				}
			default:
				f.WaitSumMs += w.WaitMs
				f.WaitN++
				if w.WaitMs <= 30000 {
					f.Within30s++
				}
				if w.WaitMs <= 180000 {
					f.Within3m++
				}
				if w.WaitMs <= 300000 {
					f.Within5m++
				}
				if msgs[w.Reply].Role != RoleAgent || msgs[w.Reply].Agent != w.Agent {
					t.Fatalf("round %d: reply %+v", round, w)
				}
			}
			got[k] = f
		}
		want := map[key]RespFact{}
		for _, f := range facts.Resp {
			k := key{f.Day, f.Hour, f.Agent}
			w := want[k]
			w.Msgs += f.Msgs
			w.Unreplied += f.Unreplied
			w.Within30s += f.Within30s
			w.Within3m += f.Within3m
			w.Within5m += f.Within5m
			w.WaitSumMs += f.WaitSumMs
			w.WaitN += f.WaitN
			want[k] = w
		}
		if len(got) != len(want) {
			t.Fatalf("round %d: %d groups, ComputeBuyer %d", round, len(got), len(want))
		}
		for k, w := range want {
			if got[k] != w {
				t.Fatalf("round %d %+v: waits %+v, ComputeBuyer %+v", round, k, got[k], w)
			}
		}
	}
}
