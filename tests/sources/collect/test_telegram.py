"""Telegram: Telethon's messages become the Documents the Telegram Desktop export reader gives."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from recruitwatch.sources.collect.telegram import TelegramError, TelegramSettings, export_from_messages
from recruitwatch.sources.files import documents_from_bytes
from recruitwatch.sources.social import telegram_documents

types = pytest.importorskip("telethon.tl.types", reason="Telethon (the telegram extra) is not installed")


def _message(msg_id: int, text: str, when: datetime) -> object:
    return types.Message(id=msg_id, peer_id=types.PeerChannel(1001), date=when, message=text, views=12)


def test_messages_become_the_documents_of_a_desktop_export(tmp_path: Path) -> None:
    messages = [_message(7, "Вчера в Выборге задержали 12 граждан Узбекистана.",
                         datetime(2026, 11, 3, 9, 30, tzinfo=UTC)),
                _message(8, "", datetime(2026, 11, 3, 10, 0, tzinfo=UTC)),  # a photo without a caption
                _message(9, "Родственники говорят о контрактах.", datetime(2026, 11, 4, 8, 0, tzinfo=UTC))]
    export = export_from_messages("Канал о задержаниях", "detentions_channel", 1001, messages)
    assert [m["id"] for m in export["messages"]] == [7, 9]
    docs = telegram_documents(export, "telegram:detentions_channel/messages-7-9.json")
    assert [d.origin for d in docs] == ["telegram:detentions_channel/messages-7-9.json#message-7",
                                        "telegram:detentions_channel/messages-7-9.json#message-9"]
    assert docs[0].meta == {"channel": "Канал о задержаниях", "url": "https://t.me/detentions_channel/7",
                            "message_id": 7}
    assert docs[0].published.isoformat() == "2026-11-03" and docs[0].media_type == "application/x-telegram"
    # The file the collector writes is read by the file reader as an export, like a Desktop one.
    raw = json.dumps(export, ensure_ascii=False).encode()
    from_file = documents_from_bytes(raw, "telegram:detentions_channel/messages-7-9.json")
    assert [d.text for d in from_file] == [d.text for d in docs]


def test_credentials_are_required_and_come_from_the_environment(monkeypatch: pytest.MonkeyPatch,
                                                               tmp_path: Path) -> None:
    monkeypatch.delenv("RECRUITWATCH_TELEGRAM_API_ID", raising=False)
    monkeypatch.delenv("RECRUITWATCH_TELEGRAM_API_HASH", raising=False)
    with pytest.raises(TelegramError, match="api_id and api_hash"):
        TelegramSettings.from_config({"channels": ["x"]}, tmp_path)
    monkeypatch.setenv("RECRUITWATCH_TELEGRAM_API_ID", "12345")
    monkeypatch.setenv("RECRUITWATCH_TELEGRAM_API_HASH", "0123456789abcdef")
    settings = TelegramSettings.from_config({"channels": ["https://t.me/some_channel", "@other"]}, tmp_path)
    assert settings.api_id == 12345 and settings.channels == ("some_channel", "other")
    assert settings.session == tmp_path / "telegram.session"
    monkeypatch.delenv("RECRUITWATCH_TELEGRAM_API_ID")
    with pytest.raises(TelegramError, match="must be a number"):
        TelegramSettings.from_config({"api_id": "abc", "api_hash": "x"}, tmp_path)
