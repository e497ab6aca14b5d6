"""Synthetic sample data: generated court decision pages, every one marked as synthetic.

`generate_court_pages` lives in `recruitwatch.samples.generate`; it is imported lazily here so
that `python -m recruitwatch.samples.generate` does not import the module twice.
"""

from __future__ import annotations

from typing import Any

__all__ = ["generate_court_pages"]


def __getattr__(name: str) -> Any:
    if name == "generate_court_pages":
        from recruitwatch.samples.generate import generate_court_pages

        return generate_court_pages
    raise AttributeError(name)
