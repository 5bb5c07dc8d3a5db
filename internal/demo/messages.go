package demo

import (
	"bufio"
	"fmt"
	"os"
	"strings"
)

// msgWriter formats message rows by hand: at millions of rows, encoding/csv
// and time.Format would cost more than generating the data. Fields are
// quoted only when they hold a comma, quote or line break, as encoding/csv
// would do.
type msgWriter struct {
	file     *os.File
	w        *bufio.Writer
	buf      []byte
	lines    int // data lines, good and planted
	e        error
	plantDay int
	// The planted rows go after these good rows of plantDay (1-based).
	plantAfter []int
}

var (
	roleWords  = [...]string{roleBuyer: "买家", roleAgent: "客服", roleBot: "机器人"}
	stageWords = [...]string{stageNone: "", stagePre: "售前", stageAfter: "售后"}
)

func (g *gen) newMsgWriter(path string) (*msgWriter, error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	mw := &msgWriter{file: f, w: bufio.NewWriterSize(f, 256<<10), buf: make([]byte, 0, 512),
		plantDay: g.days / 2, plantAfter: []int{3, 11, 23}}
	mw.put(append([]byte("\uFEFF"), strings.Join(hdrMessages, ",")+"\n"...)) // BOM: Excel opens it as UTF-8
	return mw, nil
}

func (mw *msgWriter) put(b []byte) {
	if _, err := mw.w.Write(b); err != nil && mw.e == nil {
		mw.e = err
	}
}

func (mw *msgWriter) err() error { return mw.e }

func (mw *msgWriter) close() error {
	err := mw.w.Flush()
	if cerr := mw.file.Close(); err == nil {
		err = cerr
	}
	if mw.e != nil {
		return mw.e
	}
	return err
}

// appendField appends a CSV field, quoted only when needed.
func appendField(b []byte, s string) []byte {
	if !strings.ContainsAny(s, ",\"\r\n") {
		return append(b, s...)
	}
	b = append(b, '"')
	b = append(b, strings.ReplaceAll(s, `"`, `""`)...)
	return append(b, '"')
}

// appendID appends the message id: M, the date, a daily sequence.
func (g *gen) appendID(b []byte, d, seq int) []byte {
	b = append(b, 'M')
	b = append(b, g.compact[d]...)
	return appendPad(b, seq, 6)
}

func (g *gen) appendClock(b []byte, d int, t int64) []byte {
	s := int(t - g.dayStart(d))
	b = append(b, g.dates[d]...)
	b = append2(b, s/hour)
	b = append(b, ':')
	b = append2(b, s/60%60)
	b = append(b, ':')
	return append2(b, s%60)
}

// writeDay writes one day's sorted messages, with the planted rows when d
// is the planting day.
func (g *gen) writeDay(d int, ms []msg) {
	mw := g.out.msgs
	var plants []int
	if d == mw.plantDay {
		plants = mw.plantAfter
	}
	seq, pi := 0, 0
	for i := range ms {
		m := &ms[i]
		seq++
		b := g.appendID(mw.buf[:0], d, seq)
		b = append(b, ',')
		b = g.appendBuyer(b, m.buyer)
		b = append(b, ',')
		b = append(b, roleWords[m.role]...)
		b = append(b, ',')
		if m.agent >= 0 {
			b = append(b, g.agents[m.agent].name...)
		}
		b = append(b, ',')
		b = g.appendClock(b, d, m.t)
		b = append(b, ',')
		b = appendField(b, m.content)
		b = append(b, ',')
		b = append(b, stageWords[m.stage]...)
		b = append(b, '\n')
		mw.buf = b
		mw.put(b)
		mw.lines++
		g.man.Messages++
		for pi < len(plants) && plants[pi] == i+1 {
			seq++
			g.plantMessage(pi, d, seq, m)
			pi++
		}
	}
	for ; pi < len(plants); pi++ { // a short day: plant at its end
		seq++
		var last *msg
		if len(ms) > 0 {
			last = &ms[len(ms)-1]
		}
		g.plantMessage(pi, d, seq, last)
	}
}

// badTime is the unparseable time planted in several files.
const badTime = "2024-13-45 25:61"

// plantMessage writes planted message k next to the good message m (nil on
// an empty day): same buyer and second, fresh msg_id, one bad value.
func (g *gen) plantMessage(k, d, seq int, m *msg) {
	mw := g.out.msgs
	buyer, t := int32(0), g.dayStart(d)+12*hour
	if m != nil {
		buyer, t = m.buyer, m.t
	}
	role, agent, clock, content := "买家", "", string(g.appendClock(nil, d, t)), "请问还有货吗"
	var col, why string
	switch k {
	case 0:
		role, col, why = "访客", "发送方", "unknown role 访客"
	case 1:
		role, content, col, why = "客服", "亲，在的呢", "客服账号", "agent message without an agent name"
	default:
		clock, col, why = badTime, "发送时间", "unparseable time "+badTime
	}
	b := g.appendID(nil, d, seq)
	for _, f := range []string{string(g.appendBuyer(nil, buyer)), role, agent, clock, content, ""} {
		b = appendField(append(b, ','), f)
	}
	mw.put(append(b, '\n'))
	mw.lines++
	g.man.Planted = append(g.man.Planted, Planted{File: FileMessages, Row: mw.lines + 1, Column: col, Why: why})
}
