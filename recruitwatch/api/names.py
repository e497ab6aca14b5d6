"""Pseudonyms for personal names in Russian documents.

Court decisions name people as surname plus initials ("Иванов И.И.", "И.И. Иванов"). Each such
name is replaced by a stable pseudonym derived from the name and the instance's secret, so one
person keeps one pseudonym across a document and across exports, and the pseudonym cannot be
turned back into the name without the secret.
"""

from __future__ import annotations

import hashlib
import hmac
import re

_SURNAME = r"[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?"
_INITIALS = r"[А-ЯЁ]\.\s?(?:[А-ЯЁ]\.)?"
NAME = re.compile(rf"(?<![\w.])(?:{_SURNAME}\s+{_INITIALS}|{_INITIALS}\s?{_SURNAME}(?!\w))")


def pseudonym(name: str, key: str) -> str:
    normal = re.sub(r"\s+", "", name)
    digest = hmac.new(key.encode(), normal.encode(), hashlib.sha256).hexdigest()[:6]
    return f"[лицо-{digest}]"


def pseudonymise(text: str | None, key: str) -> str | None:
    """`text` with every surname-and-initials name replaced by its pseudonym."""
    if not text:
        return text
    return NAME.sub(lambda m: pseudonym(m.group(0), key), text)
