package demo

import (
	"cmp"
	"math/bits"
	"slices"
	"time"
)

const (
	roleBuyer int8 = 1
	roleAgent int8 = 2
	roleBot   int8 = 3

	stageNone  int8 = 0
	stagePre   int8 = 1
	stageAfter int8 = 2

	day       = 86400
	hour      = 3600
	winOpen   = 8 * hour  // service window, METRICS.md
	winClose  = 23 * hour // exclusive
	shiftTurn = 15*hour + 30*60
)

// msg is one chat message waiting in the day buffer. content points at
// phrasebook strings, so a msg is 40 bytes and allocates nothing.
type msg struct {
	t       int64 // unix seconds
	seq     uint32
	buyer   int32
	agent   int8 // index into gen.agents, -1 for none
	role    int8
	stage   int8
	content string
}

// agentProfile is one agent's habits. They are drawn from one quality score
// so an agent who answers fast also converts more: the league table then
// has a clear top and bottom instead of noise.
type agentProfile struct {
	name   string
	early  bool    // 早班 08:00–15:30, else 晚班 15:30–23:00
	speed  float64 // multiplies reply waits
	conv   float64 // conversion of pre-sale chats
	upsell float64 // chance of a bigger basket
	risk   float64 // chance an agent line trips the chat-risk scan
	miss   float64 // chance a conversation is never answered
}

// buyerState is what later files (customers.csv, returning buyers) need to
// know about a buyer. Kept small: there can be a million buyers.
type buyerState struct {
	first int16 // day index first seen
	nPaid uint16
	bad   bool // left a bad review
	spend int64
}

// event is a conversation planned for a later day: after-sale questions
// about an order, or a buyer coming back to a pre-sale chat.
type event struct {
	t     int64
	buyer int32
	agent int8 // -1: whoever is on shift
	kind  int8
	prod  int8
}

type gen struct {
	cfg       Config
	r         rng
	days      int
	t0        int64 // first day 00:00 Shanghai, unix seconds
	exportT   int64 // last second of the last day: the moment of the "export"
	promoLo   int   // promotion day indexes, inclusive; promoLo > promoHi: none
	promoHi   int
	agents    []agentProfile
	early     []int
	late      []int
	pb        *phrasebook
	hours     weighted
	prods     weighted
	buyers    []buyerState
	payers    []int32
	fans      []int32 // buyers who order every few days
	browsers  []int32 // ring of recent buyers who chatted without buying
	bpos      int
	events    map[int][]event
	carry     map[int][]msg
	day       []msg
	cur       int
	seq       uint32
	idMul     uint32 // buyer-id permutation, from the seed
	idAdd     uint32
	dates     []string // "2006-01-02 " per day index
	compact   []string // "20060102"
	counters  struct{ order, refund, review, complaint int }
	lastOrder string
	out       outputs
	man       Manifest
}

// hourWeights: when buyers write. Peaks at 10–11, 14–16 and 20–22; about 7%
// of messages fall outside the 08:00–23:00 service window.
var hourWeights = []float64{1.2, 0.6, 0.3, 0.2, 0.2, 0.3, 0.6, 1.5, 3, 5, 8, 7, 5, 5, 8, 8, 6, 5, 4.5, 5.5, 9, 9, 6, 2.5}

func busyHour(h int) bool { return h == 10 || h == 14 || h == 15 || h == 20 || h == 21 }

func newGen(cfg Config) *gen {
	g := &gen{cfg: cfg, days: cfg.Days, r: newRNG(cfg.Seed, 1), events: map[int][]event{}, carry: map[int][]msg{}}
	first := cfg.End.AddDate(0, 0, -(cfg.Days - 1))
	g.t0 = first.Unix()
	g.exportT = cfg.End.AddDate(0, 0, 1).Unix() - 1
	g.promoLo, g.promoHi = 1, 0
	if g.days >= 10 {
		g.promoLo = g.days/2 - 1
		g.promoHi = g.promoLo + 2
	}
	for d := 0; d <= g.days; d++ {
		t := first.AddDate(0, 0, d)
		g.dates = append(g.dates, t.Format("2006-01-02 "))
		g.compact = append(g.compact, t.Format("20060102"))
	}
	g.idMul = uint32(g.r.next()) | 1
	g.idAdd = uint32(g.r.next())
	g.hours = newWeighted(hourWeights)
	w := make([]float64, len(catalogue))
	for i, p := range catalogue {
		w[i] = p.weight
	}
	g.prods = newWeighted(w)
	var names []string
	worst, worstQ := 0, 2.0
	for i, m := range Roster(cfg.Agents) {
		names = append(names, m.Name)
		q := g.r.float()
		a := agentProfile{
			name: m.Name, early: m.Shift != "晚班",
			speed:  1.55 - 0.95*q + 0.1*g.r.float(),
			conv:   0.30 + 0.15*q,
			upsell: 0.15 + 0.2*q,
			risk:   0.0005 + 0.0015*g.r.float(),
			miss:   0.004 + 0.016*(1-q),
		}
		if q < worstQ {
			worst, worstQ = i, q
		}
		g.agents = append(g.agents, a)
		if a.early {
			g.early = append(g.early, i)
		} else {
			g.late = append(g.late, i)
		}
	}
	g.agents[worst].risk = 0.006 // one agent the risk queue keeps catching
	if len(g.late) == 0 {
		g.late = g.early // a one-person team (全天) works both shifts
	}
	g.pb = newPhrasebook(cfg.ShopName, names)
	if g.days >= 20 {
		for i := 0; i < 3; i++ {
			g.fans = append(g.fans, g.newBuyer())
		}
	}
	return g
}

func (g *gen) dayStart(d int) int64  { return g.t0 + int64(d)*day }
func (g *gen) dayOf(t int64) int     { return int((t - g.t0) / day) }
func (g *gen) secOfDay(t int64) int  { return int((t - g.t0) % day) }
func (g *gen) inWindow(t int64) bool { s := g.secOfDay(t); return s >= winOpen && s < winClose }
func (g *gen) promo(d int) bool      { return d >= g.promoLo && d <= g.promoHi }

// nextOpen is when the service window next opens after t (t outside it).
func (g *gen) nextOpen(t int64) int64 {
	s := int64(g.secOfDay(t))
	if s < winOpen {
		return t - s + winOpen
	}
	return t - s + day + winOpen
}

// agentAt picks the agent who takes a conversation starting at t: from the
// shift on duty, and for night messages from the morning shift that will
// answer them.
func (g *gen) agentAt(t int64) int {
	s := g.secOfDay(t)
	if s >= shiftTurn && s < winClose {
		return pick(&g.r, g.late)
	}
	return pick(&g.r, g.early)
}

// dayFactor scales the day's volume: weekends busier, a three-day sale in
// the middle of the period doubles it, the day after has the after-sales.
func (g *gen) dayFactor(d int) float64 {
	f := 0.95
	if wd := time.Unix(g.dayStart(d), 0).In(shanghai).Weekday(); wd == time.Saturday || wd == time.Sunday {
		f = 1.2
	}
	switch {
	case g.promo(d):
		f *= 2.0
	case d == g.promoHi+1 && g.promoHi >= g.promoLo:
		f *= 1.15
	}
	return f * (0.9 + 0.2*g.r.float())
}

func (g *gen) newBuyer() int32 {
	g.buyers = append(g.buyers, buyerState{first: int16(g.cur)})
	return int32(len(g.buyers) - 1)
}

// emit queues a message in the buffer of the day it falls on. Messages after
// the export moment did not happen yet and are dropped.
func (g *gen) emit(t int64, b int32, role, agent int8, content string, st int8) {
	if t > g.exportT {
		return
	}
	m := msg{t: t, seq: g.seq, buyer: b, agent: agent, role: role, stage: st, content: content}
	g.seq++
	if d := g.dayOf(t); d != g.cur {
		g.carry[d] = append(g.carry[d], m)
		return
	}
	g.day = append(g.day, m)
}

// schedule plans a conversation; one falling on the day being generated
// runs at once (its messages are sorted into the day before writing).
func (g *gen) schedule(e event) {
	d := g.dayOf(e.t)
	switch {
	case e.t > g.exportT || d < g.cur:
		return
	case d == g.cur:
		g.runEvent(e)
	default:
		g.events[d] = append(g.events[d], e)
	}
}

// runDay generates one day and writes its messages in time order (ties keep
// generation order, so a conversation never reads out of order).
func (g *gen) runDay(d int) {
	g.cur = d
	ds := g.dayStart(d)
	g.day = append(g.day[:0], g.carry[d]...)
	delete(g.carry, d)
	n := int(float64(len(g.agents)*g.cfg.ChatsPerAgentDay)*g.dayFactor(d) + 0.5)
	evs := g.events[d]
	delete(g.events, d)
	for _, e := range evs {
		g.runEvent(e)
	}
	pre := max(n-len(evs), n/2, 1)
	for i := 0; i < pre; i++ {
		g.presale(ds)
	}
	silent := 0.22 * float64(pre)
	if g.promo(d) {
		silent *= 1.3
	}
	for i := int(silent + g.r.float()); i > 0; i-- {
		g.silentOrder(ds)
	}
	g.fanOrders(d, ds)
	slices.SortFunc(g.day, func(a, b msg) int {
		if c := cmp.Compare(a.t, b.t); c != 0 {
			return c
		}
		return cmp.Compare(a.seq, b.seq)
	})
	g.writeDay(d, g.day)
}

// rng is wyrand: one multiply per draw. The demo needs speed (millions of
// messages) and, above all, a sequence fixed forever by the seed, which
// math/rand/v2 does not promise for its derived methods (IntN, Float64…)
// across Go releases. Owning the few lines below makes "same seed, same
// bytes" hold on every toolchain.
type rng struct{ s uint64 }

func newRNG(seed int64, stream uint64) rng {
	r := rng{s: uint64(seed)*0x9e3779b97f4a7c15 ^ stream*0xbf58476d1ce4e5b9}
	r.next() // decorrelate seeds that differ in one bit
	return r
}

func (r *rng) next() uint64 {
	r.s += 0xa0761d6478bd642f
	hi, lo := bits.Mul64(r.s, r.s^0xe7037ed1a0b428db)
	return hi ^ lo
}

// intn returns 0 ≤ x < n (n > 0) by Lemire's multiply-shift: no division,
// bias below 2^-32 for the small n used here.
func (r *rng) intn(n int) int {
	hi, _ := bits.Mul64(r.next(), uint64(n))
	return int(hi)
}

// between returns lo ≤ x ≤ hi.
func (r *rng) between(lo, hi int) int { return lo + r.intn(hi-lo+1) }

// between64 is between for second counts, which can exceed int32 in theory.
func (r *rng) between64(lo, hi int64) int64 { return lo + int64(r.intn(int(hi-lo+1))) }

func (r *rng) float() float64 { return float64(r.next()>>11) / (1 << 53) }

func (r *rng) chance(p float64) bool { return r.float() < p }

// pick returns one element of a non-empty slice.
func pick[T any](r *rng, xs []T) T { return xs[r.intn(len(xs))] }

// weighted draws index i with probability w[i]/sum(w). The tables are
// tiny (≤ 24 entries), so a linear scan beats building alias tables.
type weighted struct {
	cum   []float64
	total float64
}

func newWeighted(w []float64) weighted {
	c := make([]float64, len(w))
	s := 0.0
	for i, x := range w {
		s += x
		c[i] = s
	}
	return weighted{cum: c, total: s}
}

func (w weighted) draw(r *rng) int {
	x := r.float() * w.total
	for i, c := range w.cum {
		if x < c {
			return i
		}
	}
	return len(w.cum) - 1
}
