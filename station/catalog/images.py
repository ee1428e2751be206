"""Product pictures: read from the products file (a file path in column ``image``, or a picture
placed in the row of an XLSX), checked and made small, for the pack bench to show.

Pillow reads every common format (JPEG, PNG, GIF, WebP, BMP) and tells a broken file; the
picture is stored as a JPEG of at most ``SIDE`` pixels a side, so a 5 MB photo costs the
database about 30 KB and the bench draws it at once.
"""
from __future__ import annotations

import io
from pathlib import Path

from station.i18n import _

SIDE = 480
MAX_SOURCE_BYTES = 20 * 1024 * 1024  # a bigger file is no product photo


class ImageError(ValueError):
    """A picture that cannot be used; the message is for a person."""


def thumbnail(data: bytes) -> bytes:
    """`data` (any picture Pillow reads) as a JPEG of at most SIDE px a side; ImageError if it is none."""
    from PIL import Image, UnidentifiedImageError

    if len(data) > MAX_SOURCE_BYTES:
        raise ImageError(_("the picture is larger than {mb} MB", mb=MAX_SOURCE_BYTES // (1024 * 1024)))
    try:
        with Image.open(io.BytesIO(data)) as picture:
            picture.load()
            picture = picture.convert("RGB")
            picture.thumbnail((SIDE, SIDE))
            out = io.BytesIO()
            picture.save(out, "JPEG", quality=85)
            return out.getvalue()
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        raise ImageError(_("not a picture Station can read (JPEG, PNG, GIF, WebP or BMP)")) from None


def read_image_file(value: str, folder: Path) -> bytes:
    """The picture named in an ``image`` cell: a path, relative to the products file's folder."""
    path = Path(value).expanduser()
    if not path.is_absolute():
        path = folder / path
    try:
        data = path.read_bytes()
    except OSError:
        raise ImageError(_("no picture file {path}", path=str(path))) from None
    return thumbnail(data)


def xlsx_pictures(path: Path) -> dict[int, bytes]:
    """The pictures placed in the first sheet of an XLSX, by the sheet row (1-based) of their top
    left corner. The last one wins when a row holds two."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(Path(path).read_bytes()))  # not read-only: that mode drops pictures
    except Exception:  # openpyxl raises many kinds; the rows' own reading reports the file
        return {}
    pictures: dict[int, bytes] = {}
    for image in getattr(book.worksheets[0], "_images", []):
        anchor = getattr(image.anchor, "_from", None)
        if anchor is None:
            continue
        pictures[anchor.row + 1] = image._data()
    book.close()
    return pictures
