package web

import (
	"fmt"
	"github.com/kefuboard/kefuboard/views"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/kefuboard/kefuboard/internal/kpi"
)

// Period is the range of days a page shows, and the one it compares with.
type Period struct {
	Key              string // today, yesterday, 7d, 30d, month, custom
	From, To         kpi.Day
	PrevFrom, PrevTo kpi.Day
}

// maxPeriodDays bounds a custom period (a bit over two years).
const maxPeriodDays = 800

// parsePeriod reads ?p=&from=&to= in the shop's time zone. "近 7 天" and
// "近 30 天" end yesterday, the last complete day, as the platforms' back-ends
// do; "本月" runs from the 1st to today. The comparison period is the same
// number of days immediately before.
func parsePeriod(c *fiber.Ctx, loc *time.Location, now time.Time) (Period, error) {
	today := kpi.Clock{Loc: loc}.DayOf(kpi.Millis(now.UnixMilli()))
	p := Period{Key: c.Query("p", "7d")}
	switch p.Key {
	case "today":
		p.From, p.To = today, today
	case "yesterday":
		p.From, p.To = today-1, today-1
	case "7d":
		p.From, p.To = today-7, today-1
	case "30d":
		p.From, p.To = today-30, today-1
	case "month":
		y, m, _ := today.Date()
		p.From, p.To = kpi.DayOf(y, m, 1), today
	case "custom":
		f, err1 := kpi.ParseDay(c.Query("from"))
		t, err2 := kpi.ParseDay(c.Query("to"))
		if err1 != nil || err2 != nil {
			return p, fiber.NewError(fiber.StatusBadRequest, "自定义时段的日期格式应为 YYYY-MM-DD。")
		}
		if t < f {
			return p, fiber.NewError(fiber.StatusBadRequest, "结束日期不能早于开始日期。")
		}
		if int(t-f) >= maxPeriodDays {
			return p, fiber.NewError(fiber.StatusBadRequest, fmt.Sprintf("时段最长 %d 天。", maxPeriodDays))
		}
		p.From, p.To = f, t
	default:
		return p, fiber.NewError(fiber.StatusBadRequest, "未知的时段："+p.Key)
	}
	n := p.To - p.From + 1
	p.PrevFrom, p.PrevTo = p.From-n, p.From-1
	return p, nil
}

// form is the period picker's state on a page of shop shopID (0: the page
// names no shop, an agent's own).
func (p Period) form(shopID int64) views.PeriodForm {
	f := views.PeriodForm{Key: p.Key, From: p.From.String(), To: p.To.String()}
	if shopID != 0 {
		f.Extra = map[string]string{"shop": itoa(shopID)}
	}
	return f
}
