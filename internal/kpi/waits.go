package kpi

// MsgWait is the response fact of one window buyer message, message by
// message: the rows ComputeBuyer adds up into RespFacts. Drill-downs (the
// league table's slow and unreplied messages) list them.
type MsgWait struct {
	Index int   // of the buyer message in the msgs given
	Day   Day   // local day of the message
	Hour  int8  // local hour
	Agent int64 // credited agent; 0 = none
	// WaitMs is the wait for the reply in ms; -1 when unreplied (no human
	// reply, or one more than 24 hours later).
	WaitMs int64
	// Reply is the index of the reply counted; -1 when unreplied.
	Reply int
}

// Unreplied reports whether the message counts as unreplied.
func (w MsgWait) Unreplied() bool { return w.WaitMs < 0 }

// Slow reports whether the message was answered after 3 minutes or not at
// all: the messages missing from reply_3m_rate.
func (w MsgWait) Slow() bool { return w.WaitMs < 0 || w.WaitMs > ms3m }

// MessageWaits lists the window buyer messages of one buyer with their wait
// and credited agent, by the rules of METRICS.md "Response metrics" (the
// same as ComputeBuyer's response facts, which the tests check). msgs must
// be the buyer's whole history in message order. out is reused.
func (e *Engine) MessageWaits(msgs []Msg, out []MsgWait) []MsgWait {
	out = out[:0]
	next := nextAgent(msgs)
	var lastAgent int64
	for i, m := range msgs {
		if m.Role == RoleAgent {
			lastAgent = m.Agent
			continue
		}
		if m.Role != RoleBuyer {
			continue
		}
		day, hour, msOfDay := e.Clock.Local(m.SentAt)
		if !e.Window.Contains(msOfDay) {
			continue
		}
		wait, credit, j := reply(msgs, next, i, lastAgent)
		out = append(out, MsgWait{Index: i, Day: day, Hour: int8(hour), Agent: credit, WaitMs: wait, Reply: j})
	}
	return out
}
