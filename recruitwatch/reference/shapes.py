"""Which first-level region a point lies in: `region_at(lat, lon)`, offline.

The shapes (`data/region_shapes.json.gz`) are Natural Earth's admin-1 regions, simplified to
about 500 m by `scripts/build_region_shapes.py`: every Russian federal subject, the occupied
regions of Ukraine, the regions of Finland and Troms og Finnmark, under the ISO 3166-2 codes the
gazetteer uses. Chukotka reaches across the 180th meridian: a point's longitude is tried as
given and plus 360, and any ring that crosses the meridian is stored unwrapped, above 180, so
both halves of Chukotka answer whichever way the longitude is written.

Lookup: a grid of one-degree cells lists the polygons whose bounding box touches each cell; a
point is tested (even-odd ray casting over the polygon's outer ring and holes) against those
only, the smallest first, so an enclave (Moscow in its oblast) wins over the region around it.
A point in no shape but within NEAR_KM of one (a harbour town the coastline misses) is in the
nearest region. Natural Earth's borders are drawn at 1:10 million and simplified here, so a point
within a few kilometres of a border may fall on either side (Abakan, on the Yenisei, falls in
Krasnoyarsk krai); tests measure how many of the gazetteer's towns land in their own region.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from recruitwatch.reference import LoadedOnce, packaged_json

__all__ = ["region_at", "region_codes"]

DATA_FILE = "region_shapes.json.gz"
CELL = 1.0  # degrees per grid cell
NEAR_KM = 10.0  # a point off every shape by less than this is in the nearest region
KM_PER_DEGREE = 111.2  # of latitude


@dataclass(frozen=True)
class _Polygon:
    code: str
    west: float
    south: float
    east: float
    north: float
    rings: tuple[tuple[tuple[float, ...], tuple[float, ...]], ...]  # (xs, ys) of each ring


class _Shapes:
    def __init__(self, raw: dict) -> None:
        scale = raw["scale"]
        polygons = []
        for code, polys in raw["regions"].items():
            for poly in polys:
                rings = tuple(_decode(ring, scale) for ring in poly)
                xs, ys = rings[0]
                polygons.append(_Polygon(code, min(xs), min(ys), max(xs), max(ys), rings))
        # smallest first: an enclave is found before the region around it
        polygons.sort(key=lambda p: (p.east - p.west) * (p.north - p.south))
        self.codes = frozenset(p.code for p in polygons)
        self.grid: dict[tuple[int, int], list[_Polygon]] = {}
        for p in polygons:
            for cx in range(math.floor(p.west / CELL), math.floor(p.east / CELL) + 1):
                for cy in range(math.floor(p.south / CELL), math.floor(p.north / CELL) + 1):
                    self.grid.setdefault((cx, cy), []).append(p)


def _decode(deltas: list[int], scale: int) -> tuple[tuple[float, ...], tuple[float, ...]]:
    xs, ys = [], []
    x = y = 0
    for i in range(0, len(deltas), 2):
        x += deltas[i]
        y += deltas[i + 1]
        xs.append(x / scale)
        ys.append(y / scale)
    return tuple(xs), tuple(ys)


_shapes = LoadedOnce(lambda: _Shapes(packaged_json(DATA_FILE)))


def region_at(lat: float, lon: float) -> str | None:
    """The ISO 3166-2 code of the region the point lies in ("RU-KR"), or None outside the
    regions kept (or in the sea). Longitudes may be given in [-180, 180] or [0, 360]."""
    if not (isinstance(lat, (int, float)) and isinstance(lon, (int, float))):
        raise TypeError(f"region_at needs numbers, got {lat!r}, {lon!r}")
    if not (-90 <= lat <= 90 and -180 <= lon <= 360):
        raise ValueError(f"not a point on Earth: lat {lat}, lon {lon}")
    data = _shapes()
    east_of_meridian = lon - 360 if lon > 180 else lon
    xs = (east_of_meridian, east_of_meridian + 360)  # Chukotka east of 180° is stored above 180
    for x in xs:
        for p in data.grid.get((math.floor(x / CELL), math.floor(lat / CELL)), ()):
            if p.west <= x <= p.east and p.south <= lat <= p.north and _inside(p, x, lat):
                return p.code
    return _nearest(data, lat, xs)


def _nearest(data: _Shapes, lat: float, xs: tuple[float, float]) -> str | None:
    """A point just off every shape (a harbour town the coastline misses, a river border) is in
    the region whose edge is nearest, within NEAR_KM."""
    best, best_km = None, NEAR_KM
    x_km = KM_PER_DEGREE * max(math.cos(math.radians(lat)), 0.01)
    for x in xs:
        cx, cy = math.floor(x / CELL), math.floor(lat / CELL)
        seen: set[int] = set()
        for gx in (cx - 1, cx, cx + 1):
            for gy in (cy - 1, cy, cy + 1):
                for p in data.grid.get((gx, gy), ()):
                    if id(p) in seen or not (p.west - 1 <= x <= p.east + 1 and p.south - 1 <= lat <= p.north + 1):
                        continue
                    seen.add(id(p))
                    km = _edge_km(p, x, lat, x_km)
                    if km < best_km:
                        best, best_km = p.code, km
    return best


def _edge_km(p: _Polygon, x: float, y: float, x_km: float) -> float:
    """Distance from the point to the polygon's nearest edge, on a local flat projection."""
    best = math.inf
    for xs, ys in p.rings:
        for i in range(1, len(xs)):
            ax, ay = (xs[i - 1] - x) * x_km, (ys[i - 1] - y) * KM_PER_DEGREE
            bx, by = (xs[i] - x) * x_km, (ys[i] - y) * KM_PER_DEGREE
            dx, dy = bx - ax, by - ay
            t = max(0.0, min(1.0, -(ax * dx + ay * dy) / (dx * dx + dy * dy))) if dx or dy else 0.0
            best = min(best, math.hypot(ax + t * dx, ay + t * dy))
    return best


def region_codes() -> frozenset[str]:
    """The codes of every region with a shape."""
    return _shapes().codes


def _inside(p: _Polygon, x: float, y: float) -> bool:
    """Even-odd rule over all rings: a point in a hole crosses the outer ring and the hole."""
    inside = False
    for xs, ys in p.rings:
        j = len(xs) - 1
        for i in range(len(xs)):
            yi, yj = ys[i], ys[j]
            if (yi > y) != (yj > y) and x < (xs[j] - xs[i]) * (y - yi) / (yj - yi) + xs[i]:
                inside = not inside
            j = i
    return inside
