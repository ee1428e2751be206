"""Hostile and garbled import files: every failure is a refusal with its line, never a traceback,
nothing is written, and the summary stays small. Encodings are told apart or refused."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from station.catalog.models import Product, User
from station.cli import main
from station.db import open_database, unit_of_work
from station.files import fields
from station.files.reader import FileRejected, decode
from station.files.report import MAX_REJECTED_SHOWN
from station.fulfilment.orders import import_orders
from station.fulfilment.parsers import parse_orders
from station.imports.counts import import_counts
from station.imports.service import import_file
from station.inbound.purchasing import import_po
from station.inventory.models import Balance, Movement

PRODUCTS = "sku,name,barcodes\nA-1,保温杯,6901234567892\n"
SHOPIFY_HEADER = ("Name,Financial Status,Fulfillment Status,Created at,Lineitem quantity,Lineitem name,"
                  "Lineitem price,Lineitem sku,Shipping Name,Shipping Address1,Shipping City,Shipping Zip,"
                  "Shipping Country\n")


def count(sessions, model) -> int:
    with unit_of_work(sessions) as s:
        return s.scalar(select(func.count()).select_from(model))


def reasons(report) -> list[tuple[int, str]]:
    return [(e.line, e.reason) for e in report.rejected]


def write(path, text, encoding="utf-8"):
    path.write_bytes(text.encode(encoding))
    return path


def stocked(sessions, tmp_path):
    """One product in one bin, ready for stock, count and PO files."""
    write(tmp_path / "p.csv", PRODUCTS)
    write(tmp_path / "l.csv", "code,kind\nA-01-01-01,stock\n")
    assert import_file(sessions, "products", tmp_path / "p.csv").ok
    assert import_file(sessions, "locations", tmp_path / "l.csv").ok


# ---- cells -----------------------------------------------------------------------------------

def test_a_cell_over_the_csv_modules_limit_is_a_refused_row_with_its_line(sessions, tmp_path):
    big = "长" * 140_000
    path = write(tmp_path / "p.csv", f"sku,name,barcodes\nA-1,保温杯,6901234567892\nA-2,{big},6901234567908\n")
    report = import_file(sessions, "products", path)
    assert reasons(report) == [(3, f"name: a cell of 140000 characters; at most {fields.MAX_CELL}")]
    assert json.loads(json.dumps(report.as_dict()))["rejected_count"] == 1
    assert count(sessions, Product) == 0


def test_a_huge_cell_in_a_shop_export_is_named_by_line_too(tmp_path):
    row = "#1001,paid,,2024-05-01 10:00:00,1,Tee,19.90,TEE-1,Anna,{},Basel,4001,CH\n"
    path = write(tmp_path / "orders_export.csv", SHOPIFY_HEADER + row.format("Rheinweg 12")
                 + row.replace("#1001", "#1002").format("x" * 200_000))
    result = parse_orders(path, "shopify")
    assert [(e.line, e.reason) for e in result.errors] == [
        (3, f"Shipping Address1: a cell of 200000 characters; at most {fields.MAX_CELL}")]


@pytest.mark.parametrize("cell", ["A\x00-1", "A-1\x07", "A-1\x1b[2J"])
def test_control_characters_in_any_cell_refuse_the_row(sessions, tmp_path, cell):
    path = write(tmp_path / "p.csv", f"sku,name,barcodes\nB-1,杯,6901234567892\n{cell},杯,6901234567908\n")
    report = import_file(sessions, "products", path)
    assert [line for line, _r in reasons(report)] == [3]
    assert "sku: control character" in report.rejected[0].reason
    assert count(sessions, Product) == 0


# ---- identifiers -----------------------------------------------------------------------------

@pytest.mark.parametrize("sku", ["=cmd|'/c calc'!A1", "+SUM(A1)", "-1", "@A1", "A 1", "ＡＢＣ", "杯-1", "#A"])
def test_a_sku_outside_the_character_set_is_refused(sessions, tmp_path, sku):
    path = write(tmp_path / "p.csv", f'sku,name,barcodes\n"{sku}",杯,6901234567892\n'.replace('"""', '"'))
    report = import_file(sessions, "products", path)
    assert [line for line, _r in reasons(report)] == [2]
    assert "must be ASCII letters, digits and - _ . / only" in report.rejected[0].reason
    assert count(sessions, Product) == 0


def test_real_skus_and_locations_are_accepted(sessions, tmp_path):
    path = write(tmp_path / "p.csv", "sku,name,barcodes\nTS01-RD-XL,T恤,6901234567892\nab_1.2/3,杯,6901234567908\n")
    assert import_file(sessions, "products", path).ok
    path = write(tmp_path / "l.csv", "code,kind\nA-01-02-03,stock\nRECV.2,receiving\n")
    assert import_file(sessions, "locations", path).ok


@pytest.mark.parametrize("code", ["A\x00", "=HYPERLINK(1)", "A 01", "库位1"])
def test_a_location_code_outside_the_character_set_is_refused(sessions, tmp_path, code):
    report = import_file(sessions, "locations", write(tmp_path / "l.csv", f"code,kind\nA-1,stock\n{code},stock\n"))
    assert [line for line, _r in reasons(report)] == [3]


@pytest.mark.parametrize("name, ok", [
    ("张伟", True), ("Tom", True), ("阿依古丽·买买提", True), ("O'Brien", True), ("Zoë Müller", True),
    ("=cmd|'/c calc'!A1", False), ("+张伟", False), ("-Tom", False), ("@Tom", False), ("张\x00伟", False),
    ("Tom\u202e", False), (" Tom", True),  # a cell is stripped: " Tom" is Tom
])
def test_user_names_may_be_any_letters_but_no_formula_or_control_character(sessions, tmp_path, name, ok):
    path = write(tmp_path / "u.csv", f"name,badge,roles\n{name},U-1,packer\n")
    report = import_file(sessions, "users", path)
    assert report.ok is ok, report.as_dict()
    assert count(sessions, User) == (1 if ok else 0)


@pytest.mark.parametrize("badge", ["U\x001", "=1+1", "工牌1", "U 1"])
def test_a_badge_outside_the_character_set_is_refused(sessions, tmp_path, badge):
    report = import_file(sessions, "users", write(tmp_path / "u.csv", f"name,badge,roles\n张伟,{badge},packer\n"))
    assert [line for line, _r in reasons(report)] == [2]


GENERIC = "order_no,recipient,phone,address,sku,qty\n"


@pytest.mark.parametrize("order_no, sku", [("=cmd|'/c calc'!A1", "TS-1"), ("B-1", "=cmd|'/c calc'!A1"),
                                           ("B 1", "TS-1"), ("B-1", "TS 1"), ("订单1", "TS-1")])
def test_an_order_number_or_order_sku_outside_the_character_set_is_refused(tmp_path, order_no, sku):
    path = write(tmp_path / "o.csv", GENERIC + f"OK-1,张三,13800001111,路1号,TS-1,1\n{order_no},张三,13800001111,路1号,{sku},1\n")
    result = parse_orders(path, "generic")
    assert [e.line for e in result.errors] == [3]
    assert [o.order_no for o in result.orders] == ["OK-1"]


def test_a_nul_in_a_generic_order_number_is_refused(tmp_path):
    path = write(tmp_path / "o.csv", GENERIC + "B\x001,张三,13800001111,路1号,TS-1,1\n")
    result = parse_orders(path, "generic")
    assert [(e.line, e.reason) for e in result.errors] == [(2, "order_no: control character \\x00 in the cell")]


def test_taobao_18_digit_numbers_and_shopify_hash_names_stay_accepted(tmp_path):
    path = write(tmp_path / "o.csv", GENERIC + '="351531314732935791",张三,13800001111,路1号,TS-1,1\n')
    assert [o.order_no for o in parse_orders(path, "generic").orders] == ["351531314732935791"]
    row = "#1001,paid,,2024-05-01 10:00:00,1,Tee,19.90,TEE-1,Anna,Rheinweg 12,Basel,4001,CH\n"
    result = parse_orders(write(tmp_path / "orders_export.csv", SHOPIFY_HEADER + row), "shopify")
    assert [o.order_no for o in result.orders] == ["#1001"], result.errors


# ---- quantities and amounts ------------------------------------------------------------------

@pytest.mark.parametrize("qty", ["1_000", "１２", "+5", "-3", "1e3", "\"1,000\"", "0x10", "2147483648",
                                 "9223372036854775808", "100000000"])
def test_a_stock_quantity_that_is_not_plain_digits_in_range_is_refused(sessions, tmp_path, qty):
    stocked(sessions, tmp_path)
    report = import_file(sessions, "stock", write(tmp_path / "s.csv", f"sku,location,qty\nA-1,A-01-01-01,{qty}\n"))
    assert [line for line, _r in reasons(report)] == [2]
    assert report.rejected[0].reason.startswith("qty: ")
    assert count(sessions, Movement) == 0


def test_the_largest_quantity_is_accepted(sessions, tmp_path):
    stocked(sessions, tmp_path)
    report = import_file(sessions, "stock", write(tmp_path / "s.csv", f"sku,location,qty\nA-1,A-01-01-01,{fields.MAX_QTY}\n"))
    assert report.ok, report.as_dict()


@pytest.mark.parametrize("qty", ["2147483648", "9223372036854775808", "1" + "0" * 5000])
def test_an_out_of_range_quantity_is_refused_on_both_databases(any_url, tmp_path, qty):
    """PostgreSQL's integer stops at 2^31 - 1, SQLite's at 2^63 - 1: neither is reached."""
    engine, sessions = open_database(any_url)
    try:
        stocked(sessions, tmp_path)
        write(tmp_path / "s.csv", f"sku,location,qty\nA-1,A-01-01-01,5\nA-1,QC-01,{qty}\n")
        report = import_file(sessions, "stock", tmp_path / "s.csv")
        assert [e.line for e in report.rejected] == [3]
        assert f"is more than {fields.MAX_QTY}" in report.rejected[0].reason
        write(tmp_path / "po.csv", f"po_no,supplier,sku,qty\nPO-1,某厂,A-1,{qty}\n")
        assert [e.line for e in import_po(sessions, tmp_path / "po.csv").rejected] == [2]
        write(tmp_path / "c.csv", f"location,sku,qty\nA-01-01-01,A-1,{qty}\n")
        assert [e.line for e in import_counts(sessions, tmp_path / "c.csv").rejected] == [2]
        write(tmp_path / "o.csv", GENERIC + f"B-1,张三,13800001111,路1号,A-1,{qty}\n")
        assert [e.line for e in import_orders(sessions, tmp_path / "o.csv").rejected] == [2]
        assert count(sessions, Movement) == 0 and count(sessions, Balance) == 0
    finally:
        engine.dispose()


@pytest.mark.parametrize("cost", ["1e400", "NaN", "inf", "-inf", "-1", "1e3", "100000000", "1.234", "１２"])
def test_a_product_unit_cost_that_is_not_an_amount_is_refused(sessions, tmp_path, cost):
    path = write(tmp_path / "p.csv", f"sku,name,barcodes,unit_cost\nA-1,杯,6901234567892,{cost}\n")
    report = import_file(sessions, "products", path)
    assert [line for line, _r in reasons(report)] == [2]
    assert report.rejected[0].reason.startswith("unit_cost: ")
    assert count(sessions, Product) == 0


@pytest.mark.parametrize("cost", ["1e400", "NaN", "Infinity", "123456789", "1.23456"])
def test_a_po_unit_cost_that_is_not_an_amount_is_refused(sessions, tmp_path, cost):
    stocked(sessions, tmp_path)
    report = import_po(sessions, write(tmp_path / "po.csv", f"po_no,supplier,sku,qty,unit_cost\nPO-1,某厂,A-1,5,{cost}\n"))
    assert [line for line, _r in reasons(report)] == [2]
    assert report.rejected[0].reason.startswith("unit_cost: ")


def test_a_po_unit_cost_may_carry_a_yuan_sign_thousands_commas_and_four_decimals(sessions, tmp_path):
    stocked(sessions, tmp_path)
    report = import_po(sessions, write(tmp_path / "po.csv", 'po_no,supplier,sku,qty,unit_cost\nPO-1,某厂,A-1,5,"¥1,234.5678"\n'))
    assert report.ok, report.as_dict()


@pytest.mark.parametrize("qty, price", [("1_000", "1.00"), ("１２", "1.00"), ("2147483648", "1.00"),
                                        ("1", "1e400"), ("1", "NaN"), ("1", "inf")])
def test_order_quantities_and_prices_are_plain_and_in_range(tmp_path, qty, price):
    path = write(tmp_path / "o.csv", "order_no,recipient,phone,address,sku,qty,unit_price\n"
                 f"B-1,张三,13800001111,路1号,TS-1,{qty},{price}\n")
    result = parse_orders(path, "generic")
    assert [e.line for e in result.errors] == [2] and result.orders == ()


# ---- the summary -----------------------------------------------------------------------------

def test_the_summary_lists_the_first_1000_rejected_rows_and_counts_them_all(sessions, tmp_path):
    rows = "".join(f"A-{i},杯,6901234567893\n" for i in range(2500))  # a wrong check digit
    report = import_file(sessions, "products", write(tmp_path / "p.csv", "sku,name,barcodes\n" + rows))
    summary = report.as_dict()
    assert summary["rejected_count"] == summary["rejected_rows"] == 2500 and summary["ok"] is False
    assert len(summary["rejected"]) == MAX_REJECTED_SHOWN
    assert [r["line"] for r in summary["rejected"][:2]] == [2, 3]
    assert summary["rejected"][-1]["line"] == MAX_REJECTED_SHOWN + 1
    assert len(json.dumps(summary, ensure_ascii=False)) < 200_000


def test_the_cli_prints_a_capped_json_summary_and_no_traceback_for_a_hostile_file(sqlite_url, tmp_path):
    rows = "".join(f"=cmd|'/c calc'!A{i},杯,6901234567892,1.00\n" for i in range(1500))
    big = "x" * 200_000
    path = write(tmp_path / "p.csv", "sku,name,barcodes,unit_cost\n" + rows + f"B-1,{big},6901234567892,1e400\n")
    engine, factory = open_database(sqlite_url)
    with unit_of_work(factory) as s:
        s.add(User(name="刘洋", badge="U-1004", roles="supervisor;admin"))
        s.commit()
    engine.dispose()
    result = CliRunner().invoke(main, ["--db", sqlite_url, "import", "products", str(path), "--user", "刘洋"],
                                catch_exceptions=False)
    assert result.exit_code == 1
    summary = json.loads(result.stdout)
    # the first formula row has one reason (its SKU), the 1,499 others two (SKU, barcode already on line 2),
    # the row with the huge cell one: 1,501 rows, 3,000 reasons
    assert (summary["rejected_rows"], summary["rejected_count"]) == (1501, 3000)
    assert len(summary["rejected"]) == MAX_REJECTED_SHOWN
    assert summary["rejected"][0]["line"] == 2 and summary["rejected"][0]["reason"].startswith("sku: ")
    assert "... and 2000 more reasons" in result.stderr
    assert "line 1502: name: a cell of 200000 characters" not in result.stderr  # past the first 1,000
    assert result.stderr.count("\n") < MAX_REJECTED_SHOWN + 10


# ---- encodings -------------------------------------------------------------------------------

@pytest.mark.parametrize("encoding, name, expected", [
    ("utf-8", "Crème brûlée", "utf-8"), ("utf-8-sig", "Crème brûlée", "utf-8"), ("utf-16", "保温杯 Crème", "utf-16"),
    ("gb18030", "纯棉短袖T恤 男女同款", "gb18030"), ("cp1252", "Crème brûlée au café – 12 €", "cp1252"),
    ("shift_jis", "抹茶のケーキ", "shift_jis"), ("shift_jis", "東京タワー Tシャツ", "shift_jis"),
])
def test_each_encoding_is_told_apart_and_the_text_is_stored_as_written(sessions, tmp_path, encoding, name, expected):
    path = write(tmp_path / "p.csv", f"sku,name,barcodes\nA-1,{name},6901234567892\n", encoding)
    report = import_file(sessions, "products", path)
    assert report.ok, report.as_dict()
    assert report.encoding == expected
    with unit_of_work(sessions) as s:
        assert s.scalar(select(Product.name)) == name


def test_cp1252_and_shift_jis_are_no_longer_read_as_gb18030():
    assert decode("Crème brûlée".encode("cp1252")) == ("Crème brûlée", "cp1252")
    assert decode("おにぎり".encode("shift_jis")) == ("おにぎり", "shift_jis")


def test_a_file_that_could_be_two_encodings_is_refused_with_give_encoding(sessions, tmp_path):
    data = "sku,name,barcodes\nA-1,ﾃｨｰｼｬﾂ,6901234567892\n".encode("shift_jis")  # half-width kana: GB18030 too
    with pytest.raises(FileRejected) as caught:
        decode(data)
    assert caught.value.errors[0].line == 2
    assert "give --encoding" in caught.value.errors[0].reason
    (tmp_path / "p.csv").write_bytes(data)
    report = import_file(sessions, "products", tmp_path / "p.csv")
    assert "give --encoding" in report.rejected[0].reason and count(sessions, Product) == 0
    report = import_file(sessions, "products", tmp_path / "p.csv", encoding="shift_jis")
    assert report.ok and report.encoding == "shift_jis"
    with unit_of_work(sessions) as s:
        assert s.scalar(select(Product.name)) == "ﾃｨｰｼｬﾂ"


def test_bytes_no_encoding_reads_as_text_are_refused():
    with pytest.raises(FileRejected) as caught:
        decode(b"sku,name\nA-1,\x81\x81\xff\xfe\x80\n")
    assert "give --encoding" in caught.value.errors[0].reason


def test_utf16_without_a_byte_order_mark_is_refused_not_read_as_garbage():
    with pytest.raises(FileRejected) as caught:
        decode("sku,name,barcodes\nA-1,杯,6901234567892\n".encode("utf-16-le"))
    assert "utf-16-le" in caught.value.errors[0].reason


def test_the_cli_takes_encoding_and_refuses_a_wrong_one_with_the_line(sqlite_url, tmp_path):
    engine, factory = open_database(sqlite_url)
    with unit_of_work(factory) as s:
        s.add(User(name="刘洋", badge="U-1004", roles="supervisor;admin"))
        s.commit()
    engine.dispose()
    path = write(tmp_path / "p.csv", "sku,name,barcodes\nA-1,杯,6901234567892\nA-2,Crème,6901234567908\n", "utf-8")
    run = CliRunner().invoke(main, ["--db", sqlite_url, "import", "products", str(path), "--encoding", "ascii",
                                    "--user", "刘洋"])
    assert run.exit_code == 1
    assert json.loads(run.stdout)["rejected"] == [{"line": 2, "reason": "The file is not valid ascii text (byte 22)"}]
    run = CliRunner().invoke(main, ["--db", sqlite_url, "import", "products", str(path), "--encoding", "nonsense",
                                    "--user", "刘洋"])
    assert run.exit_code == 2 and "Unknown encoding nonsense" in run.output
    run = CliRunner().invoke(main, ["--db", sqlite_url, "import", "products", str(path), "--encoding", "UTF8",
                                    "--user", "刘洋"])
    assert run.exit_code == 0, run.output
    assert json.loads(run.stdout)["encoding"] == "utf-8"


def test_a_gb18030_taobao_pair_still_imports(sessions):
    from pathlib import Path

    folder = Path(__file__).resolve().parents[1] / "data" / "orders" / "taobao"
    result = parse_orders(folder / "ExportOrderList202105131200.csv", "taobao")
    assert result.encoding == "gb18030" and result.orders


def test_an_order_value_longer_than_its_column_is_refused_with_its_line_on_both_databases(any_url, tmp_path):
    """On PostgreSQL a 301-character address crashed the whole import with StringDataRightTruncation."""
    from station.fulfilment.models import Order

    engine, sessions = open_database(any_url)
    try:
        stocked(sessions, tmp_path)
        write(tmp_path / "o.csv", GENERIC + "B-1,张三,13800001111,路1号,A-1,1\n"
              + f"B-2,李四,13800002222,{'长' * 301},A-1,1\n")
        report = import_orders(sessions, tmp_path / "o.csv")
        assert [(e.line, e.reason) for e in report.rejected] == [(3, "address: 301 characters, at most 300 fit")]
        assert count(sessions, Order) == 0  # all or nothing
    finally:
        engine.dispose()
