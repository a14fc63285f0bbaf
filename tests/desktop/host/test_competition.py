"""Tests for the console's CompetitionWindow: File ▸ Save event file… and Load event file…,
against a real demo host (its prizes, rounds and results flows: test_prizes, test_rounds and
test_results, beside the pages they drive)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtWidgets import QWidget

from desktop.host import ask
from desktop.host.window import HostWindow
from storage import eventfile
from tests.desktop.conftest import DemoHost


def _pick(monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    def chosen(parent: QWidget, title: str, *rest: str) -> Path:
        return path

    monkeypatch.setattr(ask, "save_path", chosen)
    monkeypatch.setattr(ask, "open_path", chosen)


def test_saving_then_loading_an_edited_event_file(
    demo_host: DemoHost,
    window: HostWindow,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    asked: list[str],
) -> None:
    state = demo_host.replica.state
    path = tmp_path / "harbour.event.json"
    _pick(monkeypatch, path)
    assert window.save_event_file() == path
    assert path.read_text(encoding="utf-8") == eventfile.render(state, "json")

    doc = json.loads(path.read_text(encoding="utf-8"))
    doc["prizes"][0]["name"] = "Best use of machine learning"
    doc["teams"].append({"id": "team-iris", "name": "Iris", "prizes": ["prize-ai"]})
    path.write_text(json.dumps(doc), encoding="utf-8")
    assert window.load_event_file() == path
    assert "Make 2 changes" in asked[-1]
    assert state.prize("prize-ai")["name"] == "Best use of machine learning"  # type: ignore[index]
    assert state.team("team-iris")["prizes"] == ["prize-ai"]  # type: ignore[index]
    assert window.load_event_file() == path  # the same file again: nothing to change
    assert len(asked) == 1
    assert "is the event already" in window.message.text()


def test_a_bad_file_lists_every_problem_and_changes_nothing(
    demo_host: DemoHost,
    window: HostWindow,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    asked: list[str],
) -> None:
    state = demo_host.replica.state
    before = eventfile.render(state, "json")
    doc = json.loads(before)
    doc["teams"][2]["name"] = ""
    doc["prizes"].append({"id": "prize-x", "name": "X", "eligibility": "sometimes"})
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    _pick(monkeypatch, path)
    assert window.load_event_file() is None
    text = window.error_label.text()
    assert window.banner.isVisible()
    assert "bad.json was not loaded; nothing changed:" in text
    assert "teams[2]: 'name' must not be empty" in text
    assert "prizes[2]: 'eligibility'" in text
    assert asked == []  # nothing asked: nothing would be made
    assert eventfile.render(state, "json") == before

    # Well formed, but refused by the rules (checked on a copy): every refusal listed.
    doc = json.loads(before)
    doc["judges"][0]["prizes"] = ["prize-nowhere"]
    doc["teams"][1]["prizes"] = ["prize-elsewhere"]
    path.write_text(json.dumps(doc), encoding="utf-8")
    assert window.load_event_file() is None
    text = window.error_label.text()
    assert "judges[0]: there is no prize 'prize-nowhere'" in text
    assert "teams[1]: there is no prize 'prize-elsewhere'" in text
    assert eventfile.render(state, "json") == before

    path.write_text('{"event": {"name": "Half', encoding="utf-8")
    assert window.load_event_file() is None
    assert "line 1: not JSON" in window.error_label.text()
    assert eventfile.render(state, "json") == before
