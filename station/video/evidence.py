"""One dispute pack per parcel (issue 18): ``station evidence TRACKING_OR_ORDER --out FILE.zip``.

The zip holds what a shop sends a platform when a buyer says the parcel came short (少件):

* ``video/<tracking>.mp4``: the pack video(s) of the order, as recorded (scans burned in);
* ``scans.csv``: the pack bench's scans from the order's opening to its close (time, station,
  packer, scan, outcome), formula-safe;
* ``weights.json``: the weight read at the close, when a scale gave one, and the weight expected
  from the products (and from earlier parcels of the same contents);
* ``waybill.pdf`` and ``packing-slip.pdf``: as they were printed (the outbox keeps each job's PDF);
* ``summary.pdf``: one page: the order, the parcels, the packer, the times, the scans, and a still
  from the video at each scan.

Making the pack marks the order's clips *disputed*: the retention (`station.video.clips.prune`)
keeps them until ``station evidence KEY --release``. Reads first, writes the mark, and only then
the files: no file I/O inside a transaction.
"""
from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from station.catalog.models import Product
from station.db import read_only, unit_of_work
from station.files.writer import excel_csv, safe_cell
from station.i18n import _
from station.outbox.models import PrintJob
from station.returns.handoff import TrailEvent, packing_trail
from station.video.clips import clips_for, set_disputed
from station.weighing import expected_weight

STILL_WIDTH_MM = 42


class EvidenceError(LookupError):
    pass


@dataclass
class Pack:
    order_no: str
    tracking: list[str]
    packer: str
    events: list[TrailEvent]
    clips: list[dict]  # path, tracking, started_at, seconds, complete, stills
    documents: dict[str, bytes] = field(default_factory=dict)  # waybill.pdf, packing-slip.pdf
    weights: dict = field(default_factory=dict)


def _printed(session: Session, document: str, order_no: str) -> bytes | None:
    job = session.scalar(select(PrintJob).where(PrintJob.document == document, PrintJob.reference == order_no)
                         .order_by(PrintJob.reprint, PrintJob.printed_at.is_(None), PrintJob.id).limit(1))
    return bytes(job.pdf) if job is not None and job.pdf else None


def gather(session: Session, key: str) -> Pack:
    order, events = packing_trail(session, key)
    if order is None:
        raise EvidenceError(_("No order or parcel {key}", key=key))
    parcels = sorted((p for p in order.parcels if p.status in ("closed", "shipped")), key=lambda p: p.seq)
    items: dict[str, int] = {}
    for parcel in parcels:
        for item in parcel.items:
            items[item.sku] = items.get(item.sku, 0) + item.qty
    if not items:
        items = {line.sku: line.qty for line in order.lines}
    weights = {sku: session.scalar(select(Product.weight_g).where(Product.sku == sku)) for sku in items}
    expected = expected_weight([(sku, qty, weights[sku]) for sku, qty in items.items()])
    # What the pack bench's scale read, per parcel (issue 18): kept with the parcel at its close.
    weighed = [{"tracking": p.tracking_no, "read_g": p.weight_g, "expected_g": p.weight_expected_g,
                "basis": p.weight_basis, "released_by": p.weight_released_by} for p in parcels]
    read = sum(p.weight_g for p in parcels) if parcels and all(p.weight_g is not None for p in parcels) else None
    clips = [{"path": c.path, "tracking": c.tracking_no, "started_at": c.started_at, "seconds": c.seconds,
              "complete": c.complete, "stills": c.stills, "station": c.station} for c in clips_for(session, order.order_no)]
    return Pack(
        order_no=order.order_no, tracking=[p.tracking_no for p in parcels if p.tracking_no],
        packer=", ".join(sorted({p.packed_by for p in parcels if p.packed_by})), events=events, clips=clips,
        documents={name: pdf for name, pdf in (("waybill.pdf", _printed(session, "waybill", order.order_no)),
                                               ("packing-slip.pdf", _printed(session, "packing-slip", order.order_no)))
                   if pdf},
        weights={"read_g": read,  # the scale's reading at the close (all parcels), None: not weighed
                 "parcels": weighed,
                 "expected_g": None if expected.grams is None else float(expected.grams),
                 "expected_basis": expected.basis, "without_weight": list(expected.missing),
                 "items": [{"sku": sku, "qty": qty, "weight_g": weights[sku]} for sku, qty in items.items()]})


def summary(pack: Pack) -> dict:
    """The pack as JSON-able facts, without the files: ``station evidence KEY --show`` and the returns
    bench's missing-item lookup read the same."""
    return {"order_no": pack.order_no, "tracking": pack.tracking, "packer": pack.packer,
            "clips": [{"path": c["path"], "tracking": c["tracking"], "station": c["station"], "seconds": c["seconds"],
                       "complete": c["complete"], "stills": [s[0] for s in c["stills"] or []]} for c in pack.clips],
            "weights": pack.weights, "scans": [e.as_dict() for e in pack.events]}


def evidence_lines(pack: Pack) -> list[str]:
    """What the returns bench shows above the scan trail when a buyer says an item was missing: the
    parcel's pack video(s) and its weights. Nothing when neither was recorded (the trail says it all)."""
    weighed = [p for p in pack.weights.get("parcels", []) if p["read_g"] is not None or p["released_by"]]
    if not pack.clips and not weighed:
        return []
    lines = []
    for clip in pack.clips:
        lines.append(_("Pack video: {path} ({seconds} s, {stills} stills{incomplete})", path=clip["path"],
                       seconds=round(clip["seconds"] or 0), stills=len(clip["stills"] or []),
                       incomplete="" if clip["complete"] else ", " + _("incomplete")))
    for p in pack.weights.get("parcels", []):
        read = f"{p['read_g']} g" if p["read_g"] is not None else _("not weighed")
        expected = f"{p['expected_g']} g" if p["expected_g"] is not None else _("unknown")
        line = _("Weight of {tracking}: read {read}, expected {expected}", tracking=p["tracking"] or "-", read=read,
                 expected=expected)
        if p["released_by"]:
            line = _("{line}; let go by {name}", line=line, name=p["released_by"])
        lines.append(line)
    return lines


def scans_csv(events: list[TrailEvent]) -> str:
    return excel_csv(["at", "station", "user", "scan", "kind", "outcome"],
                     [[e.at.astimezone().strftime("%Y-%m-%d %H:%M:%S"), safe_cell(e.station), safe_cell(e.user),
                       safe_cell(e.scan), e.kind, e.code] for e in events])


def stills(path: str, moments: list[tuple[float, str]], width: int = 320) -> list[tuple[str, object]]:
    """A picture from the clip at each moment (seconds): [(caption, PIL image)]."""
    import av

    if not moments or not Path(path).exists():
        return []
    wanted = sorted(moments)
    out: list[tuple[str, object]] = []
    with av.open(path) as container:
        stream = container.streams.video[0]
        rate = float(stream.average_rate or 12)
        frames = list(container.decode(video=0))
    if not frames:
        return []
    for second, caption in wanted:
        index = min(len(frames) - 1, max(0, round(second * rate)))
        image = frames[index].to_image()
        image.thumbnail((width, width))
        out.append((caption, image))
    return out


def summary_pdf(pack: Pack) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    from station.printing.fonts import CJK_FONT, register_fonts

    register_fonts()
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    width, height = A4
    y = height - 18 * mm

    def line(text: str, size: float = 9, gap: float = 4.6) -> None:
        nonlocal y
        if y < 20 * mm:
            c.showPage()
            y = height - 18 * mm
        c.setFont(CJK_FONT, size)
        c.drawString(15 * mm, y, text)
        y -= gap * mm

    line(_("Packing evidence: order {order}", order=pack.order_no), 15, 8)
    line(_("Tracking: {numbers}", numbers=", ".join(pack.tracking) or "-"))
    line(_("Packed by: {packer}", packer=pack.packer or "-"))
    exp = pack.weights.get("expected_g")
    line(_("Weight read: {read}   expected: {expected}",
           read=f"{pack.weights['read_g']} g" if pack.weights.get("read_g") is not None else _("not recorded"),
           expected=f"{exp:.0f} g" if exp is not None else _("unknown")))
    line(_("Made: {time}", time=datetime.now().astimezone().strftime("%Y-%m-%d %H:%M")), 9, 7)
    line(_("Scans at the pack bench"), 11, 6)
    for e in pack.events:
        line(f"{e.at.astimezone():%H:%M:%S}  {e.user:<8}  {e.scan[:40]:<40}  {e.code}", 8, 4.2)
    y -= 3 * mm
    pictures = []
    for clip in pack.clips:
        pictures += stills(clip["path"], [tuple(s) for s in clip["stills"]])
    if not pack.clips:
        line(_("No pack video was recorded for this order."), 10, 6)
    if pictures:
        line(_("Stills from the pack video, one per scan"), 11, 6)
    col_w = STILL_WIDTH_MM * mm
    x = 15 * mm
    for caption, image in pictures:
        w, h = image.size
        draw_h = col_w * h / w
        if x + col_w > width - 10 * mm:
            x = 15 * mm
            y -= draw_h + 9 * mm
        if y - draw_h < 15 * mm:
            c.showPage()
            y = height - 18 * mm
            x = 15 * mm
        c.drawImage(ImageReader(image), x, y - draw_h, col_w, draw_h)
        c.setFont(CJK_FONT, 6.5)
        c.drawString(x, y - draw_h - 3.5 * mm, caption[:44])
        x += col_w + 3 * mm
    c.showPage()
    c.save()
    return buf.getvalue()


def make_pack(sessions: sessionmaker[Session], key: str, out: Path) -> dict:
    """Gather (read), mark the clips disputed (one short write), then write the zip."""
    with read_only(sessions) as s:
        pack = gather(s, key)
    with unit_of_work(sessions) as s:
        marked = set_disputed(s, pack.order_no, True)
        s.commit()
    missing_clips = []
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for clip in pack.clips:
            path = Path(clip["path"])
            if path.exists():
                z.write(path, f"video/{path.name}", compress_type=zipfile.ZIP_STORED)
            else:
                missing_clips.append(str(path))
        z.writestr("scans.csv", scans_csv(pack.events))
        z.writestr("weights.json", json.dumps(pack.weights, ensure_ascii=False, indent=1))
        for name, pdf in pack.documents.items():
            z.writestr(name, pdf)
        z.writestr("summary.pdf", summary_pdf(pack))
    return {"order_no": pack.order_no, "tracking": pack.tracking, "file": str(out), "scans": len(pack.events),
            "clips": len(pack.clips), "clips_kept_as_disputed": marked, "clips_not_on_this_pc": missing_clips,
            "documents": sorted(pack.documents)}


def release(sessions: sessionmaker[Session], key: str) -> int:
    with unit_of_work(sessions) as s:
        n = set_disputed(s, key, False)
        s.commit()
    return n
