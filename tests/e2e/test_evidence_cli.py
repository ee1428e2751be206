"""`station evidence`: the dispute pack of a packed parcel, and the pack videos it keeps (issue 18).

On SQLite and on the real PostgreSQL server: a parcel packed by `station replay pack`, a clip
filed for it (a generated video as the camera's), the pack made, read back, and the retention that
never deletes a disputed clip until the dispute is released."""
from __future__ import annotations

import json
import zipfile
from datetime import datetime, timedelta, timezone

import pytest

from station.db import open_database, unit_of_work
from station.video.clips import PackClip, file_clip, prune
from tests.e2e.test_cli import station
from tests.e2e.test_pack_replay import replay, shop  # noqa: F401 - the fixture
from tests.support.sql import connect
from tests.support.video import make_video

av = pytest.importorskip("av")


def test_the_dispute_pack_holds_the_video_scans_weights_and_waybill_and_keeps_the_clip(shop, tmp_path):  # noqa: F811
    url, _orders, code = shop
    outcomes = replay(url, ["PS:P5", code[("TS03-WH-S", 1)], "PS:P4", code[("PN-002", 1)], code[("PN-002", 1)]])
    assert [o["code"] for o in outcomes] == ["order_opened", "order_packed", "order_opened", "item_ok",
                                             "order_packed"]
    con = connect(url)
    tracking = dict(con.execute("select o.order_no, p.tracking_no from parcel p join shop_order o on o.id = p.order_id "
                                "where o.order_no in ('P4', 'P5')").fetchall())
    con.close()
    engine, sessions = open_database(url)
    folder = tmp_path / "clips"
    started = datetime.now(timezone.utc) - timedelta(minutes=5)
    filed = {}
    for order in ("P5", "P4"):
        working = f"{order}.mp4"
        (folder).mkdir(exist_ok=True)
        make_video(folder / working, seconds=1)
        filed[order] = file_clip(sessions, folder, order_no=order, working=working, started=started,
                                 station="pack-1", frames=12, seconds=1.0, size=(folder / working).stat().st_size,
                                 complete=True, stills=[[0.2, "PS:" + order], [0.8, "closed"]])
    assert filed["P5"].path.name == f"{tracking['P5']}.mp4" and filed["P5"].path.exists()

    out = tmp_path / "evidence.zip"
    made = station("--db", url, "evidence", tracking["P5"], "--out", str(out), "--user", "刘洋")
    assert made.returncode == 0, made.stderr
    report = json.loads(made.stdout)
    assert report["order_no"] == "P5" and report["clips_kept_as_disputed"] == 1 and report["scans"] == 2
    with zipfile.ZipFile(out) as z:
        names = set(z.namelist())
        assert {f"video/{tracking['P5']}.mp4", "scans.csv", "weights.json", "summary.pdf"} <= names
        scans = z.read("scans.csv").decode("utf-8-sig").splitlines()
        assert scans[0] == "at,station,user,scan,kind,outcome"
        assert [row.split(",")[-1] for row in scans[1:]] == ["order_opened", "order_packed"]
        weights = json.loads(z.read("weights.json"))
        assert weights["read_g"] is None and weights["items"][0]["sku"] == "TS03-WH-S"
    assert (report["documents"] == ["waybill.pdf"]) == ("waybill.pdf" in names)

    # Over budget: the other clip goes, the disputed one stays.
    report = prune(sessions, "pack-1", budget_bytes=0, keep_days=90)
    assert (report.deleted, report.kept_disputed) == (1, 1)
    assert filed["P5"].path.exists() and not filed["P4"].path.exists()
    released = station("--db", url, "evidence", "P5", "--release", "--user", "刘洋")
    assert released.returncode == 0 and json.loads(released.stdout)["clips_released"] == 1
    assert prune(sessions, "pack-1", budget_bytes=0, keep_days=90).deleted == 1
    assert not filed["P5"].path.exists()
    with unit_of_work(sessions) as s:
        assert all(c.deleted_at is not None for c in s.query(PackClip))
    engine.dispose()


def test_an_unknown_parcel_is_said_and_nothing_is_written(shop, tmp_path):  # noqa: F811
    url, _orders, _code = shop
    result = station("--db", url, "evidence", "SF0000000000000", "--out", str(tmp_path / "x.zip"), "--user", "刘洋")
    assert result.returncode == 1 and "No order or parcel SF0000000000000" in result.stderr
    assert not (tmp_path / "x.zip").exists()
