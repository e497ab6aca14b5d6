"""The findings report as a file: `analysis.report.gather` collects the findings, this renders
them with the Jinja template web/templates/report/report.html into report.html and, through
WeasyPrint, report.pdf. Charts are static SVG drawn here (web/svg.py): WeasyPrint runs no
JavaScript, and a PDF attached to a story must not need a server to show its figures.

Autoescape is on: quotes and titles from documents are shown as text, never as markup; the
only markup passed through unescaped is the SVG this module draws, whose texts are escaped.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from recruitwatch.analysis import alerts as surge
from recruitwatch.analysis import cases as case_links
from recruitwatch.analysis.report import Findings
from recruitwatch.api.names import pseudonymise
from recruitwatch.api.settings import REPO_ROOT
from recruitwatch.web import svg

TEMPLATES = Path(__file__).parent / "templates"
NODE_MODULES = REPO_ROOT / "node_modules"
TYPE_LABELS: dict[str, tuple[str, str]] = {  # event type -> (one, many), as the headline says them
    "detention": ("detention", "detentions"), "expulsion_order": ("expulsion order", "expulsion orders"),
    "recruitment_approach": ("recruitment approach", "recruitment approaches"),
    "contract_signed": ("signed contract", "signed contracts"), "deployment": ("deployment", "deployments"),
    "casualty": ("casualty report", "casualty reports"), "release": ("release", "releases"),
    "raid": ("raid", "raids"), "draft_notice": ("draft notice", "draft notices"), "fine": ("fine", "fines"),
    "citizenship_action": ("citizenship action", "citizenship actions"),
    "border_event": ("border event", "border events"),
}


def _environment(name_key: str | None) -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]),
                      trim_blocks=True, lstrip_blocks=True)
    # Personal names in quotes are pseudonymised unless the caller opted in (name_key None):
    # a report travels further than the dashboard, to people without an account.
    env.filters["private"] = (lambda text: text) if name_key is None else (lambda text: pseudonymise(text, name_key))
    env.filters["note_refs"] = note_refs
    env.filters["label"] = lambda t, n=2: TYPE_LABELS.get(t, (t, t))[0 if n == 1 else 1]
    # "%-d" (no leading zero) is glibc's: the day is written out instead.
    env.filters["day"] = lambda d: f"{d.day} {d:%B %Y}" if isinstance(d, date) else ("—" if d is None else d)
    return env


def note_refs(numbers: list[int]) -> str:
    """[1, 2, 3, 5] -> "1–3, 5": the notes a figure rests on, runs shortened."""
    out, run = [], []
    for n in sorted(set(numbers)):
        if run and n == run[-1] + 1:
            run.append(n)
            continue
        if run:
            out.append(_run(run))
        run = [n]
    if run:
        out.append(_run(run))
    return ", ".join(out)


def _run(run: list[int]) -> str:
    return str(run[0]) if len(run) == 1 else f"{run[0]}–{run[-1]}" if len(run) > 2 else f"{run[0]}, {run[1]}"


def render_html(findings: Findings, node_modules: Path = NODE_MODULES, name_key: str | None = None) -> str:
    """The report as one HTML page. With `name_key` set, personal names in quotes and titles are
    replaced by the pseudonyms the exports use (same key, same pseudonym)."""
    timeline = svg.timeline_svg(findings.weekly, findings.date_from, findings.date_to,
                                findings.monitoring_changes, findings.alerts)
    region_map = svg.map_svg(findings.by_region, node_modules, findings.regions,
                             title="events in the period, all regions")
    context: dict[str, Any] = {
        "f": findings, "timeline_svg": Markup(timeline), "map_svg": Markup(region_map) if region_map else None,
        "region_label": ", ".join(findings.region_names.values()) or "all regions",
        # Inside a CSS string in the page footer: codes only, which hold no quote or backslash.
        "footer_label": ", ".join(findings.regions) or "all regions",
        "alpha": surge.ALPHA, "baseline_weeks": surge.BASELINE_WEEKS, "min_count": surge.MIN_COUNT,
        "link_window": case_links.LINK_WINDOW_DAYS, "colours": svg.TYPE_COLOURS,
        "names_hidden": name_key is not None,
    }
    return _environment(name_key).get_template("report/report.html").render(context)


def write_report(findings: Findings, out_dir: Path, node_modules: Path = NODE_MODULES,
                 name_key: str | None = None) -> tuple[Path, Path]:
    """Write report.html and report.pdf into `out_dir` (made if missing); returns their paths.
    `name_key`: see render_html."""
    from weasyprint import HTML

    out_dir.mkdir(parents=True, exist_ok=True)
    html = render_html(findings, node_modules, name_key)
    html_path, pdf_path = out_dir / "report.html", out_dir / "report.pdf"
    html_path.write_text(html, "utf-8")
    HTML(string=html, base_url=str(out_dir)).write_pdf(pdf_path)
    return html_path, pdf_path
