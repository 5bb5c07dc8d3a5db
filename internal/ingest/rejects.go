package ingest

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/kefuboard/kefuboard/internal/importer"
	"github.com/kefuboard/kefuboard/internal/store"
)

// WriteRejects writes the rejected rows of an import run as a CSV the user can
// open in Excel (UTF-8 with BOM), fix and import again: the file's own header
// and cells, plus a last column `reason` saying what was wrong and where.
func WriteRejects(ctx context.Context, s *store.Store, runID int64, w io.Writer) error {
	run, err := s.ImportRunByID(ctx, runID)
	if err != nil {
		return err
	}
	rejects, err := s.Rejects(ctx, runID)
	if err != nil {
		return err
	}
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	header := make([]string, 0, len(run.Header)+1)
	for _, h := range run.Header {
		header = append(header, importer.SafeCSVCell(h))
	}
	cw.Write(append(header, "reason"))
	for _, r := range rejects {
		cells := make([]string, len(run.Header), len(run.Header)+1)
		for i := range cells {
			if i < len(r.Raw) {
				cells[i] = importer.SafeCSVCell(r.Raw[i])
			}
		}
		cw.Write(append(cells, importer.SafeCSVCell(RejectReason(r))))
	}
	cw.Flush()
	return cw.Error()
}

// RejectReason is the reason text of one rejected row, with row and column.
func RejectReason(r store.Reject) string {
	var b strings.Builder
	fmt.Fprintf(&b, "第%d行", r.Row)
	if r.Column != "" {
		fmt.Fprintf(&b, "「%s」", r.Column)
	}
	b.WriteString(": ")
	b.WriteString(r.Reason)
	return b.String()
}

// SaveRejects writes the rejects CSV of a run into dir and returns its path
// ("" when the run rejected nothing).
func SaveRejects(ctx context.Context, s *store.Store, res Result, dir string) (string, error) {
	if res.Rejected == 0 {
		return "", nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	base := strings.TrimSuffix(res.File, filepath.Ext(res.File))
	path := filepath.Join(dir, fmt.Sprintf("%d-%s.rejects.csv", res.RunID, base))
	f, err := os.Create(path)
	if err != nil {
		return "", err
	}
	if err := WriteRejects(ctx, s, res.RunID, f); err != nil {
		f.Close()
		return "", err
	}
	return path, f.Close()
}
