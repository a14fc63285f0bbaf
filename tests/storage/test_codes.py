"""Tests for join codes: the alphabet, how codes are shown and how typed codes are read."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from storage.codes import ALPHABET, LENGTH, new_code, normalize, show

codes = st.text(alphabet=ALPHABET, min_size=LENGTH, max_size=LENGTH)


def test_new_code_is_8_characters_of_the_alphabet() -> None:
    for _ in range(200):
        code = new_code()
        assert len(code) == LENGTH == 8
        assert set(code) <= set(ALPHABET)


def test_new_codes_differ() -> None:
    assert len({new_code() for _ in range(50)}) == 50


@pytest.mark.parametrize("ambiguous", ["O", "0", "I", "1", "L"])
def test_alphabet_leaves_out_look_alikes(ambiguous: str) -> None:
    assert ambiguous not in ALPHABET
    assert ambiguous.lower() not in ALPHABET


def test_alphabet_is_upper_case_letters_and_digits_without_repeats() -> None:
    assert len(set(ALPHABET)) == len(ALPHABET)
    assert all(ch.isascii() and (ch.isupper() or ch.isdigit()) for ch in ALPHABET)


def test_show_gives_xxxx_dash_xxxx() -> None:
    assert show("K7QFM2XD") == "K7QF-M2XD"


@given(codes)
def test_normalize_reads_back_what_show_gives(code: str) -> None:
    shown = show(code)
    assert len(shown) == 9
    assert shown[4] == "-"
    assert normalize(shown) == code


@pytest.mark.parametrize(
    "typed",
    [
        "K7QF-M2XD",
        "K7QFM2XD",
        "k7qf-m2xd",
        "k7Qf-M2xD",
        "K7QF M2XD",
        " k7qf - m2xd ",
        "K-7-Q-F-M-2-X-D",
        "K7QF\tM2XD",
        "--K7QFM2XD--",
    ],
)
def test_normalize_accepts_any_case_dashes_and_spaces(typed: str) -> None:
    assert normalize(typed) == "K7QFM2XD"


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "----",
        "K7QF-M2X",  # 7 characters
        "K7QF-M2XDA",  # 9 characters
        "K7QF-M2XD-K7QF",
        "K7QF-M2X0",  # zero
        "K7QF-M2XO",  # letter O
        "K7QF-M2XI",  # letter I
        "K7QF-M2X1",  # one
        "K7QF-M2XL",  # letter L
        "k7qf-m2xl",  # lower-case l
        "k7qf-m2xo",
        "k7qf-m2xi",
        "K7QF_M2XD",
        "K7QF.M2XD",
        "K7QF-M2X!",
        "K7QF-M2XÉ",
    ],
)
def test_normalize_refuses_wrong_length_or_characters_outside_the_alphabet(typed: str) -> None:
    assert normalize(typed) is None


@given(st.text(max_size=20))
def test_normalize_returns_none_or_a_code_of_the_alphabet(typed: str) -> None:
    code = normalize(typed)
    assert code is None or (len(code) == LENGTH and set(code) <= set(ALPHABET))


@pytest.mark.parametrize("typed", ["abcd-efgh\n", "\u00a0ABCD EFGH ", "ABCD\u2013EFGH"])
def test_pasted_codes_keep_their_meaning(typed: str) -> None:
    assert normalize(typed) == "ABCDEFGH"


def test_non_ascii_letters_that_upper_case_into_two_are_refused() -> None:
    assert normalize("ABCDEFGß") is None
