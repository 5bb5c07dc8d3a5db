package importer

import (
	"errors"
	"strings"

	"github.com/kefuboard/kefuboard/internal/kpi"
)

// Chat logs from collector tools (no platform exports them): one row per
// message with the sender's account and, sometimes, its 账号类型; or one cell
// per conversation (客户ID, 聊天记录), split by SplitConversation.

var errTimeOnly = errors.New("发送时间只有时刻没有日期：请加一列日期（日期、聊天日期），或在文件名里写上日期（如 聊天记录_2026-04-20.xlsx）")

// senderRole is the role of a message whose file has no 账号类型: a sender
// written 店铺:子账号 is an agent, anyone else the buyer.
func senderRole(sender, buyer string) kpi.Role {
	if SenderIsAgent(sender) && sender != buyer {
		return kpi.RoleAgent
	}
	return kpi.RoleBuyer
}

// sentAt reads the message time; a time of day alone ("09:15:02", as some
// collectors write it) takes its date from the row's date column, else from
// the file name.
func (x *rowCtx) sentAt() kpi.Millis {
	if x.err != nil {
		return 0
	}
	v := x.need(mSentAt)
	if v == "" || !timeOnly(v) {
		return x.when(mSentAt, true)
	}
	date := x.str(mDate)
	if date == "" && x.r.hasNameDay {
		date = x.r.nameDay.String()
	}
	if date == "" {
		x.fail(mSentAt, v, errTimeOnly.Error())
		return 0
	}
	if d, ok := dayOf(date, x.r); ok {
		date = d.String()
	}
	t, err := x.r.parseTime(date + " " + v)
	if err != nil {
		x.fail(mSentAt, v, err.Error())
	}
	return t
}

// timeOnly reports "H:MM" or "H:MM:SS" without a date.
func timeOnly(s string) bool {
	p := &timeScanner{s: s}
	if _, ok := p.num(1, 2); !ok || !p.lit(":") {
		return false
	}
	if _, ok := p.num(2, 2); !ok {
		return false
	}
	if p.lit(":") {
		if _, ok := p.num(2, 2); !ok {
			return false
		}
	}
	return p.done()
}

// buildConversation splits one conversation cell into its messages. Who is
// who: a sender equal to the buyer (客户ID) is the buyer; a sender written
// 店铺:子账号 is an agent; if the buyer's id never appears as a sender, the
// senders not in that form are the buyer when some sender is; with no agent
// form at all, the first sender is the buyer and the others agents.
func buildConversation(r *Reader, cells []string, row int) (Record, *RowError) {
	x := rowCtx{r: r, cells: cells, row: row}
	buyer := x.need(mBuyer)
	cell := x.need(mTranscript)
	if x.err != nil {
		return Record{}, x.err
	}
	lines, err := SplitConversation(cell)
	if err != nil {
		x.fail(mTranscript, truncate(cell, 60), err.Error())
		return Record{}, x.err
	}
	roles := conversationRoles(lines, buyer)
	rec := Record{}
	for i, l := range lines {
		t, err := r.parseTime(l.At)
		if err != nil {
			x.fail(mTranscript, l.At, err.Error())
			return Record{}, x.err
		}
		m := &kpi.Message{Buyer: buyer, Role: roles[i], SentAt: t, Content: l.Content, Shop: x.str(mShop)}
		if m.Role == kpi.RoleAgent {
			m.Agent = l.Sender
		}
		rec.Messages = append(rec.Messages, m)
	}
	if len(rec.Messages) == 0 {
		return Record{}, nil // only system lines: nothing to import
	}
	return rec, nil
}

func conversationRoles(lines []ChatLine, buyer string) []kpi.Role {
	buyerSpeaks, agentForm := false, false
	for _, l := range lines {
		buyerSpeaks = buyerSpeaks || l.Sender == buyer
		agentForm = agentForm || SenderIsAgent(l.Sender)
	}
	out := make([]kpi.Role, len(lines))
	for i, l := range lines {
		switch {
		case l.Sender == buyer:
			out[i] = kpi.RoleBuyer
		case SenderIsAgent(l.Sender), buyerSpeaks:
			out[i] = kpi.RoleAgent
		case isBotSender(l.Sender):
			out[i] = kpi.RoleBot
		case agentForm:
			out[i] = kpi.RoleBuyer
		case l.Sender == lines[0].Sender:
			out[i] = kpi.RoleBuyer
		default:
			out[i] = kpi.RoleAgent
		}
	}
	return out
}

// isBotSender names the platforms' automatic repliers.
func isBotSender(s string) bool {
	for _, w := range []string{"机器人", "自动回复", "智能客服", "店小蜜", "小蜜", "官方客服助手"} {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}
