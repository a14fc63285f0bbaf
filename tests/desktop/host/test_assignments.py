"""Tests for the Assignments tab and its auto-assign dialog, against a real demo host."""

from __future__ import annotations

from desktop.host.dialogs import (
    AutoAssignDialog,
)
from desktop.host.window import HostWindow
from tests.desktop.conftest import DemoHost


def test_auto_assign_warns_by_name_when_conflicts_leave_too_few_judges(
    demo_host: DemoHost, window: HostWindow
) -> None:
    window.show_page("Setup")
    window.setup.assignments.auto.click()
    dialog = window.dialog
    assert isinstance(dialog, AutoAssignDialog)
    dialog.k.setValue(4)
    warnings = [dialog.warnings.item(i).text() for i in range(dialog.warnings.count())]
    assert "⚠ Team Fjord has only 3 judges without a conflict; it gets 3, not 4." in warnings
    assert not dialog.warnings.isHidden()
    dialog.apply_button.click()
    state = demo_host.replica.state
    assert state.assigned_teams("judge-bao") == set(state.teams()) - {"team-fjord"}
