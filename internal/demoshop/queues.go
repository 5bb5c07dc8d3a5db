package demoshop

import (
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/kefuboard/kefuboard/internal/demo"
	"github.com/kefuboard/kefuboard/internal/ingest"
	"github.com/kefuboard/kefuboard/internal/queues"
	"github.com/kefuboard/kefuboard/internal/store"
)

// modifiedReviews is how many of the demo's oldest bad reviews a second
// export shows changed to 5 stars (their cases close as modified).
const modifiedReviews = 5

// stageQueues makes the work queues look worked on: a second review export
// in which a few buyers changed their bad review to 5 stars (those cases
// close by themselves), a few cases contacted, compensated, explained or
// assigned as a team would, and a template for invitations.
func stageQueues(ctx context.Context, st *store.Store, shop *store.Shop, dir string) error {
	if err := secondReviewExport(ctx, st, shop, dir); err != nil {
		return err
	}
	asOf := shop.Today(time.Now())
	cs, err := st.Cases(ctx, shop, asOf, store.CaseFilter{})
	if err != nil {
		return err
	}
	steps := [][]queues.Step{
		{{State: queues.StateContacted, Note: "旺旺联系买家，了解情况"}},
		{{State: queues.StateContacted, Note: "电话联系"}, {State: queues.StateCompensated, CompensationFen: 1000, Note: "补偿 10 元运费券"}},
		{{State: queues.StateContacted, Note: "买家表示商品有划痕"}, {State: queues.StateDeclined, Note: "买家不愿修改"}, {State: queues.StateExplained, Note: "已在评价下回复说明"}},
		{{State: queues.StateNoAnswer, RetryDay: asOf + 1, Note: "电话未接"}},
	}
	for i, c := range cs {
		if i >= len(steps) {
			break
		}
		v := c.Version
		for _, s := range steps[i] {
			if err := st.CaseStep(ctx, c.ID, v, s, "owner"); err != nil {
				return fmt.Errorf("demo case: %w", err)
			}
			v++
		}
		if c.AgentID != 0 {
			if err := st.AssignCase(ctx, c.ID, v, c.AgentID, "owner", ""); err != nil {
				return err
			}
		}
	}
	return st.SaveInviteTemplate(ctx, shop.ID, 0, "签收关怀",
		"亲，宝贝已经签收啦，用着还满意吗？有任何问题随时找我们哦。如果喜欢，欢迎在评价里晒图分享使用感受，谢谢亲的支持！", "owner")
}

// secondReviewExport writes and imports a newer reviews export in which the
// oldest few 1–2 star reviews are now 5 stars, as when buyers modify them.
func secondReviewExport(ctx context.Context, st *store.Store, shop *store.Shop, dir string) error {
	f, err := os.Open(filepath.Join(dir, demo.FileReviews))
	if err != nil {
		return err
	}
	r := csv.NewReader(f)
	r.FieldsPerRecord = -1
	rows, err := r.ReadAll()
	f.Close()
	if err != nil || len(rows) < 2 {
		return err
	}
	head := rows[0]
	rating, content := -1, -1
	for i, h := range head {
		switch {
		case strings.Contains(h, "评分") && rating < 0:
			rating = i
		case strings.Contains(h, "评价内容"):
			content = i
		}
	}
	if rating < 0 {
		return fmt.Errorf("demo reviews: no rating column in %v", head)
	}
	out := [][]string{head}
	for _, row := range rows[1:] {
		if len(out) > modifiedReviews {
			break
		}
		if len(row) > rating && (row[rating] == "1" || row[rating] == "2") {
			changed := append([]string(nil), row...)
			changed[rating] = "5"
			if content >= 0 && content < len(changed) {
				changed[content] = "客服联系后处理得很及时，改成好评了"
			}
			out = append(out, changed)
		}
	}
	path := filepath.Join(dir, "reviews_第二次导出.csv")
	w, err := os.Create(path)
	if err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	if err := cw.WriteAll(out); err != nil {
		w.Close()
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	_, err = ingest.File(ctx, st, path, ingest.Options{Shop: shop.Name})
	return err
}
