"""Channel exports: Telegram Desktop's result.json and VK wall dumps, one Document per post."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from recruitwatch.models import Document


class SocialError(ValueError):
    """An export whose structure is not what Telegram or VK write."""


def telegram_documents(export: dict[str, Any], origin: str) -> list[Document]:
    channel = export.get("name") if isinstance(export.get("name"), str) else None
    username = export.get("username") if isinstance(export.get("username"), str) else None
    docs = []
    for message in export["messages"]:
        if not isinstance(message, dict) or message.get("type", "message") != "message":
            continue
        text = flatten_telegram_text(message.get("text", ""))
        if not text.strip():
            continue
        msg_id = message.get("id")
        link = f"https://t.me/{username}/{msg_id}" if username and msg_id is not None else None
        meta = {k: v for k, v in {"channel": channel, "url": link, "message_id": msg_id}.items() if v is not None}
        docs.append(Document(origin=f"{origin}#message-{msg_id}", text=text, media_type="application/x-telegram",
                             title=channel, published=_telegram_date(message), meta=meta))
    return docs


def flatten_telegram_text(text: Any) -> str:
    """Telegram writes text as a string or a list of strings and entity objects."""
    if isinstance(text, str):
        return text
    if not isinstance(text, list):
        raise SocialError(f"message text of type {type(text).__name__}")
    parts = []
    for part in text:
        if isinstance(part, str):
            parts.append(part)
        elif isinstance(part, dict) and isinstance(part.get("text"), str):
            parts.append(part["text"])
        else:
            raise SocialError("message text part is neither text nor an entity")
    return "".join(parts)


def looks_like_vk(data: Any) -> bool:
    items = data.get("items") if isinstance(data, dict) else data
    if isinstance(data, dict) and isinstance(data.get("response"), dict):
        items = data["response"].get("items")
    return isinstance(items, list) and all(isinstance(i, dict) and "text" in i for i in items[:5]) and bool(items)


def vk_documents(data: Any, origin: str) -> list[Document]:
    if isinstance(data, dict):
        data = data.get("response", data).get("items")
    docs = []
    for post in data:
        text = post.get("text")
        if not isinstance(text, str):
            raise SocialError(f"VK post {post.get('id')!r} has text of type {type(text).__name__}")
        if not text.strip():
            continue
        owner, pid = post.get("owner_id"), post.get("id")
        link = f"https://vk.com/wall{owner}_{pid}" if owner is not None and pid is not None else None
        stamp = post.get("date")
        published = datetime.fromtimestamp(stamp, tz=UTC).date() if isinstance(stamp, int) else None
        docs.append(Document(origin=f"{origin}#post-{pid}", text=text, media_type="application/x-vk",
                             published=published, meta={k: v for k, v in {"url": link}.items() if v}))
    return docs


def _telegram_date(message: dict[str, Any]) -> date | None:
    raw = message.get("date")
    if not isinstance(raw, str):
        return None
    try:
        return datetime.fromisoformat(raw).date()
    except ValueError:
        return None
