"""Text normalised at the edge: one Unicode form, trimmed, collapsed; invisible names refused."""

from __future__ import annotations

import unicodedata

import pytest

from cnnt_runtime.text import TextError, normalise_line, normalise_name, normalise_paragraphs


def test_nfd_and_nfc_spellings_become_the_same_name() -> None:
    nfd = unicodedata.normalize("NFD", "Đắk Lắk")
    assert nfd != "Đắk Lắk"
    assert normalise_name(nfd) == normalise_name("Đắk Lắk") == "Đắk Lắk"


def test_surrounding_double_and_non_breaking_spaces_and_zero_width_characters_are_folded() -> None:
    assert normalise_line("  Cà\u00a0phê   bột\u200b  ") == "Cà phê bột"


@pytest.mark.parametrize("blank", ["", "   ", "\u200b\u200c", "\u00a0\t", "\u2060\ufeff "])
def test_a_name_of_nothing_visible_is_refused(blank: str) -> None:
    with pytest.raises(TextError):
        normalise_name(blank)


@pytest.mark.parametrize("control", ["a\x00b", "\x07", "x\x1by"])
def test_control_characters_are_refused_in_any_text(control: str) -> None:
    with pytest.raises(TextError):
        normalise_line(control)
    with pytest.raises(TextError):
        normalise_paragraphs(control)


def test_free_text_keeps_its_lines_but_not_their_stray_spaces() -> None:
    assert normalise_paragraphs("  Dòng 1  \r\n\r\n  dòng   2 ") == "Dòng 1\n\ndòng 2"
