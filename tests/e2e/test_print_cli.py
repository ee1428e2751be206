"""`station print DOCUMENT ID... --out FILE.pdf`: every document built from the database, read back."""
from __future__ import annotations

import json

import pytest

from tests.e2e.test_cli import station
from tests.e2e.test_pack_replay import replay, shop  # noqa: F401  (the fixture)
from tests.support.sql import connect
from tests.support.pdfcheck import decode_barcodes, fonts_embedded, page_sizes_mm, pdf_text


def codes(pdf: bytes) -> set[str]:
    return {v for page in decode_barcodes(pdf) for v in page}


@pytest.fixture
def printed(shop, tmp_path):
    url, _orders, code = shop
    batch = json.loads(station("--db", url, "batch", "--limit", "1", "--user", "刘洋").stdout)
    con = connect(url)
    (number,) = con.execute("select tracking_no from parcel").fetchone()
    con.close()
    replay(url, ["PS:P1", code[("TS01-RD-M", 1)], code[("TS01-RD-M", 1)], code[("SP-01", 1)], number])
    handed = station("--db", url, "replay", "handover", "--user", "张伟", stdin=f"{number}\nCMD-DONE\n")
    handover_no = json.loads(handed.stdout.splitlines()[0])["state"]["handover"]
    return url, batch["batch_no"], number, handover_no


@pytest.mark.parametrize("document, ids, size, expect_codes, expect_text", [
    ("packing-slip", ["P1", "P2"], (210, 297), {"PS:P1", "RS:P1", "PS:P2", "RS:P2"}, ["王小明", "李雷"]),
    ("product-label", ["TS01-RD-M"], (50, 30), None, ["纯棉圆领T恤"]),
    ("location-label", ["A-01-02-03"], (100, 50), {"A-01-02-03"}, ["A-01-02-03"]),
])
def test_documents_by_their_ids_carry_the_right_barcodes_and_chinese_text(printed, tmp_path, document, ids, size,
                                                                          expect_codes, expect_text):
    url = printed[0]
    out = tmp_path / "doc.pdf"
    result = station("--db", url, "print", document, *ids, "--out", str(out))
    assert result.returncode == 0, result.stderr
    pdf = out.read_bytes()
    assert all(abs(w - size[0]) <= 0.5 and abs(h - size[1]) <= 0.5 for w, h in page_sizes_mm(pdf))
    assert all(fonts_embedded(pdf).values())
    text = "".join(pdf_text(pdf))
    assert all(t in text for t in expect_text)
    if expect_codes:
        assert expect_codes <= codes(pdf)
    else:
        assert len(codes(pdf)) == 1


def test_waybill_pick_list_and_handover_print_from_what_happened(printed, tmp_path):
    url, batch_no, number, handover_no = printed
    for document, ident, expected in (("waybill", "P1", {number}), ("pick-list", batch_no, {batch_no}),
                                      ("handover", handover_no, {handover_no})):
        out = tmp_path / f"{document}.pdf"
        result = station("--db", url, "print", document, ident, "--out", str(out))
        assert result.returncode == 0, result.stderr
        assert expected <= codes(out.read_bytes()), document
    text = "".join(pdf_text((tmp_path / "waybill.pdf").read_bytes()))
    assert "138****5678" in text and "13812345678" not in text  # the recipient's phone is masked


def test_an_unknown_id_is_refused_clearly_and_writes_no_file(printed, tmp_path):
    url = printed[0]
    bad = station("--db", url, "print", "product-label", "NOPE-1", "--out", str(tmp_path / "x.pdf"))
    assert bad.returncode == 1 and "Unknown SKU NOPE-1" in bad.stderr
    assert not (tmp_path / "x.pdf").exists()
    no_count = station("--db", url, "print", "count-sheet", "CNT-9", "--out", str(tmp_path / "x.pdf"))
    assert no_count.returncode == 1 and "No count CNT-9" in no_count.stderr
    no_receipt = station("--db", url, "print", "return-receipt", "RR-9", "--out", str(tmp_path / "x.pdf"))
    assert no_receipt.returncode == 1 and "RR-9" in no_receipt.stderr
    assert not (tmp_path / "x.pdf").exists()


def test_the_command_sheet_prints_with_no_ids_all_or_a_bench_and_scans_back(sqlite_url, tmp_path):
    from station.scanning import SCANNER_SETUP_CODE

    whole, every, card = tmp_path / "sheet.pdf", tmp_path / "all.pdf", tmp_path / "pack.pdf"
    for args, out in (([], whole), (["all"], every), (["pack", "--size", "100x150"], card)):
        result = station("--db", sqlite_url, "print", "command-sheet", *args, "--out", str(out))
        assert result.returncode == 0, result.stderr
    assert whole.read_bytes() == every.read_bytes()
    assert {SCANNER_SETUP_CODE, "CMD-DONE", "CMD-APPROVE", "CMD-NEW_PARCEL", "CMD-LOGOUT"} <= codes(whole.read_bytes())
    pack = card.read_bytes()
    assert all(abs(w - 100) <= 0.5 and abs(h - 150) <= 0.5 for w, h in page_sizes_mm(pack))
    assert "CMD-SHORT" in codes(pack) and "CMD-APPROVE" not in codes(pack)
    assert "打包台" in "".join(pdf_text(pack))
    bad = station("--db", sqlite_url, "print", "command-sheet", "packing", "--out", str(tmp_path / "x.pdf"))
    assert bad.returncode == 1 and "Unknown bench packing" in bad.stderr
    none = station("--db", sqlite_url, "print", "waybill", "--out", str(tmp_path / "x.pdf"))
    assert none.returncode == 1 and "ORDER" in none.stderr
    assert not (tmp_path / "x.pdf").exists()


@pytest.mark.parametrize("fmt", ["tspl", "zpl"])
def test_a_waybill_prints_in_a_thermal_printers_own_language(printed, tmp_path, fmt):
    from tests.unit.test_printing_raw import _scan, read_tspl, read_zpl

    url, _batch_no, number, _handover_no = printed
    out = tmp_path / f"waybill.{fmt}"
    result = station("--db", url, "print", "waybill", "P1", "--size", "100x150", "--format", fmt, "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["format"] == fmt
    job = out.read_bytes()
    assert job.startswith(b"SIZE 100.0 mm,150.0 mm" if fmt == "tspl" else b"^XA^PW800^LL1200")
    (label,) = (read_tspl if fmt == "tspl" else read_zpl)(job)
    assert _scan(label) == [number]
    refused = station("--db", url, "print", "waybill", "P1", "--format", fmt, "--printer", "pdf:/tmp", "--user", "刘洋")
    assert refused.returncode == 2 and "cups:QUEUE" in refused.stderr
