"""Telegram channels through Telethon, with the user's own API credentials.

The credentials (api_id and api_hash from https://my.telegram.org, and the session file that
holds the login) come from collect.toml's [telegram] table or from the environment
(RECRUITWATCH_TELEGRAM_API_ID, RECRUITWATCH_TELEGRAM_API_HASH, RECRUITWATCH_TELEGRAM_SESSION).
Both live outside the repository; the session file is as good as a password.

New messages are written in Telegram Desktop's export format (result.json), so that the export
reader in sources.social turns them into exactly the Documents an export gives, and the JSON
goes through the pipeline like any export. Telethon is an optional extra:
`pip install recruitwatch[telegram]`.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC
from pathlib import Path
from typing import Any

from recruitwatch.sources.collect.capture import Captures
from recruitwatch.sources.collect.http import Stopped
from recruitwatch.sources.collect.state import CrawlState

_SCOPE = "telegram last id"
MAX_MESSAGES_PER_POLL = 500


class TelegramError(Exception):
    """Telegram collection cannot run: no Telethon, no credentials or no login."""


@dataclass(frozen=True)
class TelegramSettings:
    api_id: int
    api_hash: str
    session: Path
    channels: tuple[str, ...] = ()  # usernames ("some_channel") or t.me links

    @classmethod
    def from_config(cls, table: dict[str, Any], home: Path) -> TelegramSettings:
        """From collect.toml's [telegram] table, the environment taking precedence."""
        api_id = os.environ.get("RECRUITWATCH_TELEGRAM_API_ID") or table.get("api_id")
        api_hash = os.environ.get("RECRUITWATCH_TELEGRAM_API_HASH") or table.get("api_hash")
        session = os.environ.get("RECRUITWATCH_TELEGRAM_SESSION") or table.get("session") or home / "telegram.session"
        if not api_id or not api_hash:
            raise TelegramError("Telegram needs api_id and api_hash (from https://my.telegram.org): set them in "
                                "collect.toml [telegram] or RECRUITWATCH_TELEGRAM_API_ID / _API_HASH")
        try:
            api_id = int(api_id)
        except (TypeError, ValueError) as exc:
            raise TelegramError(f"telegram api_id must be a number, not {api_id!r}") from exc
        channels = tuple(_channel_name(c) for c in table.get("channels", []))
        return cls(api_id, str(api_hash), Path(session).expanduser(), channels)


@dataclass
class TelegramResult:
    channels: int = 0
    new_messages: int = 0
    errors: list[str] = field(default_factory=list)


def export_from_messages(title: str | None, username: str | None, channel_id: int | None,
                         messages: Iterable[Any]) -> dict[str, Any]:
    """Telethon messages as Telegram Desktop's export of a channel (result.json)."""
    out = []
    for message in messages:
        text = getattr(message, "message", None) or ""
        if not text.strip():
            continue  # photos, polls and service messages without text
        stamp = message.date.astimezone(UTC) if message.date.tzinfo else message.date.replace(tzinfo=UTC)
        entry: dict[str, Any] = {"id": message.id, "type": "message",
                                 "date": stamp.replace(tzinfo=None).isoformat(timespec="seconds"),
                                 "date_unixtime": str(int(stamp.timestamp())), "text": text}
        if getattr(message, "post_author", None):
            entry["author"] = message.post_author
        if getattr(message, "views", None) is not None:
            entry["views"] = message.views
        if getattr(message, "fwd_from", None) is not None:
            entry["forwarded"] = True
        out.append(entry)
    export: dict[str, Any] = {"name": title, "type": "public_channel", "id": channel_id, "messages": out}
    if username:
        export["username"] = username
    return export


class TelegramCollector:
    def __init__(self, settings: TelegramSettings) -> None:
        self.settings = settings

    def collect(self, state: CrawlState, captures: Captures, stop: Callable[[], bool] = lambda: False,
                ) -> TelegramResult:
        try:
            import telethon  # noqa: F401 - only to say clearly what is missing
        except ImportError as exc:
            raise TelegramError("Telegram collection needs Telethon: pip install 'recruitwatch[telegram]'") from exc
        return asyncio.run(self._collect(state, captures, stop))

    async def _collect(self, state: CrawlState, captures: Captures, stop: Callable[[], bool]) -> TelegramResult:
        from telethon import TelegramClient

        result = TelegramResult()
        client = TelegramClient(str(self.settings.session), self.settings.api_id, self.settings.api_hash)
        await client.connect()
        try:
            if not await client.is_user_authorized():
                raise TelegramError(f"no Telegram login in {self.settings.session}: run "
                                    "`recruitwatch collect --telegram-login` once, interactively")
            for channel in self.settings.channels:
                if stop():
                    raise Stopped()
                try:
                    result.new_messages += await self._channel(client, channel, state, captures)
                    result.channels += 1
                except (ValueError, OSError) as exc:  # an unknown channel, a network failure
                    result.errors.append(f"telegram {channel}: {type(exc).__name__}: {exc}")
        finally:
            await client.disconnect()
        return result

    @staticmethod
    async def _channel(client: Any, channel: str, state: CrawlState, captures: Captures) -> int:
        last = int(state.marked(_SCOPE, channel) or 0)
        entity = await client.get_entity(channel)
        messages = [m async for m in client.iter_messages(entity, min_id=last, reverse=True,
                                                           limit=MAX_MESSAGES_PER_POLL)]
        if not messages:
            return 0
        username = getattr(entity, "username", None)
        export = export_from_messages(getattr(entity, "title", None), username, getattr(entity, "id", None), messages)
        if export["messages"]:
            # The origin names the channel and the messages; it ends in .json, by which the file
            # reader knows an export. Each Document's meta["url"] is the message's t.me link.
            first, last = export["messages"][0]["id"], export["messages"][-1]["id"]
            captures.add_json(export, f"telegram:{username or channel}/messages-{first}-{last}.json")
        state.mark(_SCOPE, channel, str(max(m.id for m in messages)))
        return len(export["messages"])


def telegram_login(settings: TelegramSettings) -> None:
    """Log in once, interactively (phone number and code), writing the session file."""
    from telethon.sync import TelegramClient

    settings.session.parent.mkdir(parents=True, exist_ok=True)
    with TelegramClient(str(settings.session), settings.api_id, settings.api_hash) as client:
        client.start()


def _channel_name(value: str) -> str:
    value = str(value).strip()
    for prefix in ("https://t.me/", "http://t.me/", "t.me/", "@"):
        if value.startswith(prefix):
            value = value[len(prefix):]
    return value.strip("/")
