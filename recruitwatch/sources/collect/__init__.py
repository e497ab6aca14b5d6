"""Live collection: court sites, feeds and pages, Telegram channels (issue 9).

Collection is the first stage, so it lives in sources/ and hands its captures on as
SourceFiles (the body spooled in `<home>/collect-spool/`, the URL as origin) for pipeline.ingest;
the HTTP exchanges themselves go to WARC files under `<home>/warc/`. recruitwatch.watch runs it all.
"""

from recruitwatch.sources.collect.capture import Captures
from recruitwatch.sources.collect.config import CollectConfig, ConfigError, load_config
from recruitwatch.sources.collect.courts import CourtCollector, CourtSearch, CourtSite, border_courts
from recruitwatch.sources.collect.feeds import FeedCollector, Outlet
from recruitwatch.sources.collect.http import (
    BlockedError,
    CollectError,
    FetchFailed,
    HttpSettings,
    PoliteClient,
    RobotsDisallowed,
    SiteChangedError,
    Stopped,
)
from recruitwatch.sources.collect.pages import PageCollector, capture_page
from recruitwatch.sources.collect.state import CrawlState

__all__ = ["BlockedError", "Captures", "CollectConfig", "CollectError", "ConfigError", "CourtCollector",
           "CourtSearch", "CourtSite", "CrawlState", "FeedCollector", "FetchFailed", "HttpSettings", "Outlet",
           "PageCollector", "PoliteClient", "RobotsDisallowed", "SiteChangedError", "Stopped", "border_courts",
           "capture_page", "load_config"]
