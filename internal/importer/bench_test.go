package importer

import (
	"bufio"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/transform"
)

// benchRows is the size of the benchmark file: 1,000,000 messages of about
// 100 bytes (the performance target is < 1.2 s per file in UTF-8, < 1.5 s in GB18030).
const benchRows = 1_000_000

// writeMessagesCSV writes n message rows of about 100 bytes each.
func writeMessagesCSV(tb testing.TB, path string, n int, gbk bool) int64 {
	tb.Helper()
	f, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	var w io.Writer = f
	if gbk {
		w = transform.NewWriter(f, simplifiedchinese.GB18030.NewEncoder())
	}
	bw := bufio.NewWriterSize(w, 1<<20)
	bw.WriteString("消息ID,买家,发送方,客服,发送时间,内容,咨询类型\n")
	contents := []string{"在吗？这个还有货吗，什么时候发货呀", "亲，在的呢，今天下单明天就发货哦", "好的谢谢", "请问有优惠券吗"}
	var line []byte
	for i := 0; i < n; i++ {
		line = line[:0]
		line = append(line, 'm')
		line = strconv.AppendInt(line, int64(1000000+i), 10)
		line = append(line, ",pdd_buyer_"...)
		line = strconv.AppendInt(line, int64(10000+i%5000), 10)
		if i%2 == 0 {
			line = append(line, ",买家,,"...)
		} else {
			line = append(line, ",客服,小美,"...)
		}
		line = append(line, "2024-03-"...)
		d := 1 + i%28
		line = append(line, byte('0'+d/10), byte('0'+d%10), ' ')
		h, m, s := i/3600%24, i/60%60, i%60
		line = append(line, byte('0'+h/10), byte('0'+h%10), ':', byte('0'+m/10), byte('0'+m%10), ':', byte('0'+s/10), byte('0'+s%10), ',')
		line = append(line, contents[i%len(contents)]...)
		line = append(line, ",售前\n"...)
		bw.Write(line)
	}
	if err := bw.Flush(); err != nil {
		tb.Fatal(err)
	}
	if c, ok := w.(io.Closer); ok && gbk {
		c.Close()
	}
	st, _ := f.Stat()
	f.Close()
	return st.Size()
}

func benchRead(b *testing.B, gbk bool, wantEnc string) {
	path := filepath.Join(b.TempDir(), "messages.csv")
	size := writeMessagesCSV(b, path, benchRows, gbk)
	b.SetBytes(size)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		r, err := Open(path, Options{})
		if err != nil {
			b.Fatal(err)
		}
		if r.Encoding() != wantEnc {
			b.Fatalf("encoding %s", r.Encoding())
		}
		n := 0
		for {
			rec, rowErr, err := r.Next()
			if err == io.EOF {
				break
			}
			if err != nil || rowErr != nil {
				b.Fatal(err, rowErr)
			}
			if rec.Message == nil {
				b.Fatal("no message")
			}
			n++
		}
		r.Close()
		if n != benchRows {
			b.Fatalf("read %d rows", n)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*benchRows), "ns/row")
}

// BenchmarkReadMessagesCSV reads 1M UTF-8 message rows (~100 bytes each).
func BenchmarkReadMessagesCSV(b *testing.B) { benchRead(b, false, EncUTF8) }

// BenchmarkReadMessagesCSVGB18030 reads the same rows encoded in GB18030.
func BenchmarkReadMessagesCSVGB18030(b *testing.B) { benchRead(b, true, EncGB18030) }
