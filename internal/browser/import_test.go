package browser

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/kefuboard/kefuboard/internal/demoshop"
)

// TestBrowserImportUpload uploads a demo export through the import page's
// file input, previews it, commits it and reads the import report. The file
// has planted bad rows, so the report must show rejected rows.
func TestBrowserImportUpload(t *testing.T) {
	e := newEnv(t)
	b := e.newTab()
	b.login(demoshop.OwnerUser)
	if !b.visit("/import") {
		t.FailNow()
	}
	dir := screenshotDir(t)
	file := filepath.Join(demoDir, "reviews.csv")

	b.need(`input[type="file"][data-testid="upload-input"]`)
	b.need(`[data-testid="upload-preview"]`)
	b.do("choose the file",
		chromedp.SetUploadFiles(chromedp.CSS(`input[type="file"][data-testid="upload-input"]`), []string{file}),
	)
	b.do("preview", chromedp.Click(chromedp.CSS(`[data-testid="upload-preview"]`)))
	b.need(`[data-testid="upload-commit"]`)
	b.chartsReady("import preview")
	t.Logf("screenshot %s", b.screenshot(dir, "owner-import-preview"))
	b.noProblems("import preview")
	if preview := b.text("main"); !strings.Contains(preview, "reviews.csv") {
		t.Errorf("the preview does not name the file: %q", preview)
	}

	b.do("commit", chromedp.Click(chromedp.CSS(`[data-testid="upload-commit"]`)))
	// The import runs as a job; the report appears when it has finished.
	report := `[data-testid="import-report"]`
	b.need(report, 90*time.Second)
	text := b.text(report)
	t.Logf("import report: %s", text)
	if !strings.Contains(text, "reviews.csv") {
		t.Errorf("the report does not name the file: %q", text)
	}
	// reviews.csv has a planted bad row (评分 6): the report lists it with a
	// download of the rejected rows.
	if b.count(`[data-testid="file-rejects"]`) != 1 || b.count(`[data-testid="rejects-link"]`) != 1 {
		t.Errorf("the report shows no rejected rows / rejects download for reviews.csv")
	}
	b.noProblems("import report")
	t.Logf("screenshot %s", b.screenshot(dir, "owner-import-report"))
	b.resize(phoneW, phoneH)
	t.Logf("screenshot %s", b.screenshot(dir, "owner-import-report"))
}
