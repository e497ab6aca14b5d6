import pytest

from recruitwatch.sources.encoding import CANDIDATES, DecodeError, declared_encoding, decode_bytes, russian_score

RU = "Гражданин Республики Сомали признан виновным и подвергнут штрафу в размере двух тысяч рублей."


@pytest.mark.parametrize("codec", ["utf-8", "cp1251", "koi8-r"])
def test_undeclared_russian_is_read_in_any_usual_encoding(codec):
    assert decode_bytes(RU.encode(codec)).text == RU


def test_misdeclared_page_is_read_by_its_bytes_not_its_meta():
    page = f'<html><head><meta charset="koi8-r"></head><body>{RU}</body></html>'
    decoded = decode_bytes(page.encode("cp1251"))
    assert RU in decoded.text
    assert decoded.encoding == "cp1251" and decoded.declared == "koi8-r"


def test_declared_windows_1251_alias():
    raw = b'<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">'
    assert declared_encoding(raw) == "cp1251"


def test_utf8_bom_is_dropped():
    assert decode_bytes(b"\xef\xbb\xbf" + RU.encode()).text == RU


def test_binary_junk_is_refused():
    with pytest.raises(DecodeError):
        decode_bytes(bytes(range(256)) * 10)


def test_undeclared_bytes_take_the_reading_russian_score_ranks_first():
    """What decode_bytes weighs, checked against russian_score itself on each candidate's reading
    (a faster way of scoring must choose alike)."""
    texts = [RU, RU.upper(), "Ёлка №5 — «цитата» … ‰ € ™ " + RU, "Plain English text, nothing else here at all."]
    for text in texts:
        for codec in CANDIDATES:
            raw = text.encode(codec, "replace") * 3
            readings = {}
            for name in CANDIDATES[1:]:
                try:
                    readings[name] = raw.decode(name)
                except UnicodeDecodeError:
                    continue
            decoded = decode_bytes(raw)
            if decoded.encoding == "utf-8":
                assert raw.decode("utf-8") == decoded.text
                continue
            best = max(readings, key=lambda name: russian_score(readings[name]))
            assert (decoded.encoding, decoded.text) == (best, readings[best]), (text, codec)


def test_the_best_reading_that_decodes_is_taken_and_a_declared_codec_is_weighed_too():
    """Candidates are scored on the bytes before any is decoded: one that scores best but cannot
    read the bytes (0x98 is no cp1251 character) gives way to the next, as when each was decoded."""
    for text in (RU, RU.upper(), "Ёлка №5 — «цитата» … " + RU):
        for codec in ("cp1251", "koi8-r", "cp866", "iso-8859-5"):
            for declared in (None, "koi8-u", "iso-8859-1", "no-such-codec"):
                raw = text.encode(codec, "replace") + b"\x98"
                readings = {}
                for name in ([declared] if declared else []) + list(CANDIDATES[1:]):
                    try:
                        readings.setdefault(name, raw.decode(name))
                    except (UnicodeDecodeError, LookupError):
                        continue
                scores = {name: russian_score(reading) + (0.05 if name == declared else 0.0)
                          for name, reading in readings.items()}
                best = max(scores, key=scores.__getitem__)
                decoded = decode_bytes(raw, declared)
                assert (decoded.encoding, decoded.text) == (best, readings[best]), (text, codec, declared)
