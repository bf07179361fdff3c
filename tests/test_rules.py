"""The shared input rules (chalicelib/rules.py): one normal form per hashtag on every route,
and text hygiene."""
from __future__ import annotations

import pytest

from chalicelib import rules


@pytest.mark.parametrize("raw", ["#Kenya", "kenya", " KENYA ", "%23kenya", "#kenya "])
def test_every_spelling_of_a_tag_looks_up_one_tag(raw):
    assert rules.hashtag_lookup(raw) == "kenya"


def test_uploads_store_the_form_reads_look_up():
    assert rules.hashtags(["#Kenya", "kenya", "Diani"]) == ["kenya", "diani"]
    assert rules.hashtag_lookup("#Diani") in rules.hashtags(["diani"])


@pytest.mark.parametrize("raw", ["", "#", "a" * 65, "no spaces", "semi;colon"])
def test_bad_lookup_tags_are_refused(raw):
    with pytest.raises(rules.RuleError, match="'tag'"):
        rules.hashtag_lookup(raw)


@pytest.mark.parametrize("text", ["\u202eevil", "x\u2067y", "nul\x00", "del\x7f", "c1\x85in"])
def test_controls_and_bidi_overrides_are_refused(text):
    with pytest.raises(rules.RuleError):
        rules.clean_text(text, "title", max_chars=100)


def test_one_line_text_refuses_newlines_and_multi_line_keeps_them():
    assert rules.clean_text(" a\nb ", "bio", max_chars=10) == "a\nb"
    with pytest.raises(rules.RuleError, match="control"):
        rules.clean_text("a\nb", "title", max_chars=10, multiline=False)


@pytest.mark.parametrize("raw,expected", [(None, None), ("", None), ("  ", None), (" k-1 ", "k-1")])
def test_idempotency_keys(raw, expected):
    assert rules.idempotency_key(raw) == expected


@pytest.mark.parametrize("raw", ["k" * 201, "caf\u00e9", "a b"])
def test_bad_idempotency_keys(raw):
    with pytest.raises(rules.RuleError, match="Idempotency-Key"):
        rules.idempotency_key(raw)


def test_a_required_idempotency_key_must_be_sent():
    with pytest.raises(rules.RuleError, match="required"):
        rules.idempotency_key(None, required=True)


def test_uuids_come_out_canonical():
    assert rules.uuid("ABCDEF00-0000-0000-0000-000000000000", "id") == "abcdef00-0000-0000-0000-000000000000"
    with pytest.raises(rules.RuleError, match="'video_id' must be a UUID"):
        rules.uuid("nope", "video_id")
