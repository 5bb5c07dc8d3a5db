// Package ingest imports platform export files into the store: it drives the
// importer over a file, feeds its rows to one store import transaction, keeps
// the rejected rows and reports progress. The CLI and the web upload both use it.
package ingest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"time"

	"github.com/kefuboard/kefuboard/internal/importer"
	"github.com/kefuboard/kefuboard/internal/kpi"
	"github.com/kefuboard/kefuboard/internal/store"
)

// Options of one import.
type Options struct {
	Shop     string
	Settings store.ShopSettings // used when the shop is created by this import
	Kind     kpi.Kind           // "" = detect from the header
	Limits   importer.Limits
	// FileName is the name the user knows the file by (an upload's original
	// name; "" = the path's base): agent reports read their period from it.
	FileName string
	// Period is an agent report's period as the user stated it (wins over
	// the file name; needed when neither the file nor its name dates it).
	Period *kpi.Span
	// BadReviews reads the file as a copied list of bad reviews without a
	// rating (the upload option "这些都是中差评"): each is rated 2.
	BadReviews bool
	// Progress, when set, is called every few thousand rows and at the end
	// with the bytes read so far and the file size.
	Progress func(read, total int64)
	// FailAfter injects a failure after that many rows (tests of atomicity); 0 = never.
	FailAfter int
}

// Result is what happened to one file.
type Result struct {
	File     string
	Kind     kpi.Kind
	Encoding string
	RunID    int64
	Shop     string
	// Skipped counts an agent report's total and average rows (not agents).
	Skipped int
	// Period is an agent report's period when the whole file has one.
	Period *kpi.Span
	// NULs counts the NUL characters removed from the file's cells.
	NULs int
	// AlertsErr says why the platform rules could not be checked after the
	// import ("" = they were).
	AlertsErr string
	store.Counts
}

// ErrInjected is the failure Options.FailAfter injects.
var ErrInjected = errors.New("ingest: injected failure")

// File imports one file atomically: on any error nothing of it is written.
func File(ctx context.Context, s *store.Store, path string, opt Options) (Result, error) {
	res := Result{File: filepath.Base(path), Shop: opt.Shop}
	if opt.FileName != "" {
		res.File = filepath.Base(opt.FileName)
	}
	loc, err := location(ctx, s, opt)
	if err != nil {
		return res, err
	}
	r, err := importer.Open(path, importer.Options{Kind: opt.Kind, Location: loc, Limits: opt.Limits, FileName: res.File, Period: opt.Period,
		BadReviews: opt.BadReviews})
	if err != nil {
		return res, err
	}
	defer r.Close()
	if r.NeedsPeriod() {
		return res, importer.ErrNoPeriod
	}
	if p, ok := r.Period(); ok && r.Kind() == kpi.KindAgentReport {
		res.Period = &p
	}
	res.Kind, res.Encoding = r.Kind(), r.Encoding()
	tx, err := s.BeginImport(ctx, opt.Shop, opt.Settings, store.ImportMeta{
		FileName: res.File, Kind: r.Kind(), Encoding: r.Encoding(), Header: r.Header()})
	if err != nil {
		return res, err
	}
	if err := feed(ctx, r, tx, opt); err != nil {
		tx.Rollback()
		if ctx.Err() != nil {
			// Cancelled: the transaction was rolled back under the running
			// statement, whose own error ("statement is closed") says less.
			return res, ctx.Err()
		}
		return res, err
	}
	out, err := tx.Commit()
	if err != nil {
		return res, err
	}
	res.RunID, res.Counts, res.Shop, res.Skipped, res.NULs = out.RunID, out.Counts, out.Shop.Name, r.Skipped(), r.NULsStripped()
	// The platform rules are checked against the new numbers. The file is in
	// already: a failure here is reported, not the import's.
	if err := s.RefreshAlerts(ctx, res.Shop); err != nil {
		res.AlertsErr = err.Error()
	}
	if opt.Progress != nil {
		read, total := r.Progress()
		opt.Progress(read, total)
	}
	return res, nil
}

// location is the zone in which zone-less times of the file are read: the
// shop's if it exists, else the one it will be created with.
func location(ctx context.Context, s *store.Store, opt Options) (*time.Location, error) {
	sh, err := s.ShopByName(ctx, opt.Shop)
	if err == nil {
		return sh.Location(), nil
	}
	if !errors.Is(err, store.ErrNotFound) {
		return nil, err
	}
	tz := opt.Settings.TZ
	if tz == "" {
		tz = "Asia/Shanghai"
	}
	loc, err := time.LoadLocation(tz)
	if err != nil {
		return nil, fmt.Errorf("时区 %q 无效: %w", tz, err)
	}
	return loc, nil
}

const progressEvery = 4096

func feed(ctx context.Context, r *importer.Reader, tx *store.ImportTx, opt Options) error {
	var orders *orderMerger
	if r.Kind() == kpi.KindOrders {
		_, itemPrice := r.Columns()["item_price"]
		orders = newOrderMerger(itemPrice)
	}
	for n := 1; ; n++ {
		rec, rowErr, err := r.Next()
		if errors.Is(err, io.EOF) {
			if orders != nil {
				return orders.each(tx.AddOrder)
			}
			return nil
		}
		if err != nil {
			return err
		}
		switch {
		case rowErr != nil:
			err = tx.Reject(store.Reject{Row: rowErr.Row, Column: rowErr.Column, Value: rowErr.Value, Reason: rowErr.Reason, Raw: rowErr.Raw})
		case orders != nil && rec.Order != nil:
			orders.add(rec.Order) // written when the file is read whole: rows of one order merge
		default:
			err = add(tx, rec)
		}
		if err != nil {
			return err
		}
		if n%progressEvery == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
			if opt.Progress != nil {
				opt.Progress(r.Progress())
			}
		}
		if opt.FailAfter > 0 && n == opt.FailAfter {
			return ErrInjected
		}
	}
}

func add(tx *store.ImportTx, rec importer.Record) error {
	switch {
	case rec.Message != nil:
		return tx.AddMessage(rec.Message)
	case rec.Order != nil:
		return tx.AddOrder(rec.Order)
	case rec.Refund != nil:
		return tx.AddRefund(rec.Refund)
	case rec.Review != nil:
		return tx.AddReview(rec.Review)
	case rec.Complaint != nil:
		return tx.AddComplaint(rec.Complaint)
	case rec.Customer != nil:
		return tx.AddCustomer(rec.Customer)
	case rec.AgentReport != nil:
		return tx.AddAgentReport(rec.AgentReport)
	case len(rec.Messages) > 0:
		for _, m := range rec.Messages {
			if err := tx.AddMessage(m); err != nil {
				return err
			}
		}
		return nil
	}
	return fmt.Errorf("ingest: row %d carries no record", rec.Row)
}
