"""text_hash: "№" handled before NFKC gives what NFKC of the whole text gives."""

import unicodedata

from recruitwatch.archive.texthash import normalise_text, text_hash


def _by_the_definition(text: str) -> str:
    return " ".join(normalise_text(unicodedata.normalize("NFKC", text)).split())


def test_numero_sign_reads_as_no_and_combines_as_nfkc_says():
    for text in ("Дело № 5-12/2024", "№\u0301 1", "Nº №№ ﬁle ①", "№", "дело №5-1 от 12:30"):
        assert normalise_text(text) == _by_the_definition(text)
    assert text_hash("Дело № 5") == text_hash("дело no 5")
