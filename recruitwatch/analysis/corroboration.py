"""What every ingest ends with: sources registered, lineages joined, incidents clustered.
Each step works on what the store holds but has not yet been processed, so the call is
idempotent and a crashed ingest run again ends in the same state."""

from __future__ import annotations

from dataclasses import dataclass

from recruitwatch.analysis.incidents import recompute_incidents, update_incidents
from recruitwatch.analysis.lineage import update_lineages
from recruitwatch.analysis.sources import register_sources
from recruitwatch.store import Store


@dataclass(frozen=True)
class CorroborationUpdate:
    documents_linked: int  # to their sources
    documents_relineaged: int  # signed for the first time, or moved into another lineage
    incidents_written: int


def update_corroboration(store: Store) -> CorroborationUpdate:
    linked = register_sources(store)
    changed = update_lineages(store)
    return CorroborationUpdate(linked, len(changed), update_incidents(store, changed))


def recompute_corroboration(store: Store) -> CorroborationUpdate:
    """Sources and lineages brought up to date, then every incident rebuilt from scratch."""
    linked = register_sources(store)
    changed = update_lineages(store)
    return CorroborationUpdate(linked, len(changed), recompute_incidents(store))
