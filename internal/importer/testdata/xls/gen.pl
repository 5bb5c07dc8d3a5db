#!/usr/bin/perl
# Generates the .xls test files of internal/importer (see README.md).
# Needs Debian's libspreadsheet-writeexcel-perl; mixed.fods is converted to
# mixed.xls by LibreOffice (libreoffice-calc-nogui), which writes RK/MULRK
# numbers, cached formula results and a shared-string table that spans
# CONTINUE records, unlike Spreadsheet::WriteExcel.
use strict;
use warnings;
use utf8;
use Spreadsheet::WriteExcel;

my @orders_header = ('订单号', '买家', '下单时间', '支付时间', '实付金额');

# orders writes the orders sheet shared by orders.xls, orders_biff.xlsx and
# cover.xls, starting at row $r (0-based).
sub orders {
    my ($wb, $ws, $r) = @_;
    my $dt    = $wb->add_format(num_format => 'yyyy-mm-dd hh:mm:ss');
    my $d     = $wb->add_format(num_format => 'yyyy-mm-dd');
    my $money = $wb->add_format(num_format => '#,##0.00');
    $ws->write_row($r, 0, \@orders_header);
    $ws->write_string($r + 1, 0, '240420-001');
    $ws->write_string($r + 1, 1, '张三');
    $ws->write_date_time($r + 1, 2, '2024-04-20T12:00:00', $dt);
    $ws->write_date_time($r + 1, 3, '2024-04-20T12:05:30', $dt);
    $ws->write_number($r + 1, 4, 11715.63, $money);
    $ws->write_number($r + 2, 0, 240420100201);
    $ws->write_string($r + 2, 1, '李四');
    $ws->write_date_time($r + 2, 2, '2024-02-29T23:59:59', $dt);
    $ws->write_blank($r + 2, 3, $dt);
    $ws->write_number($r + 2, 4, 59.9, $money);
    # row $r+3 left empty
    $ws->write_string($r + 4, 0, '240420-003');
    $ws->write_string($r + 4, 1, '王五');
    $ws->write_string($r + 4, 2, '2024-04-21 08:00:00');
    $ws->write_date_time($r + 4, 3, '2024-04-21T', $d);
    $ws->write_number($r + 4, 4, 100);
    $ws->write_string($r + 5, 0, '240420-004');
    $ws->write_string($r + 5, 1, '赵六');
    $ws->write_date_time($r + 5, 2, '2024-04-22T09:30:00', $dt);
    $ws->write_string($r + 5, 4, 'abc');
}

# typed_values writes a sheet of typed cells, read back raw by TestXLSValues.
sub typed_values {
    my ($wb, $ws) = @_;
    my $pct = $wb->add_format(num_format => '0.00%');
    my $dt  = $wb->add_format(num_format => 'yyyy-mm-dd hh:mm:ss');
    $ws->write_row(0, 0, ['旺旺昵称', '整数', '小数', '百分比', '日期时间', '空', '负数', '文本数字', '大整数',
        '公式', '公式文本', '公式布尔', '公式错误']);
    $ws->write_string(1, 0, '数据信息');
    $ws->write_number(1, 1, 42);
    $ws->write_number(1, 2, 11715.63);
    $ws->write_number(1, 3, 0.3699, $pct);
    $ws->write_number(1, 4, 45400.5, $dt);
    $ws->write_number(1, 6, -12.5);
    $ws->write_string(1, 7, '00123');
    $ws->write_number(1, 8, 240420100201);
    # Cached results as Excel stores them (a STRING record follows a text
    # result). WriteExcel writes a non-ASCII STRING record as UTF-16BE, so
    # the text result is ASCII.
    $ws->write_formula(1, 9, '=B2*2', undef, 84);
    $ws->write_formula(1, 10, '="cup"&"s"', undef, 'cups');
    $ws->write_formula(1, 11, '=B2>0', undef, 'TRUE');
    $ws->write_formula(1, 12, '=NA()', undef, '#N/A');
    $ws->write_number(2, 2, 0.1 + 0.2);
    $ws->write_number(2, 6, -5);
}

for my $name ('orders.xls', 'orders_biff.xlsx') {
    my $wb = Spreadsheet::WriteExcel->new($name) or die "$name: $!";
    orders($wb, $wb->add_worksheet('订单'), 0);
    $wb->close;
}

{
    my $wb = Spreadsheet::WriteExcel->new('cover.xls') or die $!;
    $wb->set_1904();
    my $cover = $wb->add_worksheet('封面');
    $cover->write(0, 0, '店铺经营数据导出');
    $cover->write(1, 0, '导出时间：2024-04-23');
    orders($wb, $wb->add_worksheet('订单数据'), 0);
    typed_values($wb, $wb->add_worksheet('数值'));
    $wb->close;
}

{
    my $wb = Spreadsheet::WriteExcel->new('banner.xls') or die $!;
    my $ws = $wb->add_worksheet('数据信息');
    my $f  = $wb->add_format(bold => 1);
    $ws->write_string(0, 0, '下载数据最多5000条，超出部分会被截断！');
    $ws->write_string(1, 0, '收藏网址：https://sycm.taobao.com');
    $ws->write_blank(2, 0, $f);
    $ws->write_blank(2, 1, $f);
    orders($wb, $ws, 3);
    $wb->close;
}

# mixed.fods: LibreOffice flat XML, converted to mixed.xls.
{
    open(my $fh, '>:encoding(UTF-8)', 'mixed.fods') or die $!;
    my $s = sub { my $v = shift; "<table:table-cell office:value-type=\"string\"><text:p>$v</text:p></table:table-cell>" };
    my $n = sub { my $v = shift; "<table:table-cell office:value-type=\"float\" office:value=\"$v\"><text:p>$v</text:p></table:table-cell>" };
    my $t = sub { my $v = shift; "<table:table-cell table:style-name=\"dt\" office:value-type=\"date\" office:date-value=\"$v\"><text:p>$v</text:p></table:table-cell>" };
    my $e = '<table:table-cell/>';
    print $fh <<'XML';
<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" xmlns:number="urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0" xmlns:of="urn:oasis:names:tc:opendocument:xmlns:of:1.2" office:version="1.2" office:mimetype="application/vnd.oasis.opendocument.spreadsheet">
<office:automatic-styles>
<style:style style:name="T1" style:family="text"><style:text-properties fo:font-weight="bold"/></style:style>
<number:date-style style:name="N1"><number:year number:style="long"/><number:text>-</number:text><number:month number:style="long"/><number:text>-</number:text><number:day number:style="long"/><number:text> </number:text><number:hours number:style="long"/><number:text>:</number:text><number:minutes number:style="long"/><number:text>:</number:text><number:seconds number:style="long"/></number:date-style>
<number:percentage-style style:name="N2"><number:number number:decimal-places="2" number:min-integer-digits="1"/><number:text>%</number:text></number:percentage-style>
<style:style style:name="dt" style:family="table-cell" style:data-style-name="N1"/>
<style:style style:name="pct" style:family="table-cell" style:data-style-name="N2"/>
</office:automatic-styles>
<office:body><office:spreadsheet>
<table:table table:name="订单">
XML
    print $fh '<table:table-row>', join('', map { $s->($_) } @orders_header, '数量', '商品'), "</table:table-row>\n";
    # Rich text, a formula, RK numbers (integers,
    # hundredths, a negative amount that must be refused).
    print $fh '<table:table-row>', $s->('o-1'), $s->('张三'), $t->('2024-04-20T12:00:00'), $t->('2024-04-20T12:05:30'), $n->('59.9'),
        '<table:table-cell table:formula="of:=1+1" office:value-type="float" office:value="2"><text:p>2</text:p></table:table-cell>',
        $s->('杯子'),
        "</table:table-row>\n";
    print $fh '<table:table-row>', $s->('o-2'), '<table:table-cell office:value-type="string"><text:p><text:span text:style-name="T1">李</text:span>四</text:p></table:table-cell>',
        $t->('2024-02-29T23:59:59'), $e, $n->('-12.5'), $n->('3'), $e, "</table:table-row>\n";
    # Enough distinct strings for the shared-string table to need CONTINUE
    # records; some split inside their characters.
    for my $i (3 .. 300) {
        my $product = sprintf('商品%03d号：', $i) . ('长' x ($i % 23)) . ($i % 2 ? 'x' : '');
        print $fh '<table:table-row>', $s->("o-$i"), $s->("买家$i"), $t->('2024-04-20T08:00:00'), $e, $n->($i * 100 + 0.5), $n->($i), $s->($product), "</table:table-row>\n";
    }
    print $fh "</table:table>\n<table:table table:name=\"数值\">\n";
    print $fh '<table:table-row>', join('', map { $s->($_) } '旺旺昵称', '整数', '小数', '百分比', '日期时间', '空', '负数', '文本数字', '大整数', '布尔', '错误'), "</table:table-row>\n";
    print $fh '<table:table-row>', $s->('数据信息'), $n->('42'), $n->('11715.63'),
        '<table:table-cell table:style-name="pct" office:value-type="percentage" office:value="0.3699"><text:p>36.99%</text:p></table:table-cell>',
        $t->('2024-04-20T12:00:00'), $e, $n->('-12.5'), $s->('00123'), $n->('240420100201'),
        '<table:table-cell office:value-type="boolean" office:boolean-value="true"><text:p>TRUE</text:p></table:table-cell>',
        '<table:table-cell table:formula="of:=1/0" office:value-type="float" office:value="0"><text:p>#DIV/0!</text:p></table:table-cell>',
        "</table:table-row>\n";
    print $fh '<table:table-row>', $e, $e, $n->('0.30000000000000004'), $e, $e, $e, $n->('-5'), "</table:table-row>\n";
    print $fh "</table:table>\n</office:spreadsheet></office:body></office:document>\n";
    close $fh;
}
