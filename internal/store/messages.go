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
		strings.TrimSuffix(strings.Repeat(one+", ", rows), ", ") + ` ON CONFLICT (shop_id, nkey) DO NOTHING RETURNING nkey, id`
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
	inserted := make(map[string]int64, len(t.pending))
	for rows.Next() {
		var k []byte
		var id int64
		if err := rows.Scan(&k, &id); err != nil {
			rows.Close()
			return err
		}
		inserted[string(k)] = id
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("store: insert messages: %w", err)
	}
	var existing []*pendingMsg
	for i := range t.pending {
		p := &t.pending[i]
		if id, ok := inserted[string(p.key)]; ok {
			t.count(added)
			add(p.st.msgBuyers, p.buyer)
			add(p.st.affected, p.buyer)
			if err := t.scanMessage(p, id); err != nil {
				return err
			}
			continue
		}
		existing = append(existing, p)
	}
	if err := t.updateMessages(existing); err != nil {
		return err
	}
	t.pending = t.pending[:0]
	clear(t.pendingKeys)
	return nil
}

type storedMsg struct{ id, digest, buyer int64 }

// updateMessages handles the queued messages whose key exists: one lookup for
// all of them, then unchanged, or updated in place.
func (t *ImportTx) updateMessages(ps []*pendingMsg) error {
	keys := map[int64][]any{} // shop -> keys (a batch may span shops)
	for _, p := range ps {
		keys[p.st.shop.ID] = append(keys[p.st.shop.ID], p.key)
	}
	type shopKey struct {
		shop int64
		key  string
	}
	stored := make(map[shopKey]storedMsg, len(ps))
	for shop, ks := range keys {
		rows, err := t.tx.QueryContext(t.ctx, `SELECT nkey, id, digest, buyer_id FROM messages WHERE shop_id = ? AND nkey IN (`+
			strings.TrimSuffix(strings.Repeat("?, ", len(ks)), ", ")+`)`, append([]any{shop}, ks...)...)
		if err != nil {
			return fmt.Errorf("store: upsert messages: %w", err)
		}
		for rows.Next() {
			var k []byte
			var m storedMsg
			if err := rows.Scan(&k, &m.id, &m.digest, &m.buyer); err != nil {
				rows.Close()
				return err
			}
			stored[shopKey{shop, string(k)}] = m
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("store: upsert messages: %w", err)
		}
	}
	for _, p := range ps {
		old, ok := stored[shopKey{p.st.shop.ID, string(p.key)}]
		if !ok {
			return fmt.Errorf("store: upsert messages: key of row neither inserted nor found")
		}
		if err := t.updateMessage(p, old); err != nil {
			return err
		}
	}
	return nil
}

// updateMessage updates one existing message if its digest changed.
func (t *ImportTx) updateMessage(p *pendingMsg, old storedMsg) error {
	a := p.args
	if old.digest == a[2].(int64) {
		t.count(unchanged)
		return nil
	}
	if _, err := t.exec(`UPDATE messages SET digest = ?, buyer_id = ?, role = ?, agent_id = ?, sent_at = ?, stage = ?, msg_id = ?, content = ? WHERE id = ?`,
		a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], old.id); err != nil {
		return fmt.Errorf("store: upsert message: %w", err)
	}
	t.count(updated)
	add(p.st.msgBuyers, p.buyer, old.buyer)
	add(p.st.affected, p.buyer, old.buyer)
	if _, err := t.exec(`DELETE FROM risk_items WHERE shop_id = ? AND message_id = ?`, p.st.shop.ID, old.id); err != nil {
		return fmt.Errorf("store: upsert message: %w", err)
	}
	return t.scanMessage(p, old.id)
}
