"""Tests for what the Help menu says: the version, the shortcuts and the guide."""

from __future__ import annotations

import importlib.metadata
import re
import tomllib
from pathlib import Path

import pytest

from desktop import about

ROOT = Path(__file__).resolve().parents[2]


def test_the_version_is_the_project_s() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert about.version() == project["project"]["version"]


def test_without_installed_metadata_the_version_comes_from_pyproject(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A checkout run without installing it (the bundle carries the metadata itself)."""

    def missing(name: str) -> str:
        raise importlib.metadata.PackageNotFoundError(name)

    monkeypatch.setattr(importlib.metadata, "version", missing)
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert about.read_version() == project["project"]["version"]


def test_about_names_the_version_and_the_console_s_fingerprint_in_groups() -> None:
    text = about.about_text("ab" * 32)
    assert text.startswith(f"Tallyboard {about.version()}")
    assert "abab abab abab" in text
    assert "fingerprint" not in about.about_text(None)


def test_every_shortcut_the_help_lists_is_a_whole_sentence_or_key() -> None:
    """Texts are whole sentences (they will be wrapped in tr() later), keys say their keys."""
    for keys in about.SHORTCUTS.values():
        for key, what in keys:
            assert key
            assert re.match(r"^[A-Z]", what), what
    for title, text in about.GUIDE:
        assert title[0].isupper()
        assert text.endswith(".")
