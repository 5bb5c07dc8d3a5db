package importer

import (
	"errors"
	"testing"

	"github.com/kefuboard/kefuboard/internal/kpi"
)

func TestParseMoney(t *testing.T) {
	ok := []struct {
		in   string
		want kpi.Fen
	}{
		{"", 0},
		{"  ", 0},
		{"0", 0},
		{"0.00", 0},
		{"-0.00", 0},
		{"1234.5", 123450},
		{"1234.50", 123450},
		{"1234", 123400},
		{"¥1,234.50", 123450},
		{"￥88", 8800},
		{"88元", 8800},
		{"88.8 元", 8880},
		{"¥ 88", 8800},
		{"￥1,234,567.89元", 123456789},
		{"-20.00", -2000},
		{"+20", 2000},
		{"¥-20", -2000},
		{"-¥20", -2000},
		{"RMB 88", 8800},
		{"CNY88.10", 8810},
		{"1.230", 123},
		{"1.2300000", 123},
		{".5", 50},
		{"5.", 500},
		{"0.01", 1},
		{"59.9", 5990},
		{"59.900000000000006", 5990}, // float noise from a spreadsheet
		{"0.30000000000000004", 30},  // 0.1+0.2
		{"0.29999999999999999", 30},  // noise below the fen
		{"69.989999999999995", 6999}, // noise below
		{"1.0000001", 100},           // within 1e-6 yuan
		{"1.9999999", 200},           // within 1e-6 yuan below 2.00
		{"999999999999999.99", 99999999999999999},
		{"000123.40", 12340},
		{"1,000", 100000},
		{"\u3000¥12.30\u3000", 1230},
	}
	for _, c := range ok {
		got, err := ParseMoney(c.in)
		if err != nil || got != c.want {
			t.Errorf("ParseMoney(%q) = %v, %v; want %v", c.in, got, err, c.want)
		}
	}
	bad := []struct {
		in   string
		want error
	}{
		{"1.234", errMoneyDecimals},
		{"1.2345", errMoneyDecimals},
		{"1.00001", errMoneyDecimals}, // 1e-5 yuan is more than float noise
		{"0.999", errMoneyDecimals},
		{"abc", errMoneyFormat},
		{"¥", errMoneyFormat},
		{"-", errMoneyFormat},
		{"元", errMoneyFormat},
		{".", errMoneyFormat},
		{"1.2.3", errMoneyFormat},
		{"1,23.00", errMoneyFormat},
		{"12,3456", errMoneyFormat},
		{",123", errMoneyFormat},
		{"1,,000", errMoneyFormat},
		{"1,000,", errMoneyFormat},
		{"--5", errMoneyFormat},
		{"-¥-5", errMoneyFormat},
		{"5-", errMoneyFormat},
		{"1e3", errMoneyFormat},
		{"12 34", errMoneyFormat},
		{"五十", errMoneyFormat},
		{"$5", errMoneyFormat},
		{"1000000000000000", errMoneyTooBig},
		{"99999999999999999999999", errMoneyTooBig},
	}
	for _, c := range bad {
		got, err := ParseMoney(c.in)
		if !errors.Is(err, c.want) {
			t.Errorf("ParseMoney(%q) = %v, %v; want %v", c.in, got, err, c.want)
		}
	}
}
