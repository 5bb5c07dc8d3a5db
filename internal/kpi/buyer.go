package kpi

// Every rule of METRICS.md that links rows — a reply to its buyer message, an
// unreplied message to the buyer's previous agent, an inquiry to the buyer's
// orders in the 15 days before, an order to the inquiry it converts — links
// rows of one buyer. So the engine computes facts one buyer at a time, over all
// of that buyer's history ("facts before periods"), and an import only has to
// recompute the buyers it touched.

// Msg is what the rules need of one chat message.
type Msg struct {
	Seq    int64 // import order: breaks ties between messages of the same sent_at
	SentAt Millis
	Role   Role
	Agent  int64 // agent id; 0 = none
	Stage  Stage
}

// Ord is what the rules need of one order.
type Ord struct {
	ID        int64
	PaidAt    Millis // 0 = not paid
	Cancelled bool
	Agent     int64 // explicit credit (orders.agent); 0 = none
}

// Paid reports whether the order counts as paid: paid_at filled and not cancelled.
func (o Ord) Paid() bool { return o.PaidAt != 0 && !o.Cancelled }

// RespFact sums the window buyer messages of one buyer in one local hour that
// are credited to one agent (0 = no agent).
type RespFact struct {
	Day       Day
	Hour      int8
	Agent     int64
	Msgs      int64
	Unreplied int64
	Within30s int64
	Within3m  int64
	Within5m  int64
	WaitSumMs int64 // over replied messages
	WaitN     int64
}

// BuyerDay is a consultation: a day on which the buyer sent at least one message.
type BuyerDay struct {
	Day Day
	// Window facts (only when InWindow: the buyer wrote inside the service window).
	InWindow   bool
	LastAgent  int64 // credited with the day's last window message: consulting_buyers, effective_reply_rate
	Effective  bool  // every window message replied within 3600 s
	FirstAgent int64 // credited with the day's first window message: first_response_seconds
	FirstWait  int64 // ms; -1 when that first message is unreplied
	// Inquiry facts.
	FirstMsg  Millis // the day's first buyer message, any time of day
	Inquiry   bool
	RecvAgent int64 // first human agent message to the buyer that day; 0 = none
	Converted bool
}

// OrderCredit is the computed credit of one order.
type OrderCredit struct {
	ID    int64
	Agent int64 // credited agent; 0 = none
	// ConvertedDay is the day of the inquiry the order converts; -1 = none.
	ConvertedDay Day
}

// BuyerFacts is the output of ComputeBuyer. Its slices are reused between calls.
type BuyerFacts struct {
	Resp    []RespFact
	Days    []BuyerDay
	Credits []OrderCredit
}

const (
	ms30s    = 30 * 1000
	ms3m     = 180 * 1000
	ms5m     = 300 * 1000
	msHour   = 3600 * 1000
	msDay    = 86400 * 1000
	ms15Days = 15 * msDay
)

// Engine holds the shop settings the rules depend on.
type Engine struct {
	Clock  Clock
	Window Window
}

// ComputeBuyer derives all message and order facts of one buyer. msgs must be
// in message order (sent_at, then Seq); orders in any order.
func (e *Engine) ComputeBuyer(msgs []Msg, orders []Ord, out *BuyerFacts) {
	out.Resp = out.Resp[:0]
	out.Days = out.Days[:0]
	out.Credits = out.Credits[:0]
	e.response(msgs, out)
	e.inquiries(msgs, orders, out)
	e.convert(orders, out)
}

// response fills out.Resp and the window fields of out.Days.
func (e *Engine) response(msgs []Msg, out *BuyerFacts) {
	next := nextAgent(msgs)
	var lastAgent int64 // agent of the latest human agent message so far
	groupStart := 0     // first RespFact of the current (day, hour)
	for i, m := range msgs {
		if m.Role == RoleAgent {
			lastAgent = m.Agent
			continue
		}
		if m.Role != RoleBuyer {
			continue
		}
		day, hour, msOfDay := e.Clock.Local(m.SentAt)
		bd := e.buyerDay(out, day, m.SentAt)
		if !e.Window.Contains(msOfDay) {
			continue
		}
		wait, credit, _ := reply(msgs, next, i, lastAgent)
		if !bd.InWindow {
			bd.InWindow, bd.Effective = true, true
			bd.FirstAgent, bd.FirstWait = credit, wait
		}
		bd.LastAgent = credit
		if wait < 0 || wait > msHour {
			bd.Effective = false
		}
		f := e.respFact(out, &groupStart, day, int8(hour), credit)
		f.Msgs++
		if wait < 0 {
			f.Unreplied++
			continue
		}
		f.WaitSumMs += wait
		f.WaitN++
		if wait <= ms30s {
			f.Within30s++
		}
		if wait <= ms3m {
			f.Within3m++
		}
		if wait <= ms5m {
			f.Within5m++
		}
	}
}

// nextAgent gives, for each message, the index of the first human agent
// message after it, or -1.
func nextAgent(msgs []Msg) []int32 {
	next := make([]int32, len(msgs))
	n := int32(-1)
	for i := len(msgs) - 1; i >= 0; i-- {
		next[i] = n
		if msgs[i].Role == RoleAgent {
			n = int32(i)
		}
	}
	return next
}

// reply applies METRICS.md's reply rule to buyer message i: the wait in ms
// (-1 when unreplied: no human reply, or one more than 24 hours later), the
// credited agent (the replier; else lastAgent, the latest human agent before
// it) and the reply's index (-1 when unreplied).
func reply(msgs []Msg, next []int32, i int, lastAgent int64) (wait, credit int64, j int) {
	if j := int(next[i]); j >= 0 {
		if w := int64(msgs[j].SentAt - msgs[i].SentAt); w <= msDay {
			return w, msgs[j].Agent, j
		}
	}
	return -1, lastAgent, -1
}

// buyerDay returns the consultation of day, opening it on the day's first buyer
// message (messages come in time order, so days never go back).
func (e *Engine) buyerDay(out *BuyerFacts, day Day, sentAt Millis) *BuyerDay {
	if k := len(out.Days); k > 0 && out.Days[k-1].Day == day {
		return &out.Days[k-1]
	}
	out.Days = append(out.Days, BuyerDay{Day: day, FirstMsg: sentAt, FirstWait: -1})
	return &out.Days[len(out.Days)-1]
}

func (e *Engine) respFact(out *BuyerFacts, groupStart *int, day Day, hour int8, agent int64) *RespFact {
	if g := *groupStart; g < len(out.Resp) && (out.Resp[g].Day != day || out.Resp[g].Hour != hour) {
		*groupStart = len(out.Resp)
	}
	for k := *groupStart; k < len(out.Resp); k++ {
		if out.Resp[k].Agent == agent {
			return &out.Resp[k]
		}
	}
	out.Resp = append(out.Resp, RespFact{Day: day, Hour: hour, Agent: agent})
	return &out.Resp[len(out.Resp)-1]
}

// inquiries classifies each consultation as inquiry or after-sale and finds its
// receiving agent.
func (e *Engine) inquiries(msgs []Msg, orders []Ord, out *BuyerFacts) {
	k := 0           // index into out.Days, advancing with the messages
	classified := -1 // last day index whose first buyer message was read
	for _, m := range msgs {
		day := e.Clock.DayOf(m.SentAt)
		for k < len(out.Days) && out.Days[k].Day < day {
			k++
		}
		if k == len(out.Days) {
			break
		}
		bd := &out.Days[k]
		if bd.Day != day {
			continue
		}
		switch {
		case m.Role == RoleAgent && bd.RecvAgent == 0:
			bd.RecvAgent = m.Agent
		case m.Role == RoleBuyer && classified < k:
			classified = k
			bd.Inquiry = isInquiry(m.Stage, bd.FirstMsg, orders)
		}
	}
}

// isInquiry: the day's first buyer message decides by its stage when it has
// one; else the consultation is after-sale when the buyer has a paid order in
// [first − 15 days, first).
func isInquiry(stage Stage, first Millis, orders []Ord) bool {
	switch stage {
	case StagePresale:
		return true
	case StageAftersale:
		return false
	}
	for _, o := range orders {
		if o.Paid() && o.PaidAt >= first-ms15Days && o.PaidAt < first {
			return false
		}
	}
	return true
}

// convert attributes each paid order to the latest inquiry whose 3-day window
// [first_msg, end of day D+2] holds its paid_at, and credits the order.
func (e *Engine) convert(orders []Ord, out *BuyerFacts) {
	for _, o := range orders {
		c := OrderCredit{ID: o.ID, Agent: o.Agent, ConvertedDay: -1}
		if o.Paid() {
			for k := len(out.Days) - 1; k >= 0; k-- {
				bd := &out.Days[k]
				if !bd.Inquiry || bd.FirstMsg > o.PaidAt {
					continue
				}
				// The latest inquiry started before the payment; an earlier one's
				// window ends no later, so if this one misses, all do.
				if o.PaidAt < e.Clock.StartOf(bd.Day+3) {
					bd.Converted = true
					c.ConvertedDay = bd.Day
					if c.Agent == 0 {
						c.Agent = bd.RecvAgent
					}
				}
				break
			}
		}
		out.Credits = append(out.Credits, c)
	}
}
