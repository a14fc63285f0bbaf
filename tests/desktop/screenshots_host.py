"""Render the host console on the demo event, with devices linked and sheets scored, to PNGs.

Run from the repository root:
    QT_QPA_PLATFORM=offscreen .venv/bin/python -m tests.desktop.screenshots_host [out-dir]
Writes host-overview.png, host-setup.png, host-codes.png, host-devices.png, host-results.png
and host-results-normalised.png (every prize's board; raw beside normalised totals),
host-control.png (the boards on the displays, a prize's award ceremony under way; the whole
page, 1080 px tall), and the
desk's host-team.png, host-sheet-history.png and host-activity.png, then host-team-void.png
and host-sheet-corrections.png (a sheet reopened after lock, fixed and voided) (default
docs/screenshots/), at the console's first size; with --extras also the dialogs; with --dark
in the dark appearance (View ▸ Dark theme).
"""

from __future__ import annotations

import asyncio
import os
import random
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import qasync
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QDialog

from desktop import i18n, theme
from desktop.controllers import HostController, PeerController
from desktop.host import HostWindow
from storage.demo import seed_demo
from storage.ops import FIRST_ROUND
from storage.replica import Replica
from storage.sheets import sheet_criteria
from sync.peer import PeerConfig
from sync.server import HostConfig, HostServer
from tests.kit import until

SIZE = HostWindow.DEFAULT_SIZE  # a 1366x768 laptop's screen, less the window's frame
# (judge, laptop label, final sheets, drafts); Dev's laptop never joins.
JUDGES = [
    ("judge-ada", "Ada's ThinkPad", 5, 0),
    ("judge-bao", "Bao's MacBook", 4, 1),
    ("judge-carmen", "Carmen's XPS", 2, 1),
]


async def render_control(window: HostWindow, controller: HostController, out: Path) -> None:
    """Render the Control page mid-ceremony: two boards on the displays' list, the reveal on
    the AI prize's board with one place revealed; then put the displays back as they were."""
    ai = {"round": FIRST_ROUND, "prize": "prize-ai"}
    main = {"round": FIRST_ROUND, "prize": None}
    for field, value in (
        ("display_boards", [ai, main]),
        ("display_rotate", 30),
        ("display_mode", "reveal"),
        ("reveal_board", ai),
        ("reveal_count", 1),
    ):
        assert controller.set_event(field, value) is None
    window.show_page("Control")
    # The whole page in one picture: taller than the first size, which scrolls it.
    window.resize(SIZE[0], 1080)
    await asyncio.sleep(0.4)
    window.grab().save(str(out / "host-control.png"))
    window.resize(*SIZE)
    print(out / "host-control.png")
    for field, value in (
        ("reveal_count", 0),
        ("reveal_board", None),
        ("display_mode", "live"),
        ("display_boards", []),
        ("display_rotate", 20),
    ):
        assert controller.set_event(field, value) is None
    await asyncio.sleep(0.2)


async def render_extras(window: HostWindow, out: Path) -> None:
    """Also render the dialogs (for checking the look, not for docs)."""
    window.show_page("Setup")
    for index in range(3):
        window.setup.tabs.setCurrentIndex(index)
        await asyncio.sleep(0.1)
        window.grab().save(str(out / f"host-setup-{index}.png"))
    setup = window.setup

    def edit_second_judge() -> QDialog | None:
        setup.judges.table.selectRow(1)
        setup.judges.edit_judge()
        return setup.judges.form

    def add_criterion() -> QDialog | None:
        setup.criteria.add_criterion()
        return setup.criteria.form

    def auto_assign() -> QDialog | None:
        setup.assignments.auto_assign()
        return window.dialog

    shots = {"criterion": add_criterion, "judge": edit_second_judge, "assign": auto_assign}
    for name, opener in shots.items():
        dialog = opener()
        await asyncio.sleep(0.2)
        assert dialog is not None
        dialog.grab().save(str(out / f"dialog-{name}.png"))
        dialog.reject()
    sheet = out / "teams.csv"
    sheet.write_text(
        "Project Title,Table Number,Team Member 1 First Name,Team Member 1 Last Name\n"
        "Lighthouse,T9,Ana,Silva\n"
        ",T10,Ben,Okoro\n"
        "Aurora,T11,Cy,Dunn\n"
        "Tidepool,T12,Dee,Ek\n",
        encoding="utf-8",
    )
    dialog = window.preview_import(sheet)
    await asyncio.sleep(0.2)
    assert dialog is not None
    dialog.grab().save(str(out / "dialog-import.png"))
    dialog.reject()
    sheet.unlink()


async def render_results(window: HostWindow, controller: HostController, out: Path) -> None:
    """Render the Results page: every board side by side, then raw beside normalised totals."""
    window.show_page("Results")
    window.results.harsh.setChecked(False)  # the boards alone, side by side
    await asyncio.sleep(0.6)
    window.grab().save(str(out / "host-results.png"))
    window.results.harsh.setChecked(True)
    controller.set_event("normalise", "shown")
    await asyncio.sleep(0.6)
    window.results.verticalScrollBar().setValue(0)
    window.grab().save(str(out / "host-results-normalised.png"))
    controller.set_event("normalise", "off")
    await asyncio.sleep(0.2)
    for name in ("results", "results-normalised"):
        print(out / f"host-{name}.png")


async def render_desk(
    window: HostWindow, controller: HostController, judges: list[PeerController], out: Path
) -> None:
    """Render a team's page, a sheet's history and the Activity page, with a refusal in it."""
    ada = judges[0]
    # A final sheet of Ada's corrected with a comment, then sent again after the lock: refused.
    team = sorted(ada.replica.state.assigned_teams("judge-ada"))[0]
    sheet = ada.replica.state.sheet("judge-ada", team) or {}
    scores = {c: min(99, int(v) + 4) for c, v in sheet.get("scores", {}).items()}
    ada.save_sheet("judge-ada", team, scores, "Sharp demo; the pitch ran long", final=True)
    await until(lambda: ada.replica.pending_count() == 0)
    controller.set_event("phase", "locked")
    ada.save_sheet("judge-ada", team, {**scores, "design": 60}, "", final=True)
    await until(lambda: ada.replica.pending_count() == 0)
    await asyncio.sleep(0.3)
    window.show_page("Overview")
    window.open_team(team)
    await asyncio.sleep(0.2)
    window.grab().save(str(out / "host-team.png"))
    window.open_sheet("judge-ada", team)
    await asyncio.sleep(0.2)
    window.grab().save(str(out / "host-sheet-history.png"))
    window.show_page("Activity")
    await asyncio.sleep(0.2)
    window.grab().save(str(out / "host-activity.png"))
    for name in ("team", "sheet-history", "activity"):
        print(out / f"host-{name}.png")
    await render_corrections(window, controller, ada, team, out)


async def render_corrections(
    window: HostWindow, controller: HostController, ada: PeerController, team: str, out: Path
) -> None:
    """Render a sheet's history with corrections (issue 12): reopened after lock, fixed by the
    judge, voided and restored; and a team's page with a void sheet struck through."""
    ref = {"judge": "judge-ada", "team": team}
    controller.correct("sheet.reopen", {**ref, "reason": "Ada marked design 60 by mistake"})
    await until(lambda: ada.replica.state.reopened("main", "judge-ada", team))
    sheet = ada.replica.state.sheet("judge-ada", team) or {}
    ada.save_sheet("judge-ada", team, dict(sheet.get("scores", {})), "Sharp demo", final=True)
    await until(lambda: ada.replica.pending_count() == 0)
    controller.correct("sheet.void", {**ref, "reason": "Ada coached this team last year"})
    await asyncio.sleep(0.3)
    window.open_team(team)
    await asyncio.sleep(0.2)
    window.grab().save(str(out / "host-team-void.png"))
    window.open_sheet("judge-ada", team)
    await asyncio.sleep(0.2)
    window.grab().save(str(out / "host-sheet-corrections.png"))
    for name in ("team-void", "sheet-corrections"):
        print(out / f"host-{name}.png")


async def render(out: Path, extras: bool = False) -> None:
    """Build the scene and save the four pages."""
    folder = Path(tempfile.mkdtemp(prefix="tallyboard-shots-"))
    replica = Replica.open(folder / "host.db", durable=False)
    seed_demo(replica)
    replica.register_self()
    server = HostServer(
        replica,
        # The browser pages too, as the demo serves them: the QR codes show where they go.
        HostConfig(
            bind="127.0.0.1", port=0, secure=True, advertise=False, board_interval=0.0, web_port=0
        ),
    )
    await server.start()
    controller = HostController(replica, server)
    _, bodies = controller.plan_assignment(3)
    controller.admin_all("assign.put", bodies)
    codes = {(c["role"], c["id"]): c["code"] for c in replica.join_codes()}
    target = f"127.0.0.1:{server.port}"

    peers: list[PeerController] = []

    def link(name: str, code: str, label: str) -> PeerController:
        peer = PeerController(Replica.open(folder / f"{name}.db", durable=False))
        peer.start(
            PeerConfig(
                code=code, target=target, fingerprint=server.fingerprint, name=label, secure=True
            )
        )
        peers.append(peer)
        return peer

    rng = random.Random(7)
    prize_rng = random.Random(11)
    criteria = [c["id"] for c in replica.state.criteria()]
    judges = []
    for judge_id, label, finals, drafts in JUDGES:
        peer = link(judge_id, codes[("judge", judge_id)], label)
        judges.append(peer)
        await until(lambda p=peer: p.link is not None and p.link.synced)
        teams = sorted(replica.state.assigned_teams(judge_id))
        for index, team in enumerate(teams[: finals + drafts]):
            scores = {c: rng.randrange(55, 99) for c in criteria}
            # A prize's own criterion where the judge scores the team for it (Carmen: open data).
            for extra in sheet_criteria(replica.state, judge_id, team):
                scores.setdefault(extra["id"], prize_rng.randrange(3, 11))
            peer.save_sheet(judge_id, team, scores, "", final=index < finals)
    link("display", codes[("display", None)], "Hall projector")
    link("team", codes[("team", "team-aurora")], "Aurora's laptop")
    await until(
        lambda: controller.online_count() == 5 and all(p.status.pending == 0 for p in peers)
    )
    # Carmen's laptop goes to sleep: offline, seen a moment ago.
    await judges[2].stop()
    await until(lambda: controller.online_count() == 4)
    controller.notify("judges", None, "Judging closes at 15:30 — please finalise your sheets")
    controller.notify("team", "team-fjord", "Your table has moved to the atrium")

    settings = QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat)
    window = HostWindow(controller, settings, now=time.time)
    window.resize(*SIZE)
    window.show()
    await asyncio.sleep(0.3)
    out.mkdir(parents=True, exist_ok=True)
    for name, page, tab in (
        ("overview", "Overview", None),
        ("setup", "Setup", 3),
        ("codes", "Codes", None),
        ("devices", "Devices", None),
    ):
        window.show_page(page)
        if tab is not None:
            window.setup.tabs.setCurrentIndex(tab)
        await asyncio.sleep(0.2)
        window.grab().save(str(out / f"host-{name}.png"))
        print(out / f"host-{name}.png")
    if not theme.is_dark():
        window.show_page("Overview")
        theme.set_zoom(1.25)  # View ▸ Zoom in, twice
        await asyncio.sleep(0.3)
        window.grab().save(str(out / "host-overview-zoomed.png"))
        theme.set_zoom(1.0)
        await asyncio.sleep(0.2)
    await render_results(window, controller, out)
    await render_control(window, controller, out)
    if extras:
        await render_extras(window, out)
    await render_desk(window, controller, judges, out)
    window.close()
    for peer in peers:
        await peer.stop()
        peer.replica.close()
    await server.stop()
    replica.close()


def main() -> None:
    """Render into the folder given on the command line, or docs/screenshots."""
    args = [arg for arg in sys.argv[1:] if arg not in ("--extras", "--dark")]
    out = Path(args[0]) if args else Path("docs/screenshots")
    app = QApplication(sys.argv[:1])
    theme.apply(app, ui_dark="--dark" in sys.argv)
    i18n.install(app, i18n.choose(None))  # TALLYBOARD_LANG=es: the Spanish windows
    app.setQuitOnLastWindowClosed(False)
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    with loop:
        loop.run_until_complete(render(out, extras="--extras" in sys.argv))


if __name__ == "__main__":
    main()
