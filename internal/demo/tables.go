package demo

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/transform"
)

// Headers as the Chinese back-ends print them (aliases of docs/IMPORT-FORMATS.md).
var (
	hdrMessages   = []string{"消息ID", "买家昵称", "发送方", "客服账号", "发送时间", "消息内容", "咨询类型"}
	hdrOrders     = []string{"订单号", "买家账号", "下单时间", "支付时间", "实付金额", "商品数量", "订单状态", "商品名称", "归属客服", "发货时间", "揽收时间", "签收时间"}
	hdrRefunds    = []string{"售后单号", "订单号", "售后类型", "售后状态", "申请时间", "完结时间", "退款原因", "退款金额", "是否平台介入", "判责结果", "处理客服"}
	hdrReviews    = []string{"评价ID", "订单号", "买家昵称", "评分", "评价时间", "评价内容", "商品名称", "描述相符", "服务态度", "物流服务"}
	hdrComplaints = []string{"投诉单号", "买家账号", "订单号", "被投诉客服", "投诉时间", "投诉类型", "投诉状态"}
	hdrCustomers  = []string{"买家账号", "姓名", "手机号", "生日", "会员等级", "标签", "入会时间"}
)

// plantFunc returns a bad row, the column holding the bad value, and why.
type plantFunc func() (row []string, col, why string)

// csvTable is a CSV file with a row counter and one planted bad row, written
// after plantAt good rows (or at close, if the file stays shorter).
type csvTable struct {
	name    string
	file    *os.File
	buf     *bufio.Writer
	enc     io.WriteCloser // GBK transcoder, nil for UTF-8
	w       *csv.Writer
	good    *int // the Manifest counter
	lines   int  // data lines, good and planted
	plantAt int
	plant   plantFunc
	planted *[]Planted
}

func (t *csvTable) write(rec []string) {
	_ = t.w.Write(rec) // errors are sticky in csv.Writer: checked by gen.err
	*t.good++
	t.lines++
	if *t.good == t.plantAt && t.plant != nil {
		t.doPlant()
	}
}

func (t *csvTable) doPlant() {
	rec, col, why := t.plant()
	t.plant = nil
	_ = t.w.Write(rec)
	t.lines++
	*t.planted = append(*t.planted, Planted{File: t.name, Row: t.lines + 1, Column: col, Why: why})
}

func (t *csvTable) close() error {
	if t.plant != nil {
		t.doPlant()
	}
	t.w.Flush()
	err := t.w.Error()
	if t.enc != nil {
		err = errors.Join(err, t.enc.Close())
	}
	return errors.Join(err, t.buf.Flush(), t.file.Close())
}

// xlsxTable streams rows with excelize's StreamWriter, which spills to a
// temporary file instead of holding the sheet in memory.
type xlsxTable struct {
	path       string
	f          *excelize.File
	sw         *excelize.StreamWriter
	good       *int
	lines      int
	plantAt    int
	plant      func() ([]any, string, string)
	planted    *[]Planted
	err        error
	dateStyle  int
	moneyStyle int
}

func (x *xlsxTable) date(t int64) excelize.Cell {
	return excelize.Cell{StyleID: x.dateStyle, Value: excelSerial(t)}
}

func (x *xlsxTable) money(fen int64) excelize.Cell {
	return excelize.Cell{StyleID: x.moneyStyle, Value: float64(fen) / 100}
}

func (x *xlsxTable) setRow(vals []any) {
	for i, v := range vals {
		if v == "" {
			vals[i] = nil // no cell at all, as Excel leaves a blank
		}
	}
	x.lines++
	cell, _ := excelize.CoordinatesToCellName(1, x.lines+1)
	if err := x.sw.SetRow(cell, vals); err != nil && x.err == nil {
		x.err = err
	}
}

func (x *xlsxTable) write(vals []any) {
	x.setRow(vals)
	*x.good++
	if *x.good == x.plantAt && x.plant != nil {
		x.doPlant()
	}
}

func (x *xlsxTable) doPlant() {
	vals, col, why := x.plant()
	x.plant = nil
	x.setRow(vals)
	*x.planted = append(*x.planted, Planted{File: FileRefunds, Row: x.lines + 1, Column: col, Why: why})
}

func (x *xlsxTable) close() error {
	if x.plant != nil {
		x.doPlant()
	}
	err := x.err
	if err == nil {
		err = x.sw.Flush()
	}
	if err == nil {
		err = x.f.SaveAs(x.path)
	}
	return errors.Join(err, x.f.Close())
}

func newXLSX(path string, good *int, planted *[]Planted) (*xlsxTable, error) {
	x := &xlsxTable{path: path, f: excelize.NewFile(), good: good, planted: planted}
	const sheet = "售后单"
	err := x.f.SetSheetName("Sheet1", sheet)
	dateFmt, moneyFmt := "yyyy-mm-dd hh:mm:ss", "0.00"
	if err == nil {
		x.dateStyle, err = x.f.NewStyle(&excelize.Style{CustomNumFmt: &dateFmt})
	}
	if err == nil {
		x.moneyStyle, err = x.f.NewStyle(&excelize.Style{CustomNumFmt: &moneyFmt})
	}
	if err == nil {
		x.sw, err = x.f.NewStreamWriter(sheet)
	}
	if err == nil {
		err = x.sw.SetColWidth(1, len(hdrRefunds), 18)
	}
	if err == nil {
		hdr := make([]any, len(hdrRefunds))
		for i, h := range hdrRefunds {
			hdr[i] = h
		}
		err = x.sw.SetRow("A1", hdr)
	}
	if err != nil {
		_ = x.f.Close()
		return nil, fmt.Errorf("demo: %s: %w", path, err)
	}
	return x, nil
}

// outputs are the six open files.
type outputs struct {
	msgs                                   *msgWriter
	orders, reviews, complaints, customers *csvTable
	refunds                                *xlsxTable
}

// newCSV opens a CSV table; gbk transcodes to GB18030 on the way out,
// comma '\t' makes a TSV, bom starts the file with a UTF-8 BOM.
func (g *gen) newCSV(name string, hdr []string, good *int, gbk, bom bool, comma rune) (*csvTable, error) {
	f, err := os.Create(filepath.Join(g.cfg.Dir, name))
	if err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	t := &csvTable{name: name, file: f, buf: bufio.NewWriterSize(f, 64<<10), good: good, planted: &g.man.Planted}
	var w io.Writer = t.buf
	if bom {
		_, _ = t.buf.WriteString("\uFEFF")
	}
	if gbk {
		t.enc = transform.NewWriter(t.buf, simplifiedchinese.GB18030.NewEncoder())
		w = t.enc
	}
	t.w = csv.NewWriter(w)
	t.w.Comma = comma
	t.w.UseCRLF = gbk // an Excel-saved CSV from Chinese Windows
	_ = t.w.Write(hdr)
	return t, nil
}

func (g *gen) open() error {
	var err error
	o := &g.out
	dir := g.cfg.Dir
	if o.msgs, err = g.newMsgWriter(filepath.Join(dir, FileMessages)); err != nil {
		return err
	}
	if o.orders, err = g.newCSV(FileOrders, hdrOrders, &g.man.Orders, true, false, ','); err != nil {
		return err
	}
	if o.refunds, err = newXLSX(filepath.Join(dir, FileRefunds), &g.man.Refunds, &g.man.Planted); err != nil {
		return err
	}
	if o.reviews, err = g.newCSV(FileReviews, hdrReviews, &g.man.Reviews, false, false, ','); err != nil {
		return err
	}
	if o.complaints, err = g.newCSV(FileComplaints, hdrComplaints, &g.man.Complaints, false, false, ','); err != nil {
		return err
	}
	if o.customers, err = g.newCSV(FileCustomers, hdrCustomers, &g.man.Customers, false, false, '\t'); err != nil {
		return err
	}
	g.setPlants()
	return nil
}

// err reports the first write error so far (bufio and csv errors are sticky).
func (g *gen) err() error {
	o := &g.out
	errs := []error{o.msgs.err()}
	for _, t := range []*csvTable{o.orders, o.reviews, o.complaints, o.customers} {
		errs = append(errs, t.w.Error())
	}
	return errors.Join(append(errs, o.refunds.err)...)
}

// close writes any pending planted rows and closes every file.
func (g *gen) close() error {
	o := &g.out
	err := o.msgs.close()
	for _, t := range []*csvTable{o.orders, o.reviews, o.complaints, o.customers} {
		err = errors.Join(err, t.close())
	}
	return errors.Join(err, o.refunds.close())
}

// abort closes whatever is open after a failure; the partial files stay for
// inspection, and the error already went to the caller.
func (g *gen) abort() {
	o := &g.out
	if o.msgs != nil {
		_ = o.msgs.file.Close()
	}
	for _, t := range []*csvTable{o.orders, o.reviews, o.complaints, o.customers} {
		if t != nil {
			_ = t.file.Close()
		}
	}
	if o.refunds != nil {
		_ = o.refunds.f.Close()
	}
}
