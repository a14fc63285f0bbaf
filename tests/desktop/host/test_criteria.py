"""Tests for the Criteria tab, driven through its widgets against a real demo host."""

from __future__ import annotations

from desktop.host.dialogs import (
    CriterionDialog,
)
from desktop.host.window import HostWindow
from tests.desktop.conftest import DemoHost
from tests.desktop.host.conftest import Run, column, settle


def test_editing_reordering_and_a_refused_edit(
    demo_host: DemoHost, window: HostWindow, run: Run, asked: list[str]
) -> None:
    state = demo_host.replica.state
    window.show_page("Setup")
    criteria = window.setup.criteria
    criteria.table.selectRow(2)
    criteria.up.click()
    assert [c["id"] for c in state.criteria()] == ["innovation", "execution", "design"]
    settle(run, window)
    assert column(criteria.table, 1) == ["Innovation", "Execution", "Design"]

    criteria.table.selectRow(0)
    criteria.edit.click()
    dialog = criteria.form
    assert isinstance(dialog, CriterionDialog)
    assert dialog.name.text() == "Innovation"
    dialog.low.setValue(20)
    dialog.high.setValue(10)
    dialog.save_button.click()
    assert dialog.isVisible()  # a form problem keeps the dialog open
    assert "lowest score" in dialog.problem.text()
    dialog.high.setValue(100)
    dialog.weight.setValue(3)
    dialog.save_button.click()
    assert state.criterion("innovation")["weight"] == 3  # type: ignore[index]

    # Criteria cannot be removed once scoring has begun: the host's reason shows.
    criteria.table.selectRow(0)
    criteria.remove.click()
    assert "Remove Innovation?" in asked[-1]
    assert state.criterion("innovation") is not None
    assert window.banner.isVisible()
    assert "criterion.del is closed while the event is scoring" in window.error_label.text()
