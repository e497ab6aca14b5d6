"""Collection on a schedule: `recruitwatch collect` runs the configured collectors once,
`recruitwatch watch` runs them every interval in one process until SIGTERM or SIGINT.

Each round runs the collectors in turn (courts, feeds, pages, Telegram); what each captured goes
through the whole pipeline (pipeline.ingest of the captured bodies, their URLs as origins), and
the WARC files written are entered in the custody log. A stop request ends the round at the
next request: what was captured so far is still ingested, and the crawl state lets the next
run resume where this one stopped.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

if TYPE_CHECKING:  # the commands are registered on every CLI start: their heavy imports wait until run
    import httpx

    from recruitwatch.sources.collect import Captures, CollectConfig, CrawlState, PoliteClient
    from recruitwatch.store import Store

COLLECTORS = ("courts", "feeds", "pages", "telegram")


@dataclass
class RoundResult:
    started: datetime
    finished: datetime | None = None
    collected: dict[str, Any] = field(default_factory=dict)  # collector name -> its result
    errors: list[str] = field(default_factory=list)
    warcs: list[Path] = field(default_factory=list)
    files: int = 0  # captures sent to the pipeline
    new_documents: int = 0
    events: int = 0
    failures: list[str] = field(default_factory=list)  # captures the pipeline could not read
    stopped: bool = False

    def line(self) -> str:
        parts = [f"{name}: {_summary(result)}" for name, result in self.collected.items()]
        return (f"{'; '.join(parts) or 'nothing configured'} — {self.files} captures, {self.new_documents} new "
                f"documents, {self.events} events, {len(self.errors)} errors, {len(self.failures)} unreadable"
                + (" (stopped)" if self.stopped else ""))


class StopSignal:
    """A stop request from SIGTERM/SIGINT (or a test), and a sleep that wakes on it."""

    def __init__(self) -> None:
        self.event = threading.Event()

    def __call__(self) -> bool:
        return self.event.is_set()

    def set(self) -> None:
        self.event.set()

    def sleep(self, seconds: float) -> None:
        from recruitwatch.sources.collect import Stopped

        if self.event.wait(seconds):
            raise Stopped()

    def install(self) -> dict[int, Any]:
        """Set on SIGTERM and SIGINT (main thread only, where Python delivers signals); returns
        the handlers replaced, for `restore`."""
        previous: dict[int, Any] = {}
        if threading.current_thread() is threading.main_thread():
            for sig in (signal.SIGTERM, signal.SIGINT):
                previous[sig] = signal.signal(sig, lambda _signum, _frame: self.set())
        return previous

    @contextmanager
    def installed(self) -> Iterator[StopSignal]:
        """Installed for the block, the previous handlers back afterwards."""
        previous = self.install()
        try:
            yield self
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)


def run_round(config: CollectConfig, store: Store, stop: StopSignal | None = None,
              only: tuple[str, ...] = COLLECTORS, transport: httpx.BaseTransport | None = None,
              on_failure: Callable[[str], None] = lambda line: None) -> RoundResult:
    """Run the configured collectors once and ingest what they captured."""
    from recruitwatch.sources.collect import Captures, CrawlState, PoliteClient, Stopped
    from recruitwatch.sources.collect.telegram import TelegramError

    stop = stop or StopSignal()
    result = RoundResult(datetime.now(UTC))
    state = CrawlState.in_home(store.home)
    client = PoliteClient(config.http, state, sleep=stop.sleep, transport=transport)
    try:
        _ingest_leftovers(store, result, on_failure)
        for name, run in _collectors(config, store.home, client, state, only):
            captures = Captures(store.home, name)
            try:
                result.collected[name] = run(captures, stop)
                result.errors += getattr(result.collected[name], "errors", [])
            except Stopped:
                result.stopped = True
            except TelegramError as exc:
                result.errors.append(f"telegram: {exc}")
            except Exception as exc:  # noqa: BLE001 - one collector's failure must not stop the others
                result.errors.append(f"{name}: {type(exc).__name__}: {exc}")
            finally:
                _ingest(captures, store, result, on_failure)
            if result.stopped:
                break
    finally:
        client.close()
        state.close()
        _log_warcs(store, result.warcs)
    result.finished = datetime.now(UTC)
    return result


def _collectors(config: CollectConfig, home: Path, client: PoliteClient, state: CrawlState,
                only: tuple[str, ...]) -> list[tuple[str, Callable[[Captures, StopSignal], Any]]]:
    from recruitwatch.sources.collect import CourtCollector, FeedCollector, PageCollector
    from recruitwatch.sources.collect.telegram import TelegramCollector, TelegramSettings

    chosen: list[tuple[str, Callable[[Captures, StopSignal], Any]]] = []
    if "courts" in only and config.courts.enabled and config.courts.sites:
        courts = CourtCollector(config.courts.sites, config.courts.search())
        chosen.append(("courts", lambda captures, stop: courts.collect(client, state, captures, stop)))
    if "feeds" in only and config.outlets:
        feeds = FeedCollector(config.outlets)
        chosen.append(("feeds", lambda captures, stop: feeds.collect(client, state, captures, stop)))
    if "pages" in only and config.pages:
        pages = PageCollector(config.pages)
        chosen.append(("pages", lambda captures, stop: pages.collect(client, state, captures, stop)))
    if "telegram" in only and config.telegram is not None:
        def telegram(captures: Captures, stop: StopSignal) -> Any:
            settings = TelegramSettings.from_config(config.telegram or {}, home)
            return TelegramCollector(settings).collect(state, captures, stop)
        chosen.append(("telegram", telegram))
    return chosen


def _ingest(captures: Captures, store: Store, result: RoundResult, on_failure: Callable[[str], None]) -> None:
    """The captures through the pipeline, then the finished WARC files into the custody log. The
    spooled bodies are removed only when the ingest went through."""
    ingested = False
    try:
        _run_pipeline(list(captures.sources), store, result, on_failure)
        ingested = True
    finally:
        captures.close(ingested)
        result.warcs += [warc.path for warc in captures.warcs]


def _log_warcs(store: Store, warcs: list[Path]) -> None:
    """The round's WARC files into the custody log, all at its end: an entry that names no
    document makes the pipeline's next check for unlogged documents read the whole log, so
    they come once a round, after every ingest of it."""
    if warcs:
        store.custody.append_many([("capture", _sha256_file(path), {"warc": str(path.relative_to(store.home))})
                                   for path in warcs])


def _ingest_leftovers(store: Store, result: RoundResult, on_failure: Callable[[str], None]) -> None:
    """Bodies a killed run fetched but did not ingest: ingested first (their pages are never
    fetched again, decision texts above all)."""
    from recruitwatch.sources.collect import Captures

    leftovers = Captures.leftovers(store.home)
    if leftovers:
        _run_pipeline(leftovers, store, result, on_failure)
        Captures.discard(store.home, leftovers)


def _run_pipeline(sources: list[Any], store: Store, result: RoundResult, on_failure: Callable[[str], None]) -> None:
    from recruitwatch.pipeline import RunContext, ingest

    if not sources:
        return
    ctx = RunContext(on_failure=lambda failure: on_failure(failure.line()))
    ingest(sources, store, ctx)
    result.files += ctx.files
    result.new_documents += ctx.new_documents
    result.events += ctx.events
    result.failures += [f.line() for f in ctx.failures]


def watch(config: CollectConfig, store: Store, interval: float | None = None, once: bool = False,
          on_round: Callable[[RoundResult], None] = lambda result: None, stop: StopSignal | None = None,
          only: tuple[str, ...] = COLLECTORS, transport: httpx.BaseTransport | None = None,
          on_failure: Callable[[str], None] = lambda line: None) -> int:
    """Rounds every `interval` seconds (from the start of one to the start of the next) until
    stopped; `on_round` hears each round's result. Returns the number of rounds run."""
    from recruitwatch.sources.collect import Stopped

    stop = stop or StopSignal()
    interval = interval if interval is not None else config.interval
    rounds = 0
    while not stop():
        started = datetime.now(UTC)
        result = run_round(config, store, stop, only, transport, on_failure)
        rounds += 1
        on_round(result)
        if once or result.stopped:
            break
        spent = (datetime.now(UTC) - started).total_seconds()
        try:
            stop.sleep(max(0.0, interval - spent))
        except Stopped:
            break
    return rounds


def report_new_alerts(store: Store, consumer: str = "watch") -> list[Any]:
    """Surge alerts `consumer` has not been told of, each told once (analysis.alerts.new_alerts)."""
    from recruitwatch.analysis.alerts import new_alerts

    return new_alerts(store, consumer=consumer)


def _sha256_file(path: Path) -> str:
    import hashlib

    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _summary(result: Any) -> str:
    keys = ("decisions", "fetched", "not_modified", "skipped", "polled", "new_items", "captured", "unchanged",
            "channels", "new_messages")
    return ", ".join(f"{k.replace('_', ' ')} {getattr(result, k)}" for k in keys if hasattr(result, k))


# ---------------------------------------------------------------------- commands


def _open(ctx: typer.Context, config_path: Path | None) -> tuple[Store, CollectConfig]:
    from recruitwatch.cli import err
    from recruitwatch.sources.collect import ConfigError, load_config

    store = ctx.obj.store()
    try:
        config = load_config(config_path, store.home)
    except ConfigError as exc:
        store.close()
        err.print(f"recruitwatch: {exc}", markup=False)
        raise typer.Exit(2) from exc
    return store, config


ConfigOption = Annotated[Path | None, typer.Option("--config", help="collect.toml (default: <home>/collect.toml).")]
OnlyOption = Annotated[list[str], typer.Option("--only", help="courts, feeds, pages or telegram (repeatable).")]


def collect(ctx: typer.Context, config: ConfigOption = None, only: OnlyOption = [],  # noqa: B006
            telegram_login_flag: Annotated[bool, typer.Option("--telegram-login",
                                                              help="Log in to Telegram once, interactively, "
                                                                   "and write the session file.")] = False,
            ) -> None:
    """Run the configured collectors once: court sites, feeds, pages, Telegram (docs/COLLECT.md)."""
    from recruitwatch.cli import err, out
    from recruitwatch.sources.collect.telegram import TelegramError, TelegramSettings, telegram_login

    store, settings = _open(ctx, config)
    with store:
        if telegram_login_flag:
            try:
                telegram_login(TelegramSettings.from_config(settings.telegram or {}, store.home))
            except TelegramError as exc:
                err.print(f"recruitwatch: {exc}", markup=False)
                raise typer.Exit(2) from exc
            out.print("Telegram session written.")
            return
        with StopSignal().installed() as stop:
            result = run_round(settings, store, stop, _only(only),
                               on_failure=lambda line: err.print(f"recruitwatch: {line}", markup=False))
    for line in result.errors:
        err.print(f"recruitwatch: {line}", markup=False)
    out.print(result.line(), markup=False)
    raise typer.Exit(1 if result.errors or result.failures else 0)


def watch_command(ctx: typer.Context, config: ConfigOption = None, only: OnlyOption = [],  # noqa: B006
                  once: Annotated[bool, typer.Option("--once", help="One round, then exit.")] = False,
                  interval: Annotated[str | None, typer.Option(
                      help="Between rounds: 3600, 90s, 15m, 1h, 1d (default: the interval in collect.toml, "
                           "else 1h).")] = None,
                  ) -> None:
    """Run the collectors on a schedule in one process; SIGTERM or Ctrl-C stops it cleanly."""
    from recruitwatch.cli import err, out
    from recruitwatch.sources.collect.config import parse_interval

    try:
        seconds = parse_interval(interval) if interval is not None else None
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from exc
    chosen = _only(only)
    store, settings = _open(ctx, config)

    def tell(result: RoundResult) -> None:
        stamp = result.started.strftime("%Y-%m-%d %H:%M:%SZ")
        for line in result.errors:
            err.print(f"recruitwatch: {line}", markup=False)
        out.print(f"[{stamp}] {result.line()}", markup=False)
        for alert in report_new_alerts(store):
            out.print(f"[{stamp}] new surge: {alert.event_type} in {alert.region}, week of {alert.week}: "
                      f"{alert.count} against {alert.expected:.1f} expected (p = {alert.p_value:.2g})", markup=False)

    with store, StopSignal().installed() as stop:
        rounds = watch(settings, store, seconds, once, tell, stop, chosen,
                       on_failure=lambda line: err.print(f"recruitwatch: {line}", markup=False))
    out.print(f"stopped after {rounds} round{'s' if rounds != 1 else ''}")


def _only(names: list[str]) -> tuple[str, ...]:
    unknown = [n for n in names if n not in COLLECTORS]
    if unknown:
        raise typer.BadParameter(f"--only {unknown[0]}: choose from {', '.join(COLLECTORS)}")
    return tuple(names) or COLLECTORS
