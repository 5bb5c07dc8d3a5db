package web

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"github.com/kefuboard/kefuboard/internal/importer"
	"github.com/kefuboard/kefuboard/internal/ingest"
	"github.com/kefuboard/kefuboard/internal/kpi"
	"github.com/kefuboard/kefuboard/internal/store"
	"github.com/kefuboard/kefuboard/views"
)

// The import page (the product card, page 8): upload → preview → background import
// with progress → per-file report, and the import history. Owners only.
//
//	GET  /import                      upload form and history
//	POST /import/preview              stage the files, inspectStaged them → 303 to the preview
//	GET  /import/preview/:id          what each file is, its first rows, or why it is refused
//	POST /import/commit               start the import job → 303 to the job
//	GET  /import/jobs/:id             progress, then the report
//	GET  /import/jobs/:id/progress    the progress fragment htmx polls every second
//	GET  /import/runs/:id/rejects.csv a run's rejected rows with reasons
func (s *Server) importRoutes(a *fiber.App) {
	m := newImportState(s)
	a.Hooks().OnShutdown(func() error {
		m.shutdown(25 * time.Second)
		return nil
	})
	a.Get("/import", requireOwner, m.index)
	a.Post("/import/preview", requireOwner, m.preview)
	a.Get("/import/preview/:id", requireOwner, m.previewPage)
	a.Post("/import/commit", requireOwner, m.commit)
	a.Get("/import/jobs/:id", requireOwner, m.jobPage)
	a.Get("/import/jobs/:id/progress", requireOwner, m.jobProgress)
	a.Get("/import/runs/:id/rejects.csv", requireOwner, m.rejectsCSV)
}

const (
	importMaxFiles    = 20
	importPreviewRows = 5
	importHistoryRuns = 50
	importDefaultTZ   = "Asia/Shanghai"
)

// importKindOrder is the order a job imports files in: chats first, as an export
// session usually produces them.
var importKindOrder = []kpi.Kind{kpi.KindAgentReport, kpi.KindMessages, kpi.KindOrders, kpi.KindRefunds, kpi.KindReviews, kpi.KindComplaints, kpi.KindCustomers}

var importKindNames = map[kpi.Kind]string{
	kpi.KindAgentReport: "客服绩效报表", kpi.KindMessages: "聊天记录", kpi.KindOrders: "订单", kpi.KindRefunds: "售后",
	kpi.KindReviews: "评价", kpi.KindComplaints: "投诉", kpi.KindCustomers: "会员",
}

func importKindName(k string) string {
	if n, ok := importKindNames[kpi.Kind(k)]; ok {
		return n
	}
	return k
}

var importEncodingNames = map[string]string{
	importer.EncUTF8: "UTF-8", importer.EncUTF8BOM: "UTF-8（带 BOM）", importer.EncGB18030: "GBK/GB18030",
	importer.EncUTF16LE: "UTF-16", importer.EncUTF16BE: "UTF-16 BE", importer.EncXLSX: "Excel .xlsx",
	importer.EncXLS: "Excel 97–2003 .xls",
}

func importEncodingName(e string) string {
	if n, ok := importEncodingNames[e]; ok {
		return n
	}
	return e
}

func (m *importState) index(c *fiber.Ctx) error {
	m.prune(time.Now())
	p, err := m.s.page(c, "数据导入", "import")
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	shops, err := m.s.st.Shops(ctx)
	if err != nil {
		return err
	}
	runs, err := m.s.st.ImportRuns(ctx, importHistoryRuns)
	if err != nil {
		return err
	}
	v := views.ImportPage{Page: p, DefaultTZ: importDefaultTZ,
		MaxBytes: strconv.FormatInt(m.s.cfg.MaxUploadBytes, 10), MaxUpload: impSize(m.s.cfg.MaxUploadBytes),
		MaxFiles: strconv.Itoa(importMaxFiles), Platforms: importPlatformChoices("")}
	for _, sh := range shops {
		v.Shops = append(v.Shops, views.ImportChoice{Value: itoa(sh.ID), Label: sh.Name + "（" + settingsPlatformName(sh.Platform) + "）", Selected: sh.ID == p.ShopID})
	}
	for _, r := range runs {
		loc, err := time.LoadLocation(r.ShopTZ)
		if err != nil {
			loc = time.UTC
		}
		row := views.ImportRun{ID: itoa(r.ID), File: r.FileName, Kind: importKindName(r.Kind), Encoding: importEncodingName(r.Encoding),
			Shop: r.ShopName, Started: time.UnixMilli(r.StartedAt).In(loc).Format("2006-01-02 15:04"),
			Added: itoa(r.Added), Updated: itoa(r.Updated), Unchanged: itoa(r.Unchanged), Rejected: itoa(r.Rejected)}
		if r.FinishedAt >= r.StartedAt {
			row.Took = impDuration(time.Duration(r.FinishedAt-r.StartedAt) * time.Millisecond)
		}
		if r.Rejected > 0 {
			row.RejectsURL = "/import/runs/" + itoa(r.ID) + "/rejects.csv"
		}
		v.History = append(v.History, row)
	}
	return render(c, views.ImportIndex(v))
}

// backToImport refuses an upload with a message on the import page (the
// upload script gets the message itself, to show under the form).
func (m *importState) backToImport(c *fiber.Ctx, msg string) error {
	if importXHR(c) {
		return c.Status(fiber.StatusUnprocessableEntity).JSON(fiber.Map{"error": msg})
	}
	m.s.flash(c, false, msg)
	return c.Redirect("/import", fiber.StatusSeeOther)
}

// importXHR reports an upload sent by static/js/import.js (which shows upload
// progress): it is answered with JSON instead of a redirect, since a
// followed redirect would consume the flash before the page is shown.
func importXHR(c *fiber.Ctx) bool { return c.Get("X-Requested-With") == "XMLHttpRequest" }

// preview stages the uploaded files and inspects each. Nothing is written to
// the database.
func (m *importState) preview(c *fiber.Ctx) error {
	u := currentUser(c)
	form, err := c.MultipartForm()
	if err != nil {
		return fiber.NewError(fiber.StatusBadRequest, "上传内容无法读取：请在导入页面选择文件后重新上传。")
	}
	choice, loc, msg, err := m.shopChoice(c.UserContext(), form)
	if err != nil {
		return err
	}
	if msg != "" {
		return m.backToImport(c, msg)
	}
	files := form.File["files"]
	if len(files) == 0 {
		return m.backToImport(c, "请选择要导入的文件（CSV、TSV、TXT 或 Excel .xlsx）。")
	}
	if len(files) > importMaxFiles {
		return m.backToImport(c, fmt.Sprintf("一次最多上传 %d 个文件，这次选择了 %d 个：请分批上传。", importMaxFiles, len(files)))
	}
	m.prune(time.Now())
	st := &staging{ID: importID(), UserID: u.ID, Created: time.Now(), Shop: choice, BadReviews: formBool(form, "bad_reviews")}
	st.Dir = filepath.Join(m.uploadsDir(), st.ID)
	if err := os.MkdirAll(st.Dir, 0o700); err != nil {
		return fmt.Errorf("import: staging folder: %w", err)
	}
	var total int64
	for i, fh := range files {
		f := &stagedFile{Index: i, Name: importFileName(fh.Filename, i), Size: fh.Size}
		st.Files = append(st.Files, f)
		if err := m.stage(f, fh, st.Dir); err != nil {
			os.RemoveAll(st.Dir)
			return err
		}
		if f.Refused == "" {
			if total+f.Size > m.s.cfg.MaxUploadBytes {
				// MaxUploadBytes caps an upload's files together, too.
				os.Remove(f.Path)
				f.Path = ""
				f.Refused = fmt.Sprintf("这次上传的文件合计超过上限 %s，「%s」没有上传：请单独或分批上传。", impSize(m.s.cfg.MaxUploadBytes), f.Name)
			} else {
				total += f.Size
			}
		}
		if f.Refused == "" {
			inspectStaged(f, loc, m.limits(), st.BadReviews)
		}
	}
	m.addStaging(st)
	if importXHR(c) {
		return c.JSON(fiber.Map{"redirect": "/import/preview/" + st.ID})
	}
	return c.Redirect("/import/preview/"+st.ID, fiber.StatusSeeOther)
}

func (m *importState) limits() importer.Limits {
	return importer.Limits{MaxFileBytes: m.s.cfg.MaxUploadBytes}
}

// shopChoice reads the shop part of the upload form: an existing shop's id,
// or "new" with a name, platform and time zone. msg explains a bad choice.
func (m *importState) shopChoice(ctx context.Context, form *multipart.Form) (ch shopChoice, loc *time.Location, msg string, err error) {
	val := func(k string) string {
		if v := form.Value[k]; len(v) > 0 {
			return strings.TrimSpace(v[0])
		}
		return ""
	}
	shops, err := m.s.st.Shops(ctx)
	if err != nil {
		return ch, nil, "", err
	}
	sel := val("shop")
	if sel == "" && len(shops) > 0 {
		return ch, nil, "请选择要导入到的店铺。", nil
	}
	if sel != "new" && sel != "" {
		id, _ := strconv.ParseInt(sel, 10, 64)
		for _, sh := range shops {
			if sh.ID == id {
				return shopChoice{ID: sh.ID, Name: sh.Name, Platform: sh.Platform, TZ: sh.TZ}, sh.Location(), "", nil
			}
		}
		return ch, nil, "所选店铺不存在，请重新选择。", nil
	}
	ch = shopChoice{New: true, Name: kpi.NormalizeName(val("new_shop")), Platform: val("platform"), TZ: val("tz")}
	if ch.Name == "" {
		return ch, nil, "请填写新店铺的名称（与平台后台的店铺名一致）。", nil
	}
	if utf8.RuneCountInString(ch.Name) > 60 {
		return ch, nil, "店铺名称太长（最多 60 个字）。", nil
	}
	for _, sh := range shops {
		if sh.Name == ch.Name { // an existing shop typed again: import into it as it is
			return shopChoice{ID: sh.ID, Name: sh.Name, Platform: sh.Platform, TZ: sh.TZ}, sh.Location(), "", nil
		}
	}
	if ch.Platform == "" {
		ch.Platform = "other"
	}
	if !store.ValidPlatform(ch.Platform) {
		return ch, nil, "未知的平台：" + ch.Platform, nil
	}
	if ch.TZ == "" {
		ch.TZ = importDefaultTZ
	}
	loc, err = time.LoadLocation(ch.TZ)
	if err != nil {
		return ch, nil, "无法识别的时区「" + ch.TZ + "」：请填写 IANA 时区名，例如 Asia/Shanghai。", nil
	}
	return ch, loc, "", nil
}

// stage copies one uploaded file into the staging folder, refusing (with the
// reason in f.Refused) a file of the wrong type or over the size limit.
func (m *importState) stage(f *stagedFile, fh *multipart.FileHeader, dir string) error {
	max := m.s.cfg.MaxUploadBytes
	if ext := strings.ToLower(filepath.Ext(f.Name)); ext != "" && !importExts[ext] {
		f.Refused = "不支持的文件类型（" + ext + "）：请上传平台后台导出的 CSV、TSV、TXT 或 Excel (.xlsx / .xls) 文件。"
		return nil
	}
	if fh.Size > max {
		f.Refused = fmt.Sprintf("文件「%s」有 %s，超过单个文件的上限 %s，没有上传。请按日期分段导出后分批导入。", f.Name, impSize(fh.Size), impSize(max))
		return nil
	}
	src, err := fh.Open()
	if err != nil {
		return fmt.Errorf("import: open upload: %w", err)
	}
	defer src.Close()
	sub := filepath.Join(dir, strconv.Itoa(f.Index))
	if err := os.MkdirAll(sub, 0o700); err != nil {
		return err
	}
	p := filepath.Join(sub, f.Name)
	dst, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("import: stage upload: %w", err)
	}
	n, err := io.Copy(dst, io.LimitReader(src, max+1))
	if cerr := dst.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("import: stage upload: %w", err)
	}
	if n > max {
		os.Remove(p)
		f.Refused = fmt.Sprintf("文件「%s」超过单个文件的上限 %s，没有上传。", f.Name, impSize(max))
		return nil
	}
	f.Path, f.Size = p, n
	return nil
}

var importExts = map[string]bool{".csv": true, ".tsv": true, ".txt": true, ".xlsx": true, ".xls": true}

// inspectStaged opens a staged file as the import will, and keeps its kind, columns
// and first rows, or why it is refused.
func inspectStaged(f *stagedFile, loc *time.Location, lim importer.Limits, badReviews bool) {
	if f.Size == 0 {
		f.Refused = "文件是空的（0 字节），没有可导入的内容。"
		return
	}
	if impLooksBinary(f.Path) {
		f.Refused = "这不是表格文件：内容是二进制数据，既不是 CSV/TSV 文本，也不是 Excel (.xlsx)。请从平台后台导出 CSV 或 Excel 后再上传。"
		return
	}
	r, err := importer.Open(f.Path, importer.Options{Location: loc, Limits: lim})
	var unknown *importer.UnknownKindError
	if errors.As(err, &unknown) && len(unknown.Candidates) > 0 {
		// Not recognised: read it as the closest kind, which either works
		// (the user confirms the kind) or names the columns that are missing.
		r2, err2 := importer.Open(f.Path, importer.Options{Kind: unknown.Candidates[0], Location: loc, Limits: lim})
		var miss *importer.MissingColumnsError
		switch {
		case err2 == nil:
			r, err, f.Forced = r2, nil, true
		case errors.As(err2, &miss):
			err = err2
		}
	}
	if err != nil && badReviews {
		// A copied list of bad reviews has no rating column: read it so.
		if r2, err2 := importer.Open(f.Path, importer.Options{Location: loc, Limits: lim, BadReviews: true}); err2 == nil {
			r, err, f.BadReviews = r2, nil, true
		}
	}
	if err != nil {
		f.Refused = importErrMessage(err)
		return
	}
	if r.Kind() == kpi.KindAgentReport {
		r.Close()
		inspectReport(f, loc, lim)
		return
	}
	defer r.Close()
	f.Kind, f.Encoding = r.Kind(), r.Encoding()
	cols := r.Columns()
	seen := map[string]bool{}
	for _, h := range r.Header() {
		for canon, text := range cols {
			if text == h && !seen[canon] {
				seen[canon] = true
				f.Columns = append(f.Columns, previewColumn{Header: h, Canonical: canon})
				break
			}
		}
	}
	for len(f.Rows) < importPreviewRows {
		rec, rowErr, err := r.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			f.Refused = importErrMessage(err)
			return
		}
		if rowErr != nil {
			f.Rows = append(f.Rows, previewRow{Row: rowErr.Row, Error: rowErr.Error()})
			continue
		}
		row := previewRow{Row: rec.Row}
		for _, col := range f.Columns {
			row.Cells = append(row.Cells, importCell(rec, col.Canonical, loc))
		}
		f.Rows = append(f.Rows, row)
	}
	if len(f.Rows) == 0 {
		f.Refused = "文件只有表头，没有数据行。"
	}
}

// impLooksBinary reports whether a file that is neither a workbook nor UTF-16
// text holds NUL bytes near its start: an image, a PDF, a zip of something else…
func impLooksBinary(p string) bool {
	fh, err := os.Open(p)
	if err != nil {
		return false
	}
	defer fh.Close()
	b := make([]byte, 8192)
	n, _ := io.ReadFull(fh, b)
	b = b[:n]
	for _, magic := range [][]byte{[]byte("PK\x03\x04"), {0xD0, 0xCF, 0x11, 0xE0}, {0xFF, 0xFE}, {0xFE, 0xFF}} {
		if bytes.HasPrefix(b, magic) {
			return false
		}
	}
	return bytes.IndexByte(b, 0) >= 0
}

// importErrMessage says in Chinese why a whole file is refused; nothing of
// it was written.
func importErrMessage(err error) string {
	var miss *importer.MissingColumnsError
	var unknown *importer.UnknownKindError
	var limit *importer.LimitError
	var corrupt *importer.CorruptError
	switch {
	case errors.As(err, &miss), errors.As(err, &unknown), errors.As(err, &limit), errors.As(err, &corrupt),
		errors.Is(err, importer.ErrLegacyXLS):
		return err.Error()
	case errors.Is(err, importer.ErrNoHeader):
		return "文件是空的：没有找到表头行。"
	case errors.Is(err, context.Canceled):
		return "导入被中断（服务器正在关闭），这个文件没有写入任何数据，请重新导入。"
	}
	return "无法读取这个文件，没有写入任何数据：" + err.Error()
}

// importFileName keeps the client's file name for display and as the staged
// file's base name, with no path, no separators, no control characters and
// no leading dot, so it cannot point anywhere but its own folder.
func importFileName(name string, i int) string {
	name = path.Base(strings.ReplaceAll(name, "\\", "/"))
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || strings.ContainsRune(`<>:"/\|?*`, r) || r == utf8.RuneError {
			return -1
		}
		return r
	}, name)
	name = strings.Trim(name, " .")
	if rs := []rune(name); len(rs) > 80 {
		ext := []rune(filepath.Ext(name))
		if len(ext) > 10 {
			ext = nil
		}
		name = string(rs[:80-len(ext)]) + string(ext)
	}
	if name == "" {
		name = "文件" + strconv.Itoa(i+1)
	}
	return name
}

func (m *importState) previewPage(c *fiber.Ctx) error {
	st := m.staging(c.Params("id"), currentUser(c).ID)
	if st == nil {
		return fiber.NewError(fiber.StatusNotFound, "这次上传已过期或已经导入：请重新上传文件。")
	}
	p, err := m.s.page(c, "导入预览", "import")
	if err != nil {
		return err
	}
	v := views.ImportPreview{Page: p, ID: st.ID, Shop: st.Shop.Name}
	if st.Shop.New {
		v.ShopNote = fmt.Sprintf("新店铺：平台 %s，时区 %s。第一个文件导入时创建。", settingsPlatformName(st.Shop.Platform), st.Shop.TZ)
	} else {
		v.ShopNote = "时间按店铺时区 " + st.Shop.TZ + " 读取。"
	}
	for _, f := range st.Files {
		pf := views.ImportPreviewFile{Index: strconv.Itoa(f.Index), Name: f.Name, Size: impSize(f.Size), Refused: f.Refused, Forced: f.Forced,
			Kind: string(f.Kind), KindLabel: importKindName(string(f.Kind)), Encoding: importEncodingName(f.Encoding),
			Report: f.Kind == kpi.KindAgentReport, Period: f.Period, NeedsPeriod: f.NeedsPeriod, PeriodError: f.PeriodError}
		if f.Skipped > 0 {
			pf.Skipped = strconv.Itoa(f.Skipped)
		}
		if f.Refused == "" {
			v.Importable++
			for _, k := range importKindOrder {
				pf.Kinds = append(pf.Kinds, views.ImportChoice{Value: string(k), Label: importKindNames[k], Selected: k == f.Kind})
			}
		}
		for _, col := range f.Columns {
			pf.Columns = append(pf.Columns, views.ImportColumn{Header: col.Header, Label: importColumnName(f.Kind, col.Canonical)})
		}
		for _, r := range f.Rows {
			pf.Rows = append(pf.Rows, views.ImportPreviewRow{Row: strconv.Itoa(r.Row), Cells: r.Cells, Error: r.Error})
		}
		v.Files = append(v.Files, pf)
	}
	return render(c, views.ImportPreviewPage(v))
}

// commit starts the import of a previewed upload. An agent report whose
// period field does not read sends the owner back to the preview with the
// reason under the field; nothing is imported.
func (m *importState) commit(c *fiber.Ctx) error {
	u := currentUser(c)
	if st := m.staging(c.FormValue("staging"), u.ID); st != nil && m.badPeriods(c, st) {
		return c.Redirect("/import/preview/"+st.ID, fiber.StatusSeeOther)
	}
	st := m.takeStaging(c.FormValue("staging"), u.ID)
	if st == nil {
		return m.backToImport(c, "这次上传已过期或已经导入：请重新上传文件。")
	}
	var files []*jobFile
	for _, f := range st.Files {
		idx := strconv.Itoa(f.Index)
		if f.Refused != "" || c.FormValue("include_"+idx) == "" {
			continue
		}
		jf := &jobFile{Name: f.Name, Path: f.Path, Kind: f.Kind, Size: f.Size, State: jobWaiting, Override: f.Forced, BadReviews: f.BadReviews}
		if k, ok := kpi.ParseKind(c.FormValue("kind_" + idx)); ok && k != f.Kind {
			jf.Kind, jf.Override = k, true
		}
		if jf.Kind == kpi.KindAgentReport {
			if sp, ok := formPeriod(c, idx); ok {
				jf.Period = &sp
			}
		}
		files = append(files, jf)
	}
	if len(files) == 0 {
		os.RemoveAll(st.Dir)
		return m.backToImport(c, "没有选择可导入的文件：这次什么也没有导入。")
	}
	sort.SliceStable(files, func(i, j int) bool { return importKindRank(files[i].Kind) < importKindRank(files[j].Kind) })
	shop := st.Shop.Name
	if !st.Shop.New { // renamed since the preview?
		shops, err := m.s.st.Shops(c.UserContext())
		if err != nil {
			return err
		}
		shop = ""
		for _, sh := range shops {
			if sh.ID == st.Shop.ID {
				shop = sh.Name
			}
		}
		if shop == "" {
			os.RemoveAll(st.Dir)
			return m.backToImport(c, "所选店铺已不存在：请重新上传。")
		}
	}
	j := m.start(u.ID, st, shop, store.ShopSettings{Platform: st.Shop.Platform, TZ: st.Shop.TZ}, files)
	return c.Redirect("/import/jobs/"+j.ID, fiber.StatusSeeOther)
}

func importKindRank(k kpi.Kind) int {
	for i, x := range importKindOrder {
		if x == k {
			return i
		}
	}
	return len(importKindOrder)
}

func (m *importState) jobPage(c *fiber.Ctx) error {
	j := m.job(c.Params("id"), currentUser(c).ID)
	if j == nil {
		return fiber.NewError(fiber.StatusNotFound, "没有这个导入任务（任务只保留一小时）：导入结果见「数据导入」页的导入记录。")
	}
	p, err := m.s.page(c, "导入进度", "import")
	if err != nil {
		return err
	}
	return render(c, views.ImportJobPage(p, importJobView(j)))
}

// importStopPolling is the status that tells htmx to stop polling.
const importStopPolling = 286

func (m *importState) jobProgress(c *fiber.Ctx) error {
	j := m.job(c.Params("id"), currentUser(c).ID)
	if j == nil {
		c.Status(importStopPolling)
		return c.SendString("没有这个导入任务（任务只保留一小时）。")
	}
	c.Set(fiber.HeaderCacheControl, "private, no-store")
	return render(c, views.ImportJobFragment(importJobView(j)))
}

// importJobView shapes a job for display, under its lock.
func importJobView(j *importJob) views.ImportJob {
	j.mu.Lock()
	defer j.mu.Unlock()
	v := views.ImportJob{ID: j.ID, Shop: j.Shop, Done: j.done, Total: strconv.Itoa(len(j.files))}
	var sum, done float64
	for i, f := range j.files {
		fv := views.ImportJobFile{Name: f.Name, Kind: importKindName(string(f.Kind)), State: f.State}
		switch {
		case f.Period != nil:
			fv.Period = "报表日期 " + periodText(*f.Period)
		case f.Result.Period != nil:
			fv.Period = "报表日期 " + periodText(*f.Result.Period)
		}
		if f.Result.Skipped > 0 {
			fv.Note = "跳过汇总/平均行 " + strconv.Itoa(f.Result.Skipped) + " 行"
		}
		if f.Result.NULs > 0 {
			fv.Note = strings.TrimPrefix(fv.Note+"；已去掉 "+strconv.Itoa(f.Result.NULs)+" 个空字符（NUL，不是数据）", "；")
		}
		if f.Override {
			fv.Kind += "（手动指定）"
		}
		frac := 0.0
		switch f.State {
		case jobWaiting:
			fv.StateLabel = "等待中"
		case jobRunning:
			fv.StateLabel = "导入中"
			if f.Total > 0 {
				frac = min(float64(f.Read)/float64(f.Total), 0.99)
			}
			v.Current = fmt.Sprintf("正在导入第 %d/%d 个文件：%s", i+1, len(j.files), f.Name)
		case jobDone:
			fv.StateLabel, frac = "完成", 1
			v.Imported++
		case jobFailed:
			fv.StateLabel, frac = "未导入", 1
			v.Failed++
		}
		fv.Percent = strconv.Itoa(int(frac * 100))
		sum += float64(max(f.Size, 1))
		done += frac * float64(max(f.Size, 1))
		if f.State == jobDone || f.State == jobFailed {
			fv.Took = impDuration(f.Took)
		}
		if f.State == jobDone {
			r := f.Result
			fv.Encoding = importEncodingName(r.Encoding)
			fv.Added, fv.Updated, fv.Unchanged, fv.Rejected = itoa(r.Added), itoa(r.Updated), itoa(r.Unchanged), itoa(r.Rejected)
			if r.Rejected > 0 {
				fv.RejectsURL = "/import/runs/" + itoa(r.RunID) + "/rejects.csv"
				if more := r.Rejected - int64(len(f.Rejects)); more > 0 {
					fv.More = itoa(more)
				}
			}
			for _, rj := range f.Rejects {
				fv.Rejects = append(fv.Rejects, views.ImportReject{Row: strconv.Itoa(rj.Row), Column: rj.Column, Value: rj.Value, Reason: rj.Reason})
			}
		}
		fv.Err = f.Err
		v.Files = append(v.Files, fv)
	}
	pct := 100
	if sum > 0 && !j.done {
		pct = min(int(done/sum*100), 99)
	}
	v.Percent = strconv.Itoa(pct)
	return v
}

// rejectsCSV downloads a run's rejected rows: the file's own columns plus the
// reason, UTF-8 with BOM so Excel opens it, ready to fix and import again.
func (m *importState) rejectsCSV(c *fiber.Ctx) error {
	id, err := c.ParamsInt("id")
	if err != nil || id <= 0 {
		return fiber.NewError(fiber.StatusNotFound, "没有这条导入记录。")
	}
	ctx := c.UserContext()
	run, err := m.s.st.ImportRunByID(ctx, int64(id))
	if errors.Is(err, sql.ErrNoRows) {
		return fiber.NewError(fiber.StatusNotFound, "没有这条导入记录。")
	}
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := ingest.WriteRejects(ctx, m.s.st, run.ID, &buf); err != nil {
		return err
	}
	base := strings.TrimSuffix(run.FileName, filepath.Ext(run.FileName))
	name := base + ".rejects.csv"
	c.Set(fiber.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="rejects-%d.csv"; filename*=UTF-8''%s`, run.ID, url.PathEscape(name)))
	c.Set(fiber.HeaderCacheControl, "private, no-store")
	c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	return c.Send(buf.Bytes())
}

// importCell is one parsed value of a record, as the preview shows it: how
// kefuboard read the cell (times in the shop's zone, money in yuan).
func importCell(rec importer.Record, col string, loc *time.Location) string {
	t := func(ms kpi.Millis) string {
		if ms == 0 {
			return ""
		}
		return time.UnixMilli(int64(ms)).In(loc).Format("2006-01-02 15:04:05")
	}
	yesNo := func(b bool) string {
		if b {
			return "是"
		}
		return "否"
	}
	dsr := func(n int8) string {
		if n == 0 {
			return ""
		}
		return strconv.Itoa(int(n))
	}
	switch {
	case rec.Message != nil:
		m := rec.Message
		switch col {
		case "buyer":
			return m.Buyer
		case "role":
			return map[kpi.Role]string{kpi.RoleBuyer: "买家", kpi.RoleAgent: "客服", kpi.RoleBot: "机器人/系统"}[m.Role]
		case "agent":
			return m.Agent
		case "sent_at":
			return t(m.SentAt)
		case "content":
			return impClip(m.Content, 40)
		case "msg_id":
			return m.MsgID
		case "stage":
			return map[kpi.Stage]string{kpi.StagePresale: "售前", kpi.StageAftersale: "售后"}[m.Stage]
		case "shop":
			return m.Shop
		}
	case rec.Order != nil:
		o := rec.Order
		switch col {
		case "order_id":
			return o.OrderID
		case "buyer":
			return o.Buyer
		case "created_at":
			return t(o.CreatedAt)
		case "paid_at":
			return t(o.PaidAt)
		case "amount":
			return impYuan(o.Amount)
		case "quantity":
			return strconv.FormatInt(o.Quantity, 10)
		case "status":
			return o.Status
		case "product":
			return impClip(o.Product, 30)
		case "agent":
			return o.Agent
		case "shipped_at":
			return t(o.ShippedAt)
		case "picked_up_at":
			return t(o.PickedUpAt)
		case "delivered_at":
			return t(o.DeliveredAt)
		}
	case rec.Refund != nil:
		r := rec.Refund
		switch col {
		case "refund_id":
			return r.RefundID
		case "order_id":
			return r.OrderID
		case "type":
			return map[kpi.RefundType]string{kpi.RefundOnly: "仅退款", kpi.ReturnRefund: "退货退款", kpi.Exchange: "换货", kpi.Reissue: "补寄"}[r.Type]
		case "status":
			return map[kpi.RefundStatus]string{kpi.RefundPending: "处理中", kpi.RefundSuccess: "退款成功", kpi.RefundClosed: "已关闭"}[r.Status]
		case "requested_at":
			return t(r.RequestedAt)
		case "completed_at":
			return t(r.CompletedAt)
		case "reason":
			return impClip(r.Reason, 30)
		case "amount":
			return impYuan(r.Amount)
		case "intervened":
			return yesNo(r.Intervened)
		case "merchant_liable":
			return yesNo(r.MerchantLiable)
		case "agent":
			return r.Agent
		case "buyer":
			return r.Buyer
		}
	case rec.Review != nil:
		r := rec.Review
		switch col {
		case "buyer":
			return r.Buyer
		case "rating":
			return strconv.Itoa(int(r.Rating))
		case "created_at":
			return t(r.CreatedAt)
		case "order_id":
			return r.OrderID
		case "review_id":
			return r.ReviewID
		case "content":
			return impClip(r.Content, 40)
		case "product":
			return impClip(r.Product, 30)
		case "dsr_description":
			return dsr(r.DSRDescription)
		case "dsr_service":
			return dsr(r.DSRService)
		case "dsr_logistics":
			return dsr(r.DSRLogistics)
		}
	case rec.Complaint != nil:
		x := rec.Complaint
		switch col {
		case "buyer":
			return x.Buyer
		case "created_at":
			return t(x.CreatedAt)
		case "complaint_id":
			return x.ComplaintID
		case "order_id":
			return x.OrderID
		case "agent":
			return x.Agent
		case "type":
			return x.Type
		case "status":
			return x.Status
		}
	case rec.Customer != nil:
		x := rec.Customer
		switch col {
		case "buyer":
			return x.Buyer
		case "name":
			return x.Name
		case "phone":
			return impMaskPhone(x.Phone)
		case "birthday":
			return x.Birthday
		case "level":
			return x.Level
		case "tags":
			return strings.Join(x.Tags, "，")
		case "joined_at":
			return t(x.JoinedAt)
		}
	}
	return ""
}

var importColumnNames = map[string]string{
	"buyer": "买家", "role": "发送方", "agent": "客服", "sent_at": "发送时间", "content": "内容", "msg_id": "消息ID",
	"stage": "咨询类型", "shop": "店铺", "order_id": "订单号", "created_at": "时间", "paid_at": "支付时间",
	"amount": "金额", "quantity": "数量", "status": "状态", "product": "商品", "shipped_at": "发货时间",
	"picked_up_at": "揽收时间", "delivered_at": "签收时间", "refund_id": "售后单号", "type": "类型",
	"requested_at": "申请时间", "completed_at": "完结时间", "reason": "原因", "intervened": "平台介入",
	"merchant_liable": "商家责任", "rating": "评分", "review_id": "评价ID", "dsr_description": "描述相符",
	"dsr_service": "服务态度", "dsr_logistics": "物流服务", "complaint_id": "投诉单号", "name": "姓名",
	"phone": "手机号", "birthday": "生日", "level": "会员等级", "tags": "标签", "joined_at": "入会时间",
}

// importColumnName names a recognised column as kefuboard understood it.
func importColumnName(k kpi.Kind, col string) string {
	if k == kpi.KindAgentReport {
		if m, ok := kpi.MetricByKey(col); ok {
			return m.Name
		}
		if col == "" {
			return "其他平台指标"
		}
	}
	if col == "created_at" {
		switch k {
		case kpi.KindOrders:
			return "下单时间"
		case kpi.KindReviews:
			return "评价时间"
		case kpi.KindComplaints:
			return "投诉时间"
		}
	}
	if n, ok := importColumnNames[col]; ok {
		return n
	}
	return col
}

func impYuan(f kpi.Fen) string {
	sign := ""
	if f < 0 {
		sign, f = "-", -f
	}
	return fmt.Sprintf("%s¥%d.%02d", sign, f/100, f%100)
}

// impMaskPhone shows a phone number as 139****9678.
func impMaskPhone(p string) string {
	r := []rune(p)
	if len(r) < 7 {
		return strings.Repeat("*", len(r))
	}
	return string(r[:3]) + "****" + string(r[len(r)-4:])
}

func impClip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

// impSize is a byte count as people read it: 532 字节, 12.3 KB, 8.0 MB.
func impSize(n int64) string {
	switch {
	case n >= 1<<30:
		return strconv.FormatFloat(float64(n)/(1<<30), 'f', 1, 64) + " GB"
	case n >= 1<<20:
		return strconv.FormatFloat(float64(n)/(1<<20), 'f', 1, 64) + " MB"
	case n >= 1<<10:
		return strconv.FormatFloat(float64(n)/(1<<10), 'f', 1, 64) + " KB"
	}
	return strconv.FormatInt(n, 10) + " 字节"
}

// impDuration: 0.4 秒, 12 秒, 3 分 05 秒.
func impDuration(d time.Duration) string {
	switch {
	case d < 10*time.Second:
		return strconv.FormatFloat(d.Seconds(), 'f', 1, 64) + " 秒"
	case d < time.Minute:
		return strconv.Itoa(int(d.Seconds())) + " 秒"
	}
	s := int(d.Seconds())
	return fmt.Sprintf("%d 分 %02d 秒", s/60, s%60)
}

// formBool reads a checkbox of a multipart form.
func formBool(form *multipart.Form, key string) bool {
	v := form.Value[key]
	return len(v) > 0 && v[0] != "" && v[0] != "0"
}
