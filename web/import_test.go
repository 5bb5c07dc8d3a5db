package web

import (
	"bytes"
	"crypto/rand"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/kefuboard/kefuboard/internal/auth"
	"github.com/kefuboard/kefuboard/internal/demo"
	"github.com/kefuboard/kefuboard/internal/kpi"
	"github.com/kefuboard/kefuboard/internal/store"
)

type impUpload struct {
	name string
	data []byte
}

// impPostFiles sends a multipart upload as the import form does; token is the
// CSRF token sent in the _csrf field ("-" = none).
func (c *client) impPostFiles(path string, fields url.Values, files []impUpload, token string) (*http.Response, string) {
	c.e.t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	if token != "-" {
		w.WriteField("_csrf", token)
	}
	for k, vs := range fields {
		for _, v := range vs {
			w.WriteField(k, v)
		}
	}
	for _, f := range files {
		fw, err := w.CreateFormFile("files", f.name)
		if err != nil {
			c.e.t.Fatal(err)
		}
		fw.Write(f.data)
	}
	w.Close()
	req := httptest.NewRequest(http.MethodPost, path, &buf)
	req.Header.Set("Content-Type", w.FormDataContentType())
	return c.do(req)
}

// impFingerprint counts what an import writes: any change means something was written.
func impFingerprint(t *testing.T, e *testEnv) string {
	t.Helper()
	var b strings.Builder
	for _, tbl := range []string{"shops", "agents", "buyers", "messages", "orders", "refunds", "reviews", "complaints", "customers", "import_runs", "import_rejects", "daily_stats"} {
		var n int
		if err := e.st.DB().QueryRow(`SELECT count(*) FROM ` + tbl).Scan(&n); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "%s=%d ", tbl, n)
	}
	return b.String()
}

var impNewShopForm = url.Values{"shop": {"new"}, "new_shop": {"导入测试店"}, "platform": {"jd"}, "tz": {"Asia/Shanghai"}}

// impPreview uploads files and returns the preview page and its staging id.
func impPreview(t *testing.T, c *client, fields url.Values, files []impUpload) (string, string) {
	t.Helper()
	resp, body := c.impPostFiles("/import/preview", fields, files, c.csrf)
	loc := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/import/preview/") {
		t.Fatalf("preview → %d %q %.300s", resp.StatusCode, loc, body)
	}
	resp, body = c.get(loc)
	if resp.StatusCode != 200 {
		t.Fatalf("preview page %d", resp.StatusCode)
	}
	return body, strings.TrimPrefix(loc, "/import/preview/")
}

// impWaitJob polls the job's progress fragment until it is done.
func impWaitJob(t *testing.T, c *client, jobURL string) string {
	t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	for time.Now().Before(deadline) {
		resp, body := c.get(jobURL + "/progress")
		if resp.StatusCode != 200 {
			t.Fatalf("progress %d %s", resp.StatusCode, body)
		}
		if strings.Contains(body, `data-testid="import-report"`) {
			return body
		}
		if !strings.Contains(body, `hx-trigger="every 1s"`) {
			t.Fatalf("running fragment does not poll: %.300s", body)
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatal("import job did not finish")
	return ""
}

func impDemoFiles(t *testing.T) ([]impUpload, demo.Manifest) {
	t.Helper()
	dir := t.TempDir()
	m, err := demo.Generate(demo.Config{Dir: dir, Days: 4, Agents: 2, ChatsPerAgentDay: 6, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	var ups []impUpload
	for _, f := range m.Files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		ups = append(ups, impUpload{filepath.Base(f), b})
	}
	return ups, m
}

var impJobRe = regexp.MustCompile(`^/import/jobs/[0-9a-f]{32}$`)

func TestImportDemoFilesIntoNewShop(t *testing.T) {
	e := newTestEnv(t)
	c := e.owner()
	resp, body := c.get("/import")
	if resp.StatusCode != 200 || !strings.Contains(body, `data-testid="upload-form"`) || !strings.Contains(body, `enctype="multipart/form-data"`) ||
		!strings.Contains(body, "js/import.js") || !strings.Contains(body, `accept=".csv,.tsv,.txt,.xlsx,.xls"`) {
		t.Fatalf("import page %d", resp.StatusCode)
	}
	files, man := impDemoFiles(t)
	before := impFingerprint(t, e)

	page, id := impPreview(t, c, impNewShopForm, files)
	for i, f := range files {
		if !strings.Contains(page, f.name) || !strings.Contains(page, fmt.Sprintf(`data-testid="preview-%d"`, i)) {
			t.Errorf("preview lacks %s", f.name)
		}
	}
	for _, label := range []string{"聊天记录", "订单", "售后", "评价", "投诉", "会员", "GBK/GB18030", "Excel .xlsx", "UTF-8（带 BOM）", "买家昵称"} {
		if !strings.Contains(page, label) {
			t.Errorf("preview lacks %q", label)
		}
	}
	if strings.Contains(page, `data-testid="refused"`) {
		t.Errorf("a demo file was refused: %s", page[strings.Index(page, `data-testid="refused"`):][:300])
	}
	if got := impFingerprint(t, e); got != before {
		t.Fatalf("preview wrote to the database:\n%s\n%s", before, got)
	}

	form := url.Values{"staging": {id}}
	for i := range files {
		form.Set(fmt.Sprintf("include_%d", i), "1")
	}
	resp, _ = c.post("/import/commit", form)
	jobURL := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusSeeOther || !impJobRe.MatchString(jobURL) {
		t.Fatalf("commit → %d %q", resp.StatusCode, jobURL)
	}
	if resp, body := c.get(jobURL); resp.StatusCode != 200 || !strings.Contains(body, "导入进度") || !strings.Contains(body, `id="import-job"`) {
		t.Fatalf("job page %d", resp.StatusCode)
	}
	done := impWaitJob(t, c, jobURL)
	if !strings.Contains(done, "导入完成：6 个文件已导入") || strings.Count(done, `data-testid="job-file"`) != 6 || strings.Contains(done, "hx-trigger") {
		t.Fatalf("job report: %s", done)
	}

	// The staging folder is gone with the job.
	if _, err := os.Stat(filepath.Join(e.srv.cfg.DataDir, "uploads", id)); !os.IsNotExist(err) {
		t.Errorf("staging folder left behind: %v", err)
	}

	ctx := t.Context()
	sh, err := e.st.ShopByName(ctx, "导入测试店")
	if err != nil || sh.Platform != "jd" {
		t.Fatalf("new shop %+v %v", sh, err)
	}
	var msgs, orders int
	e.st.DB().QueryRow(`SELECT count(*) FROM messages WHERE shop_id = ?`, sh.ID).Scan(&msgs)
	e.st.DB().QueryRow(`SELECT count(*) FROM orders WHERE shop_id = ?`, sh.ID).Scan(&orders)
	if msgs != man.Messages || orders != man.Orders {
		t.Errorf("messages %d orders %d, manifest %d %d", msgs, orders, man.Messages, man.Orders)
	}
	sums, err := e.st.Sums(ctx, sh, kpi.DayOf(2000, 1, 1), kpi.DayOf(2100, 1, 1))
	if err != nil || sums.Shop.BuyerMessages == 0 || sums.Shop.PaidOrders == 0 {
		t.Fatalf("sums %+v %v", sums, err)
	}
	if !strings.Contains(done, `>`+itoa(int64(man.Messages))+`<`) {
		t.Errorf("report does not show %d messages added", man.Messages)
	}

	// Rejected rows (the demo plants some) are listed and downloadable.
	if len(man.Planted) > 0 {
		m := regexp.MustCompile(`href="(/import/runs/\d+/rejects\.csv)"`).FindStringSubmatch(done)
		if m == nil || !strings.Contains(done, `data-testid="file-rejects"`) {
			t.Fatalf("no rejects link in the report")
		}
		resp, csv := c.get(m[1])
		if resp.StatusCode != 200 || !strings.HasPrefix(csv, "\ufeff") || !strings.Contains(csv, "reason") ||
			!strings.Contains(resp.Header.Get("Content-Disposition"), "attachment") || resp.Header.Get("Content-Type") != "text/csv; charset=utf-8" {
			t.Errorf("rejects csv %d %q %.200s", resp.StatusCode, resp.Header.Get("Content-Type"), csv)
		}
	}

	// History lists the six runs, newest first.
	_, hist := c.get("/import")
	if n := strings.Count(hist, "<td class=\"text\">导入测试店</td>"); n != 6 {
		t.Errorf("history lists %d runs of the new shop", n)
	}
	if !strings.Contains(hist, "messages.csv") || !strings.Contains(hist, "refunds.xlsx") {
		t.Error("history lacks the file names")
	}

	// A staging is committed once.
	after := impFingerprint(t, e)
	resp, _ = c.post("/import/commit", form)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/import" {
		t.Errorf("second commit → %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	if _, body := c.get("/import"); !strings.Contains(body, "已过期或已经导入") {
		t.Error("second commit: no message")
	}
	if impFingerprint(t, e) != after {
		t.Error("second commit wrote")
	}

	// Another owner does not see this owner's job.
	hash, _ := auth.HashPassword(testPassword)
	if _, err := e.st.CreateUser(ctx, "boss2", hash, store.RoleOwner, 0); err != nil {
		t.Fatal(err)
	}
	other := e.login("boss2")
	if resp, _ := other.get(jobURL); resp.StatusCode != http.StatusNotFound {
		t.Errorf("other owner sees the job: %d", resp.StatusCode)
	}
	if resp, _ := other.get(jobURL + "/progress"); resp.StatusCode != 286 {
		t.Errorf("other owner polls the job: %d", resp.StatusCode)
	}
}

func TestImportReimportIntoExistingShopIsUnchanged(t *testing.T) {
	e := newTestEnv(t)
	c := e.owner()
	files, _ := impDemoFiles(t)
	page, id := impPreview(t, c, impNewShopForm, files[:2])
	if strings.Contains(page, `data-testid="refused"`) {
		t.Fatal("refused")
	}
	resp, _ := c.post("/import/commit", url.Values{"staging": {id}, "include_0": {"1"}, "include_1": {"1"}})
	impWaitJob(t, c, resp.Header.Get("Location"))
	sh, err := e.st.ShopByName(t.Context(), "导入测试店")
	if err != nil {
		t.Fatal(err)
	}
	before := impFingerprint(t, e)
	// Again, into the shop now chosen from the list: every row unchanged.
	_, id = impPreview(t, c, url.Values{"shop": {itoa(sh.ID)}}, files[:2])
	resp, _ = c.post("/import/commit", url.Values{"staging": {id}, "include_0": {"1"}, "include_1": {"1"}})
	done := impWaitJob(t, c, resp.Header.Get("Location"))
	if !strings.Contains(done, "导入完成") {
		t.Fatalf("%s", done)
	}
	runs, _ := e.st.ImportRuns(t.Context(), 2)
	for _, r := range runs {
		if r.Added != 0 || r.Updated != 0 || r.Unchanged == 0 {
			t.Errorf("re-import %s: %+v", r.FileName, r.Counts)
		}
	}
	// Only the two runs (and their rejected rows) were recorded; the data is as it was.
	runsRe := regexp.MustCompile(`import_(runs|rejects)=\d+ `)
	if after := impFingerprint(t, e); runsRe.ReplaceAllString(after, "") != runsRe.ReplaceAllString(before, "") || after == before {
		t.Errorf("re-import changed data:\n%s\n%s", before, after)
	}
}

func TestImportBadUploadsWriteNothing(t *testing.T) {
	e := newTestEnv(t)
	c := e.owner()
	junk := make([]byte, 4096)
	rand.Read(junk)
	junk[10] = 0
	big := bytes.Repeat([]byte("订单号,买家账号,下单时间,实付金额\n"), (9<<20)/40)
	cases := []struct {
		name string
		data []byte
		want []string
	}{
		{"empty.csv", nil, []string{"文件是空的"}},
		{"junk.csv", junk, []string{"二进制"}},
		{"unknown.csv", []byte("颜色,尺码,库存\n红,XL,3\n"), []string{"无法识别文件类型", "颜色"}},
		{"missing.csv", []byte("订单号,买家账号,下单时间\nA1,tb_1,2024-03-01 10:00:00\n"), []string{"缺少必需的列", "实付金额"}},
		{"old.xls", append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 600)...), []string{"Excel 97–2003"}},
		{"photo.png", []byte("\x89PNG\r\n\x1a\n"), []string{"不支持的文件类型（.png）"}},
		{"header-only.csv", []byte("订单号,买家账号,下单时间,支付时间,实付金额\n"), []string{"只有表头"}},
		{"bad.xlsx", append([]byte("PK\x03\x04"), junk...), nil},
		{"../../etc/passwd.csv", []byte("x"), nil},
	}
	before := impFingerprint(t, e)
	for _, tc := range cases {
		page, id := impPreview(t, c, impNewShopForm, []impUpload{{tc.name, tc.data}})
		if !strings.Contains(page, `data-testid="refused"`) || strings.Contains(page, `data-testid="upload-commit"`) {
			t.Errorf("%s: not refused", tc.name)
			continue
		}
		for _, w := range tc.want {
			if !strings.Contains(page, w) {
				i := strings.Index(page, `data-testid="refused"`)
				t.Errorf("%s: message lacks %q: %.400s", tc.name, w, page[i:])
			}
		}
		if i := strings.Index(page, `data-testid="refused"`); i >= 0 {
			t.Logf("%s: %.300s", tc.name, page[i+22:])
		}
		// Committing anyway imports nothing.
		resp, _ := c.post("/import/commit", url.Values{"staging": {id}, "include_0": {"1"}})
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/import" {
			t.Errorf("%s: commit → %d %s", tc.name, resp.StatusCode, resp.Header.Get("Location"))
		}
		if _, body := c.get("/import"); !strings.Contains(body, "没有选择可导入的文件") {
			t.Errorf("%s: no message after commit", tc.name)
		}
		if got := impFingerprint(t, e); got != before {
			t.Fatalf("%s wrote:\n%s\n%s", tc.name, before, got)
		}
	}
	// The traversal name stays inside its staging folder.
	filepath.WalkDir(e.srv.cfg.DataDir, func(p string, d os.DirEntry, err error) error {
		if d != nil && !d.IsDir() && strings.Contains(p, "passwd") && !strings.Contains(p, filepath.Join("uploads")) {
			t.Errorf("file outside uploads: %s", p)
		}
		return nil
	})

	// An upload over the limit (one big file, or files under it one by one
	// but over it together) is refused from its Content-Length, before a
	// byte of it is read; nothing is staged or written.
	var five bytes.Buffer
	five.WriteString("订单号,买家账号,下单时间,支付时间,实付金额\n")
	for i := 0; five.Len() < 5<<20; i++ {
		fmt.Fprintf(&five, "A%07d,tb_buyer,2024-03-01 10:00:00,,10.00\n", i)
	}
	for _, files := range [][]impUpload{{{"big.csv", big}}, {{"part1.csv", five.Bytes()}, {"part2.csv", five.Bytes()}}} {
		resp, body := c.impPostFiles("/import/preview", impNewShopForm, files, c.csrf)
		if resp.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(body, "超过上限 8.0 MB") {
			t.Errorf("%s: → %d, want 413 with the limit", files[0].name, resp.StatusCode)
		}
	}
	if got := impFingerprint(t, e); got != before {
		t.Errorf("an upload over the limit wrote:\n%s\n%s", before, got)
	}

	// No file chosen; a bad new-shop time zone.
	resp, _ := c.impPostFiles("/import/preview", impNewShopForm, nil, c.csrf)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/import" {
		t.Errorf("no files → %d", resp.StatusCode)
	}
	if _, body := c.get("/import"); !strings.Contains(body, "请选择要导入的文件") {
		t.Error("no files: no message")
	}
	bad := url.Values{"shop": {"new"}, "new_shop": {"x店"}, "tz": {"Mars/Olympus"}}
	c.impPostFiles("/import/preview", bad, []impUpload{{"a.csv", []byte("a")}}, c.csrf)
	if _, body := c.get("/import"); !strings.Contains(body, "无法识别的时区") {
		t.Error("bad tz: no message")
	}
	// The upload script gets JSON, not a redirect.
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	w.WriteField("shop", "new")
	w.Close()
	req := httptest.NewRequest(http.MethodPost, "/import/preview", &buf)
	req.Header.Set("Content-Type", w.FormDataContentType())
	req.Header.Set("X-Requested-With", "XMLHttpRequest")
	req.Header.Set("X-CSRF-Token", c.csrf)
	resp, body := c.do(req)
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `"error"`) {
		t.Errorf("xhr refusal %d %s", resp.StatusCode, body)
	}
	if impFingerprint(t, e) != before {
		t.Fatal("bad uploads wrote")
	}
}

// A kind forced by hand that the file does not fit fails that file whole;
// the other files still import.
func TestImportWrongKindOverride(t *testing.T) {
	e := newTestEnv(t)
	c := e.owner()
	files, _ := impDemoFiles(t)
	var reviews impUpload
	for _, f := range files {
		if f.name == "reviews.csv" {
			reviews = f
		}
	}
	before := impFingerprint(t, e)
	_, id := impPreview(t, c, impNewShopForm, []impUpload{reviews})
	resp, _ := c.post("/import/commit", url.Values{"staging": {id}, "include_0": {"1"}, "kind_0": {"orders"}})
	done := impWaitJob(t, c, resp.Header.Get("Location"))
	if !strings.Contains(done, `data-testid="file-error"`) || !strings.Contains(done, "缺少必需的列") || !strings.Contains(done, "1 个文件未导入") {
		t.Fatalf("wrong kind report: %s", done)
	}
	if impFingerprint(t, e) != before {
		t.Fatal("a refused file wrote")
	}
}

func TestImportCSRF(t *testing.T) {
	e := newTestEnv(t)
	c := e.owner()
	before := impFingerprint(t, e)
	for _, tok := range []string{"-", "", "forged"} {
		resp, body := c.impPostFiles("/import/preview", impNewShopForm, []impUpload{{"a.csv", []byte("订单号\n1\n")}}, tok)
		if resp.StatusCode != http.StatusForbidden || !strings.Contains(body, "CSRF") {
			t.Errorf("preview token %q: %d", tok, resp.StatusCode)
		}
	}
	if resp, _ := c.post("/import/commit", url.Values{"staging": {"x"}, "_csrf": {""}}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("commit without token: %d", resp.StatusCode)
	}
	if impFingerprint(t, e) != before {
		t.Fatal("wrote")
	}
	entries, _ := os.ReadDir(filepath.Join(e.srv.cfg.DataDir, "uploads"))
	if len(entries) != 0 {
		t.Errorf("refused uploads staged: %d", len(entries))
	}
}

func TestImportRoutesOwnerOnly(t *testing.T) {
	e := newTestEnv(t)
	gets := []string{"/import", "/import/preview/abc", "/import/jobs/abc", "/import/jobs/abc/progress", "/import/runs/1/rejects.csv"}
	posts := []string{"/import/preview", "/import/commit"}
	ag := e.agent()
	for _, p := range gets {
		if resp, _ := ag.get(p); resp.StatusCode != http.StatusForbidden {
			t.Errorf("agent GET %s → %d", p, resp.StatusCode)
		}
	}
	for _, p := range posts {
		if resp, _ := ag.post(p, url.Values{"staging": {"x"}}); resp.StatusCode != http.StatusForbidden {
			t.Errorf("agent POST %s → %d", p, resp.StatusCode)
		}
	}
	if resp, _ := ag.impPostFiles("/import/preview", impNewShopForm, []impUpload{{"a.csv", []byte("x")}}, ag.csrf); resp.StatusCode != http.StatusForbidden {
		t.Errorf("agent upload → %d", resp.StatusCode)
	}
	anon := e.anon()
	anon.get("/login")
	for _, p := range gets {
		if resp, _ := anon.get(p); resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/login") {
			t.Errorf("anonymous GET %s → %d", p, resp.StatusCode)
		}
	}
	for _, p := range posts {
		if resp, _ := anon.post(p, nil); resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("anonymous POST %s → %d", p, resp.StatusCode)
		}
	}
}

func TestImportSafeFileName(t *testing.T) {
	for in, want := range map[string]string{
		"订单.csv":               "订单.csv",
		"../../etc/passwd":     "passwd",
		`C:\Users\me\聊天记录.csv`: "聊天记录.csv",
		"..":                   "文件1",
		".hidden.csv":          "hidden.csv",
		"a\x00b<>|?.csv":       "ab.csv",
		"":                     "文件1",
	} {
		if got := importFileName(in, 0); got != want {
			t.Errorf("safeFileName(%q) = %q, want %q", in, got, want)
		}
	}
	long := strings.Repeat("长", 200) + ".xlsx"
	if got := importFileName(long, 0); len([]rune(got)) != 80 || !strings.HasSuffix(got, ".xlsx") {
		t.Errorf("long name → %q", got)
	}
}
