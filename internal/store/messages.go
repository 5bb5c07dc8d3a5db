package store

import (
	"errors"
	"fmt"
	"strings"

	"github.com/kefuboard/kefuboard/internal/kpi"
)

// Messages are most of every import, so they are written in batches: one
// multi-row INSERT … ON CONFLICT DO NOTHING RETURNING nkey per batch. Rows it
// returns were added; the rest exist already and go through the per-row
// compare-and-update path. Batches keep file order (rowids follow VALUES order).

const msgBatch = 128

const msgCols = 10

type pendingMsg struct {
	st    *shopState
	buyer int64
	key   []byte
	args  [msgCols]any
	m     *kpi.Message
}

// AddMessage queues one chat message for upsert.
func (t *ImportTx) AddMessage(m *kpi.Message) error {
	st, err := t.shopFor(m.Shop)
	if err != nil {
		return err
	}
	buyer, err := t.buyerID(st, m.Buyer)
	if err != nil {
		return err
	}
	var agent int64
	if m.Role == kpi.RoleAgent { // only a human agent's own messages name an agent that matters
		if agent, err = t.agentID(st, m.Agent); err != nil {
			return err
		}
		if agent == 0 {
			return errors.New("store: agent message without agent name")
		}
	}
	key := m.Key()
	if t.pendingKeys[string(key)] {
		// The same key twice in one batch: the second must see the first.
		if err := t.flushMessages(); err != nil {
			return err
		}
	}
	t.pending = append(t.pending, pendingMsg{st: st, buyer: buyer, key: key, m: m,
		args: [msgCols]any{st.shop.ID, key, m.Digest(), buyer, int64(m.Role), nullID(agent), int64(m.SentAt), int64(m.Stage), m.MsgID, m.Content}})
	t.pendingKeys[string(key)] = true
	if len(t.pending) == msgBatch {
		return t.flushMessages()
	}
	return nil
}

func msgInsertSQL(rows int) string {
	one := "(" + strings.TrimSuffix(strings.Repeat("?, ", msgCols), ", ") + ")"
	return `INSERT INTO messages (shop_id, nkey, digest, buyer_id, role, agent_id, sent_at, stage, msg_id, content) VALUES ` +
		strings.TrimSuffix(strings.Repeat(one+", ", rows), ", ") + ` ON CONFLICT (shop_id, nkey) DO NOTHING RETURNING nkey`
}

// flushMessages writes the queued messages.
func (t *ImportTx) flushMessages() error {
	if len(t.pending) == 0 {
		return nil
	}
	query := t.msgFull
	if len(t.pending) != msgBatch {
		query = msgInsertSQL(len(t.pending))
	}
	args := make([]any, 0, len(t.pending)*msgCols)
	for i := range t.pending {
		args = append(args, t.pending[i].args[:]...)
	}
	st, err := t.prepared(query)
	if err != nil {
		return fmt.Errorf("store: insert messages: %w", err)
	}
	rows, err := st.QueryContext(t.ctx, args...)
	if err != nil {
		return fmt.Errorf("store: insert messages: %w", err)
	}
	inserted := make(map[string]bool, len(t.pending))
	for rows.Next() {
		var k []byte
		if err := rows.Scan(&k); err != nil {
			rows.Close()
			return err
		}
		inserted[string(k)] = true
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("store: insert messages: %w", err)
	}
	for i := range t.pending {
		p := &t.pending[i]
		if inserted[string(p.key)] {
			t.count(added)
			add(p.st.msgBuyers, p.buyer)
			add(p.st.affected, p.buyer)
			continue
		}
		if err := t.updateMessage(p); err != nil {
			return err
		}
	}
	t.pending = t.pending[:0]
	clear(t.pendingKeys)
	return nil
}

// updateMessage handles a message whose key exists: unchanged, or updated in place.
func (t *ImportTx) updateMessage(p *pendingMsg) error {
	var id, digest, oldBuyer int64
	a := p.args
	if err := t.queryRow(`SELECT id, digest, buyer_id FROM messages WHERE shop_id = ? AND nkey = ?`, a[0], a[1]).Scan(&id, &digest, &oldBuyer); err != nil {
		return fmt.Errorf("store: upsert message: %w", err)
	}
	if digest == a[2].(int64) {
		t.count(unchanged)
		return nil
	}
	if _, err := t.exec(`UPDATE messages SET digest = ?, buyer_id = ?, role = ?, agent_id = ?, sent_at = ?, stage = ?, msg_id = ?, content = ? WHERE id = ?`,
		a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], id); err != nil {
		return fmt.Errorf("store: upsert message: %w", err)
	}
	t.count(updated)
	add(p.st.msgBuyers, p.buyer, oldBuyer)
	add(p.st.affected, p.buyer, oldBuyer)
	return nil
}
