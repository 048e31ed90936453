"""Bytes to text: encodings, BOMs, line ends, binary data.

The order of evidence, strongest first:

1. a byte-order mark (UTF-8, UTF-16, UTF-32);
2. ``--encoding``, when the user forces one;
3. valid UTF-8 (multi-byte UTF-8 almost never happens by accident, and pages re-saved as UTF-8
   often keep a stale ``<meta charset>``);
4. a declared charset: ``<meta charset>``, ``<meta http-equiv="Content-Type">``, an XML
   declaration's ``encoding``, or a ``charset``/``encoding`` key in the front matter;
5. detection by charset-normalizer, accepted only when it is confident.

Labels follow the WHATWG Encoding Standard, as browsers do: ``gb2312`` and ``gbk`` decode as
GB18030 (a superset), ``big5`` as Big5-HKSCS, ``shift_jis`` as Windows-31J, ``iso-8859-1`` and
``ascii`` as windows-1252. Text with NUL bytes (and no UTF-16/32 BOM) is binary and refused.
Output is always UTF-8.
"""

from __future__ import annotations

import codecs
import re

from convert.errors import DecodeError
from convert.lazyre import lazy

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# WHATWG label -> Python codec, for the labels that differ from Python's own meaning.
_WHATWG = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "chinese": "gb18030",
    "csgb2312": "gb18030",
    "gb_2312-80": "gb18030",
    "big5": "big5hkscs",
    "big5-hkscs": "big5hkscs",
    "x-x-big5": "big5hkscs",
    "cn-big5": "big5hkscs",
    "shift_jis": "cp932",
    "shift-jis": "cp932",
    "sjis": "cp932",
    "x-sjis": "cp932",
    "ms_kanji": "cp932",
    "windows-31j": "cp932",
    "iso-8859-1": "cp1252",
    "latin1": "cp1252",
    "l1": "cp1252",
    "ascii": "cp1252",
    "us-ascii": "cp1252",
    "iso-8859-9": "cp1254",
    "euc-kr": "cp949",
    "utf8": "utf-8",
    "unicode-1-1-utf-8": "utf-8",
}

# Codecs Python calls text encodings that no document is written in (they would turn markup
# into other markup): the WHATWG standard maps UTF-7 to "replacement" for the same reason.
_NOT_FOR_DOCUMENTS = {"utf-7", "idna", "punycode", "raw-unicode-escape", "unicode-escape", "undefined"}

_DECLARED_PATTERN = (
    rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{1,40})"""
    rb"""|<\?xml[^>]{0,200}?encoding\s*=\s*["']([A-Za-z0-9_.:-]{1,40})"""
    rb"""|^\s*(?:charset|encoding)\s*[:=]\s*["']?([A-Za-z0-9_.:-]{1,40})"""
)

#: How much of the start of a file is searched for a declared charset.
DECLARATION_WINDOW = 4096


def codec_for(label: str) -> str:
    """The Python codec for an encoding label (WHATWG meaning). Raises :class:`DecodeError`
    for a label nobody knows."""
    key = label.strip().lower()
    name = _WHATWG.get(key, key)
    try:
        info = codecs.lookup(name)
    except LookupError:
        raise DecodeError(f"unknown encoding {label!r}") from None
    if not getattr(info, "_is_text_encoding", True) or info.name in _NOT_FOR_DOCUMENTS:
        raise DecodeError(f"{label!r} is not a text encoding") from None
    return info.name


def declared_encoding(data: bytes) -> str | None:
    """The charset the document declares near its start, if any."""
    # Compiled on first use: valid UTF-8, the common case, never needs it.
    m = re.compile(_DECLARED_PATTERN, re.IGNORECASE | re.MULTILINE).search(data, 0, DECLARATION_WINDOW)
    if m is None:
        return None
    label = (m.group(1) or m.group(2) or m.group(3)).decode("ascii")
    try:
        return codec_for(label)
    except DecodeError:
        return None


def decode(data: bytes, encoding: str | None = None, *, path: str | None = None) -> tuple[str, str, bool]:
    """Decode ``data``. Returns ``(text, codec name, had_bom)``; raises :class:`DecodeError`
    with the path, and the line where the bad bytes are, when the bytes are not text."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            # A second BOM after the first happens (tools that add one blindly): drop it too.
            return _strict(data[len(bom) :], name, path).removeprefix("\ufeff"), name, True
    if encoding:
        codec = codec_for(encoding)
        return _strict(data, codec, path), codec, False
    if b"\x00" in data[:8192]:
        raise DecodeError("binary data (NUL bytes), not a text document", path=path, line=data.count(b"\n", 0, data.index(b"\x00")) + 1)
    try:
        return data.decode("utf-8"), "utf-8", False
    except UnicodeDecodeError as err:
        utf8_error = err
    declared = declared_encoding(data)
    if declared and declared != "utf-8":
        try:
            return without_surrogates(data.decode(declared)), declared, False
        except UnicodeDecodeError:
            pass
    detected = _detect(data)
    if detected is not None:
        return detected
    line = data.count(b"\n", 0, utf8_error.start) + 1
    raise DecodeError(
        f"not valid UTF-8 (byte 0x{data[utf8_error.start]:02x} at offset {utf8_error.start}) and no "
        "other encoding could be determined; name one with --encoding",
        path=path,
        line=line,
    )


#: compiled when there is one to replace (start-up: a class past U+00FF is slow to compile)
_SURROGATE = lazy("[\ud800-\udfff]")


def has_surrogates(text: str) -> bool:
    """Whether ``text`` holds a lone surrogate (which no UTF-8 can): found by encoding it, in C."""
    if text.isascii():
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def without_surrogates(text: str) -> str:
    """``text`` with lone surrogates (which no UTF-8 output can hold; JSON's ``\\ud800`` makes
    them) replaced by U+FFFD, as a browser shows them."""
    return _SURROGATE.sub("\ufffd", text) if has_surrogates(text) else text


def _strict(data: bytes, codec: str, path: str | None) -> str:
    try:
        return without_surrogates(data.decode(codec))
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        raise DecodeError(f"cannot decode as {codec}: {err.reason} at offset {err.start}", path=path, line=line) from None


#: bytes outside ASCII that detection needs before its guess is believed (about 20 CJK characters)
_DETECT_MIN_BYTES = 40
#: how much cleaner (in charset-normalizer's "chaos") the best reading must be than a different one
_DETECT_MARGIN = 0.1


def _detect(data: bytes) -> tuple[str, str, bool] | None:
    """charset-normalizer's guess, accepted only when it is the only reading that looks like text.

    A guess needs evidence: with fewer than :data:`_DETECT_MIN_BYTES` bytes outside ASCII (a few
    stray bytes in an English page) any 8-bit code page "decodes cleanly", and the guess is noise
    (``\xff\xfe\xfa`` read as Arabic presentation forms). And it must stand alone: when another
    encoding reads the bytes almost as cleanly but as different text (Shift JIS also reads as
    Korean CP949; Western text as Central European CP1250), the choice is a coin toss, and a wrong
    one shows mojibake as if it were the post. Such input is refused, asking for ``--encoding``."""
    sample = data[: 256 * 1024]
    if sum(1 for b in sample if b >= 0x80) < _DETECT_MIN_BYTES:
        return None
    from charset_normalizer import from_bytes

    matches = list(from_bytes(sample, cp_isolation=None))
    if not matches or matches[0].chaos > 0.3:
        return None
    best = matches[0]
    reading = str(best)
    if any(other.chaos - best.chaos <= _DETECT_MARGIN and str(other) != reading for other in matches[1:]):
        return None
    codec = codec_for(best.encoding)
    # The guess was made on a prefix; it must decode the whole input.
    try:
        text = without_surrogates(data.decode(codec))
    except UnicodeDecodeError:
        return None
    return text, codec, False


def normalize_newlines(text: str) -> tuple[str, str]:
    """Turn CRLF and lone CR into LF, as an HTML parser would. Returns the text and the line end
    the file mostly used (``\\r\\n`` or ``\\n``), so writers can restore it."""
    crlf = text.count("\r\n")
    if "\r" not in text:
        return text, "\n"
    lf = text.count("\n") - crlf
    newline = "\r\n" if crlf > lf else "\n"
    return text.replace("\r\n", "\n").replace("\r", "\n"), newline
