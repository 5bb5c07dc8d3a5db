package web

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/kefuboard/kefuboard/internal/importer"
	"github.com/kefuboard/kefuboard/internal/ingest"
	"github.com/kefuboard/kefuboard/internal/kpi"
	"github.com/kefuboard/kefuboard/internal/store"
)

// importKeep is how long an uncommitted upload and a finished job are kept.
const importKeep = time.Hour

// importState is the import page's memory: uploads staged for a preview and
// import jobs, running or finished. It lives in memory only: a restart forgets
// it (the import history is in the database). Each staging and job belongs to
// the user who made it; nobody else sees it.
type importState struct {
	s *Server
	// ctx lives as long as the server: a job must not end with the request
	// that started it. Shutdown cancels it after letting jobs finish a while.
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup

	mu       sync.Mutex
	stagings map[string]*staging
	jobs     map[string]*importJob
}

func newImportState(s *Server) *importState {
	ctx, cancel := context.WithCancel(context.Background())
	return &importState{s: s, ctx: ctx, cancel: cancel, stagings: map[string]*staging{}, jobs: map[string]*importJob{}}
}

// shopChoice is the shop an upload goes to: an existing one (ID) or a new
// one created by the first file imported.
type shopChoice struct {
	ID       int64
	Name     string
	Platform string
	TZ       string
	New      bool
}

// staging is one upload: its files copied under DataDir/uploads/<id>/ and
// what the preview found in each.
type staging struct {
	ID      string
	UserID  int64
	Dir     string
	Created time.Time
	Shop    shopChoice
	Files   []*stagedFile
	// BadReviews: the owner said review lists without a rating are bad reviews.
	BadReviews bool
}

// stagedFile is one uploaded file and its preview.
type stagedFile struct {
	Index    int
	Name     string // sanitised client name: shown, and the staged file's base name
	Path     string // "" when refused before being stored
	Size     int64
	Kind     kpi.Kind // detected
	Forced   bool     // not recognised, but reads as Kind when told so
	Encoding string
	Columns  []previewColumn
	Rows     []previewRow
	Refused  string // why it will not be imported ("" = importable)
	// Agent reports: the period read from the file name ("" = none) and
	// whether the owner must state one (no date column, no date in the name).
	Period      string
	NeedsPeriod bool
	PeriodError string // the owner's period field did not read
	Skipped     int    // total and average rows among the rows previewed
	BadReviews  bool   // read as a list of bad reviews without a rating
}

type previewColumn struct{ Header, Canonical string }

type previewRow struct {
	Row   int
	Cells []string
	Error string // a row the importer would reject
}

// importJob imports the chosen files of one staging, one after another.
type importJob struct {
	ID      string
	UserID  int64
	Shop    string
	Started time.Time

	mu       sync.Mutex
	files    []*jobFile
	done     bool
	finished time.Time
}

type jobFile struct {
	Name        string
	Path        string
	Kind        kpi.Kind // as chosen; Override says whether it differs from the detected one
	Override    bool
	Period      *kpi.Span // an agent report's period as the owner stated it
	BadReviews  bool      // a review list without a rating: rated 2
	Size        int64
	State       string // waiting, running, done, failed
	Read, Total int64
	Result      ingest.Result
	Rejects     []store.Reject
	Err         string
	Took        time.Duration
}

const (
	jobWaiting = "waiting"
	jobRunning = "running"
	jobDone    = "done"
	jobFailed  = "failed"
)

func importID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func (m *importState) uploadsDir() string { return filepath.Join(m.s.cfg.DataDir, "uploads") }

func (m *importState) addStaging(st *staging) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.stagings[st.ID] = st
}

// staging returns the user's staging, or nil.
func (m *importState) staging(id string, userID int64) *staging {
	m.mu.Lock()
	defer m.mu.Unlock()
	if st := m.stagings[id]; st != nil && st.UserID == userID {
		return st
	}
	return nil
}

// takeStaging removes and returns the user's staging (a staging is committed once).
func (m *importState) takeStaging(id string, userID int64) *staging {
	m.mu.Lock()
	defer m.mu.Unlock()
	st := m.stagings[id]
	if st == nil || st.UserID != userID {
		return nil
	}
	delete(m.stagings, id)
	return st
}

// job returns the user's job, or nil.
func (m *importState) job(id string, userID int64) *importJob {
	m.mu.Lock()
	defer m.mu.Unlock()
	if j := m.jobs[id]; j != nil && j.UserID == userID {
		return j
	}
	return nil
}

// prune forgets finished jobs and uncommitted uploads older than importKeep
// and removes upload folders nobody owns any more (left by a restart).
func (m *importState) prune(now time.Time) {
	m.mu.Lock()
	live := map[string]bool{}
	for id, st := range m.stagings {
		if now.Sub(st.Created) > importKeep {
			os.RemoveAll(st.Dir)
			delete(m.stagings, id)
			continue
		}
		live[id] = true
	}
	for id, j := range m.jobs {
		j.mu.Lock()
		old := j.done && now.Sub(j.finished) > importKeep
		running := !j.done
		j.mu.Unlock()
		if old {
			delete(m.jobs, id)
		}
		if running {
			live[id] = true // the job's staging folder has the job's id
		}
	}
	m.mu.Unlock()
	entries, err := os.ReadDir(m.uploadsDir())
	if err != nil {
		return
	}
	for _, e := range entries {
		if live[e.Name()] {
			continue
		}
		if info, err := e.Info(); err == nil && now.Sub(info.ModTime()) > importKeep {
			os.RemoveAll(filepath.Join(m.uploadsDir(), e.Name()))
		}
	}
}

// start runs a job in the background over the staging's chosen files; the
// staging folder is removed when it ends.
func (m *importState) start(userID int64, st *staging, shop string, set store.ShopSettings, files []*jobFile) *importJob {
	j := &importJob{ID: st.ID, UserID: userID, Shop: shop, Started: time.Now(), files: files}
	m.mu.Lock()
	m.jobs[j.ID] = j
	m.mu.Unlock()
	m.wg.Add(1)
	go func() {
		defer m.wg.Done()
		defer func() {
			if r := recover(); r != nil { // never take the server down with a job
				m.s.log.Error("import job panicked", "job", j.ID, "panic", r)
				os.RemoveAll(st.Dir)
				j.update(func() {
					for _, f := range j.files {
						if f.State == jobWaiting || f.State == jobRunning {
							f.State, f.Err = jobFailed, "服务器内部错误，这个文件没有写入任何数据，请重新导入。"
						}
					}
					j.done, j.finished = true, time.Now()
				})
			}
		}()
		m.run(j, set, st.Dir)
	}()
	return j
}

func (m *importState) run(j *importJob, set store.ShopSettings, dir string) {
	lim := importer.Limits{MaxFileBytes: m.s.cfg.MaxUploadBytes}
	for _, f := range j.files {
		if err := m.ctx.Err(); err != nil {
			j.update(func() { f.State, f.Err = jobFailed, importErrMessage(err) })
			continue
		}
		j.update(func() { f.State, f.Total = jobRunning, f.Size })
		start := time.Now()
		kind := kpi.Kind("")
		if f.Override {
			kind = f.Kind
		}
		res, err := ingest.File(m.ctx, m.s.st, f.Path, ingest.Options{
			Shop: j.Shop, Settings: set, Kind: kind, Limits: lim, Period: f.Period, BadReviews: f.BadReviews,
			Progress: func(read, total int64) { j.update(func() { f.Read, f.Total = read, total }) },
		})
		var rejects []store.Reject
		if err == nil && res.Rejected > 0 {
			rejects, _ = m.s.st.FirstRejects(m.ctx, res.RunID, 20)
		}
		took := time.Since(start)
		j.update(func() {
			f.Took, f.Result, f.Rejects = took, res, rejects
			if err != nil {
				f.State, f.Err = jobFailed, importErrMessage(err)
				return
			}
			f.State, f.Read = jobDone, f.Total
		})
		if err != nil {
			m.s.log.Info("import refused", "file", f.Name, "shop", j.Shop, "err", err)
		} else {
			m.s.log.Info("imported", "file", f.Name, "shop", j.Shop, "kind", res.Kind, "added", res.Added,
				"updated", res.Updated, "unchanged", res.Unchanged, "rejected", res.Rejected, "took", took)
		}
	}
	if err := os.RemoveAll(dir); err != nil {
		m.s.log.Warn("remove staged upload", "dir", dir, "err", err)
	}
	j.update(func() { j.done, j.finished = true, time.Now() })
}

// update changes the job under its lock.
func (j *importJob) update(fn func()) {
	j.mu.Lock()
	defer j.mu.Unlock()
	fn()
}

// shutdown lets running jobs finish for up to grace, then cancels them (an
// import cancelled mid-file is rolled back whole) and waits for them.
func (m *importState) shutdown(grace time.Duration) {
	done := make(chan struct{})
	go func() { m.wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(grace):
		m.cancel()
		<-done
	}
	m.cancel()
}
