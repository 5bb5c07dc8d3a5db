package kpi

import (
	"crypto/sha256"
	"encoding/binary"
	"hash/fnv"
	"strconv"
)

// Natural keys (docs/IMPORT-FORMATS.md "Identity and re-import"). A key is a short byte
// string unique per shop: the platform id when the row has one, else a SHA-256
// digest of the identifying fields (truncated to 16 bytes: collisions are out of
// reach for any shop's lifetime). A 0x00 separator keeps "ab"+"c" apart from "a"+"bc".

func idKey(id string) []byte { return append([]byte{'i', 0}, id...) }

func tupleKey(parts ...string) []byte {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	sum := h.Sum(nil)
	return append([]byte{'h', 0}, sum[:16]...)
}

func ms(t Millis) string { return strconv.FormatInt(int64(t), 10) }

// Key of a message: msg_id, else (buyer, sent_at, role, agent, content).
func (m *Message) Key() []byte {
	if m.MsgID != "" {
		return idKey(m.MsgID)
	}
	return tupleKey(m.Buyer, ms(m.SentAt), m.Role.String(), m.Agent, m.Content)
}

// Key of a review: review_id, else (order_id, buyer, created_at).
func (r *Review) Key() []byte {
	if r.ReviewID != "" {
		return idKey(r.ReviewID)
	}
	return tupleKey(r.OrderID, r.Buyer, ms(r.CreatedAt))
}

// Key of a complaint: complaint_id, else (buyer, created_at, order_id).
func (c *Complaint) Key() []byte {
	if c.ComplaintID != "" {
		return idKey(c.ComplaintID)
	}
	return tupleKey(c.Buyer, ms(c.CreatedAt), c.OrderID)
}

// Digest fingerprints every stored field of a row, so a re-import can tell an
// unchanged row (skip) from a newer export of it (update) without comparing
// column by column in SQL.
type Digest struct{ h hashWriter }

type hashWriter interface {
	Write([]byte) (int, error)
	Sum64() uint64
}

// NewDigest starts a digest.
func NewDigest() *Digest { return &Digest{h: fnv.New64a()} }

// Str adds a string field.
func (d *Digest) Str(s string) *Digest {
	d.h.Write([]byte(s))
	d.h.Write([]byte{0})
	return d
}

// Int adds an integer field.
func (d *Digest) Int(v int64) *Digest {
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], uint64(v))
	d.h.Write(b[:])
	return d
}

// Sum returns the digest as a signed integer (SQLite INTEGER).
func (d *Digest) Sum() int64 { return int64(d.h.Sum64()) }

func b2i(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

// Digest of every stored field of the row.
func (m *Message) Digest() int64 {
	return NewDigest().Str(m.MsgID).Str(m.Buyer).Int(int64(m.Role)).Str(m.Agent).
		Int(int64(m.SentAt)).Str(m.Content).Int(int64(m.Stage)).Sum()
}

// Digest of every stored field of the row.
func (o *Order) Digest() int64 {
	return NewDigest().Str(o.Buyer).Int(int64(o.CreatedAt)).Int(int64(o.PaidAt)).
		Int(int64(o.Amount)).Int(o.Quantity).Str(o.Status).Str(o.Product).Str(o.Agent).
		Int(int64(o.ShippedAt)).Int(int64(o.PickedUpAt)).Int(int64(o.DeliveredAt)).Sum()
}

// Digest of every stored field of the row.
func (r *Refund) Digest() int64 {
	return NewDigest().Str(r.OrderID).Str(r.Buyer).Int(int64(r.Type)).Int(int64(r.Status)).
		Int(int64(r.RequestedAt)).Int(int64(r.CompletedAt)).Str(r.Reason).Int(int64(r.Amount)).
		Int(b2i(r.Intervened)).Int(b2i(r.MerchantLiable)).Str(r.Agent).Sum()
}

// Digest of every stored field of the row.
func (r *Review) Digest() int64 {
	return NewDigest().Str(r.ReviewID).Str(r.OrderID).Str(r.Buyer).Int(int64(r.Rating)).
		Int(int64(r.CreatedAt)).Str(r.Content).Str(r.Product).Int(int64(r.DSRDescription)).
		Int(int64(r.DSRService)).Int(int64(r.DSRLogistics)).Sum()
}

// Digest of every stored field of the row.
func (c *Complaint) Digest() int64 {
	return NewDigest().Str(c.ComplaintID).Str(c.Buyer).Int(int64(c.CreatedAt)).Str(c.OrderID).
		Str(c.Agent).Str(c.Type).Str(c.Status).Sum()
}

// Digest of every stored field of the row.
func (c *Customer) Digest() int64 {
	d := NewDigest().Str(c.Name).Str(c.Phone).Str(c.Birthday).Str(c.Level).Int(int64(c.JoinedAt))
	for _, t := range c.Tags {
		d.Str(t)
	}
	return d.Sum()
}
