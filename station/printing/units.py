"""Millimetres everywhere; points only at the reportlab boundary, converted here.

Every size, position and margin in Station's layouts is in mm (what a ruler and a label
roll say). `mm()` is the one place that turns millimetres into PDF points. Positions
follow reportlab: the origin is the page's bottom-left corner, y grows upwards.
"""

from __future__ import annotations

from dataclasses import dataclass

POINTS_PER_MM = 72 / 25.4

# Tolerance for floating-point edges: a box exactly as wide as the page fits.
_EPSILON_MM = 1e-6


class LayoutError(ValueError):
    """Content would not fit where it has to go, so it would print cut off.

    The message says what did not fit, how big it is and how much room there was.
    """


def mm(value_mm: float) -> float:
    """Millimetres to PDF points (1/72 inch)."""
    return value_mm * POINTS_PER_MM


def to_mm(value_pt: float) -> float:
    """PDF points back to millimetres (for measuring what reportlab reports in points)."""
    return value_pt / POINTS_PER_MM


@dataclass(frozen=True)
class PageSize:
    """A sheet or label, portrait as it comes out of the printer."""

    name: str
    width: float  # mm
    height: float  # mm

    @property
    def points(self) -> tuple[float, float]:
        """(width, height) in points, as reportlab's `pagesize` wants it."""
        return (mm(self.width), mm(self.height))

    def landscape(self) -> PageSize:
        return PageSize(f"{self.name} landscape", self.height, self.width)


A4 = PageSize("A4", 210, 297)
A5 = PageSize("A5", 148, 210)
WAYBILL_100x180 = PageSize("waybill 100x180", 100, 180)
WAYBILL_76x130 = PageSize("waybill 76x130", 76, 130)
WAYBILL_100x150 = PageSize("waybill 100x150", 100, 150)
WAYBILL_100x210 = PageSize("waybill 100x210", 100, 210)
LABEL_100x150 = PageSize("label 100x150", 100, 150)
LABEL_4x6IN = PageSize("label 4x6 in", 101.6, 152.4)
LABEL_40x30 = PageSize("label 40x30", 40, 30)
LABEL_50x30 = PageSize("label 50x30", 50, 30)

PAGE_SIZES: dict[str, PageSize] = {
    size.name: size
    for size in (
        A4,
        A5,
        WAYBILL_100x180,
        WAYBILL_76x130,
        WAYBILL_100x150,
        WAYBILL_100x210,
        LABEL_100x150,
        LABEL_4x6IN,
        LABEL_40x30,
        LABEL_50x30,
    )
}


@dataclass(frozen=True)
class Box:
    """A rectangle on the page in mm; (x, y) is its bottom-left corner."""

    x: float
    y: float
    width: float
    height: float

    def __post_init__(self) -> None:
        if self.width < 0 or self.height < 0:
            raise LayoutError(f"a box cannot have a negative size: {self}")

    @property
    def right(self) -> float:
        return self.x + self.width

    @property
    def top(self) -> float:
        return self.y + self.height

    def inset(self, margin: float) -> Box:
        """The box shrunk by `margin` mm on every side."""
        if 2 * margin > min(self.width, self.height) + _EPSILON_MM:
            raise LayoutError(
                f"a {margin} mm margin leaves no room inside a "
                f"{self.width:.1f} x {self.height:.1f} mm box"
            )
        return Box(
            self.x + margin, self.y + margin, self.width - 2 * margin, self.height - 2 * margin
        )

    def contains(self, other: Box) -> bool:
        return (
            other.x >= self.x - _EPSILON_MM
            and other.y >= self.y - _EPSILON_MM
            and other.right <= self.right + _EPSILON_MM
            and other.top <= self.top + _EPSILON_MM
        )

    def columns(self, count: int, gutter: float = 0.0) -> list[Box]:
        """`count` equal columns side by side, `gutter` mm apart."""
        if count < 1:
            raise LayoutError(f"cannot split a box into {count} columns")
        width = (self.width - gutter * (count - 1)) / count
        if width <= 0:
            raise LayoutError(
                f"{count} columns with {gutter} mm gutters do not fit in {self.width:.1f} mm"
            )
        return [
            Box(self.x + i * (width + gutter), self.y, width, self.height) for i in range(count)
        ]


class PageLayout:
    """A page with margins that refuses any content box falling outside its printable area."""

    def __init__(self, page: PageSize, margin: float = 0.0) -> None:
        self.page = page
        self.margin = margin
        self.sheet = Box(0, 0, page.width, page.height)
        try:
            self.content = self.sheet.inset(margin)
        except LayoutError:
            raise LayoutError(
                f"a {margin} mm margin leaves no room on {page.name} "
                f"({page.width} x {page.height} mm)"
            ) from None

    def place(self, box: Box, what: str = "content") -> Box:
        """Return `box` if it lies inside the printable area; otherwise raise LayoutError."""
        if not self.content.contains(box):
            raise LayoutError(
                f"{what} ({box.width:.1f} x {box.height:.1f} mm at x={box.x:.1f}, "
                f"y={box.y:.1f} mm) does not fit the printable area of {self.page.name} "
                f"(x {self.content.x:.1f}-{self.content.right:.1f}, "
                f"y {self.content.y:.1f}-{self.content.top:.1f} mm)"
            )
        return box

    def box(self, x: float, y: float, width: float, height: float, what: str = "content") -> Box:
        """A checked box: `place(Box(x, y, width, height))`."""
        return self.place(Box(x, y, width, height), what)
