"""Property: for any metadata and body, html -> json -> html -> read gives them back."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import convert
from convert.model import Document, same_value

_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufeff") | st.sampled_from("\n\t -:#'\"{}[]&<>*|!%@`"),
    max_size=30,
)
_key = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=12)
_tz = st.sampled_from([None, dt.timezone.utc, dt.timezone(dt.timedelta(hours=8)), dt.timezone(dt.timedelta(hours=-7, minutes=-30))])
_scalar = (
    _text
    | st.integers(min_value=-(2**53), max_value=2**53)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.booleans()
    | st.none()
    | st.dates(min_value=dt.date(1000, 1, 1))
    | st.builds(lambda d, tz: d.replace(tzinfo=tz), st.datetimes(min_value=dt.datetime(1000, 1, 1)), _tz)
)
_value = st.recursive(_scalar, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_key, inner, max_size=4), max_leaves=12)
_metadata = st.dictionaries(_key, _value, max_size=8)

_body = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufeff") | st.sampled_from("\n\n<p></p><div>&amp;&#123;--- +++ ;;; {}"),
    max_size=200,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(metadata=_metadata, body=_body)
def test_html_json_html_is_lossless(metadata, body):
    html = convert.write(Document(metadata, body_html=body), "html")
    first = convert.read(html, "html")
    assert same_value(first.metadata, metadata)
    assert first.body_html() == body
    via_json = convert.read(convert.write(first, "json"), "json")
    again = convert.read(convert.write(via_json, "html"), "html")
    assert same_value(again.metadata, metadata)
    assert again.body_html() == body
