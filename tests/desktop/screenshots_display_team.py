"""Render the display and team windows on the demo event, offscreen, and save screenshots.

A script, not a test: it serves the demo event on loopback, has the demo judges score sheets
through real peer links, and grabs the windows in each state: the display's modes, then a
prize's board (display-prize.png) and a prize's award ceremony half way (display-ceremony.png).

    QT_QPA_PLATFORM=offscreen .venv/bin/python -m tests.desktop.screenshots_display_team \
        [folder] [--dark]

The folder defaults to docs/screenshots; --dark renders the team window in the dark appearance.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import qasync
from PySide6.QtWidgets import QApplication, QWidget

from desktop import i18n, theme
from desktop.controllers import PeerController
from desktop.display import DisplayWindow
from desktop.team import TeamWindow
from storage.boards import board as one_board
from storage.boards import team_boards
from storage.demo import seed_demo
from storage.ops import FIRST_ROUND
from storage.replica import Replica
from storage.sheets import sheet_criteria
from storage.state import State
from sync.messages import LeaderboardUpdate, Welcome
from sync.peer import PeerConfig
from sync.server import HostConfig, HostServer
from tests.desktop.conftest import feed, named_board
from tests.kit import until

# (judge, team): innovation, design, execution, comment. Bao never scores Fjord and Dev never
# scores Cobalt Cats (the demo's conflicts of interest).
EARLY = {
    ("judge-ada", "team-aurora"): (88, 92, 85, "Lovely onboarding; offline mode is a real win."),
    ("judge-ada", "team-basalt"): (81, 74, 90, "The arm worked first time on stage. Impressive."),
    ("judge-ada", "team-cobalt"): (79, 88, 70, ""),
    ("judge-bao", "team-aurora"): (84, 90, 87, "Clear pitch, and the demo never faltered."),
    ("judge-bao", "team-ember"): (72, 68, 80, "Solid, though the idea felt familiar."),
    ("judge-carmen", "team-gale"): (90, 76, 82, ""),
    ("judge-carmen", "team-aurora"): (91, 86, 89, "Would use it tomorrow. Mind the contrast."),
    ("judge-dev", "team-fjord"): (66, 71, 63, ""),
}
LATE = {
    ("judge-ada", "team-driftwood"): (70, 79, 75, ""),
    ("judge-ada", "team-ember"): (76, 70, 84, ""),
    ("judge-ada", "team-fjord"): (68, 77, 60, ""),
    ("judge-ada", "team-gale"): (87, 80, 85, ""),
    ("judge-ada", "team-harbour"): (62, 81, 66, ""),
    ("judge-bao", "team-basalt"): (86, 78, 92, ""),
    ("judge-bao", "team-cobalt"): (83, 85, 74, ""),
    ("judge-bao", "team-gale"): (85, 79, 88, ""),
    ("judge-bao", "team-driftwood"): (74, 72, 70, ""),
    ("judge-bao", "team-harbour"): (60, 78, 64, ""),
    ("judge-carmen", "team-basalt"): (84, 80, 89, ""),
    ("judge-carmen", "team-cobalt"): (80, 90, 72, ""),
    ("judge-carmen", "team-ember"): (70, 73, 79, ""),
    ("judge-carmen", "team-fjord"): (71, 69, 65, ""),
    ("judge-dev", "team-aurora"): (86, 89, 84, "Polished. Next: export for organisers."),
    ("judge-dev", "team-basalt"): (88, 76, 91, ""),
    ("judge-dev", "team-gale"): (89, 82, 86, ""),
}
# Carmen judges the open data prize too: its own criterion, on the sheets of the teams in it.
OPEN_DATA = {"team-aurora": 8, "team-basalt": 9, "team-ember": 6}
NOTES = [
    ("teams", None, "Welcome to Harbour Hack! Judging starts at 14:00 in the main hall."),
    ("team", "team-aurora", "Aurora: the judges will visit your table at about 15:20."),
    ("all", None, "Pizza has arrived in the foyer. Judging carries on meanwhile."),
]


def hand_team_prizes(controller: PeerController, state: State, team: str) -> None:
    """Give the team what docs/protocol.md 4e adds, where its host did not send it: the
    welcome's rounds and prizes, then each released board it is on, built from the host's
    state exactly as 4e says (a host that sends them makes this do nothing)."""
    info = controller.welcome_info()
    event = dict(info.get("event") or {})
    mine = team_boards(state, team)
    if "prizes" not in event:
        event["rounds"] = [
            {"id": r["id"], "name": r["name"], "phase": state.round_phase(r["id"])}
            for r in state.rounds()
        ]
        event["prizes"] = [
            {"id": b.prize_id, "name": b.prize_name, "sponsor": b.sponsor}
            for b in mine
            if b.round_id == FIRST_ROUND and b.prize_id
        ]
        welcome = Welcome(
            "team", team, info.get("subject_name"), "-", "-", event, "0000000000000.0000.h", {}
        )
        feed(controller, welcome.to_wire())
    if state.phase == "released" and not controller.named_boards():
        named = [b for b in mine if b.round_id == FIRST_ROUND and b.prize_id]
        feed(controller, *(named_board(b, 10**13) for b in named))


async def settle(seconds: float = 0.3) -> None:
    """Let animations and coalesced signals finish."""
    await asyncio.sleep(seconds)


async def grab(window: QWidget, path: Path) -> None:
    """Save a window's pixels as PNG."""
    # Let the loop draw: a nested processEvents() inside a coroutine wakes other tasks
    # re-entrantly (qasync: "Cannot enter into task"), which left a peer link stuck.
    await asyncio.sleep(0.05)
    window.grab().save(str(path))
    print(f"wrote {path}")


AI = {"round": FIRST_ROUND, "prize": "prize-ai"}
OPEN_DATA = {"round": FIRST_ROUND, "prize": "prize-open-data"}
MAIN = {"round": FIRST_ROUND, "prize": None}


async def show_boards(
    server: HostServer, host: Replica, display: DisplayWindow, settings: dict[str, Any]
) -> None:
    """Set the display's control fields on the host, as the console does, and have the display
    show what they say (docs/protocol.md 4e).

    A host that sends named boards and display_control does it itself; until this branch has
    one (the host side is another branch's), the script hands the display exactly the messages
    4e says such a host sends, built from the host's own boards.
    """
    for field, value in settings.items():
        server.admin("event.set", {"field": field, "value": value})
    await settle()
    state = host.state
    mode = state.event_setting("display_mode")
    # 4e: the main board is null in display_control, as `reveal_board` names it.
    names = [None if n == MAIN else n for n in state.event_setting("display_boards")] or [None]
    stage = state.event_setting("reveal_board")
    shown = [stage] if mode == "reveal" else names
    control = {
        "type": "display_control",
        "boards": shown,
        "rotate": state.event_setting("display_rotate"),
        "mode": mode,
        "reveal_board": stage,
        "timestamp": "",
    }
    held = display.controller.display_control() or {}
    if held.get("boards") == shown and held.get("mode") == mode:
        return  # the host said so itself
    controller = display.controller
    for name in shown:
        if name is None:
            continue
        board = one_board(state, name["round"], name["prize"])
        rows = [row.to_wire() for row in board.rows]
        rows = [{k: r[k] for k in list(r)[:5]} for r in rows]  # the five fields of section 4
        if mode == "reveal":
            ranked = [r for r in rows if r["rank"] is not None]
            count = state.event_setting("reveal_count") if name == stage else 0
            rows = ranked[len(ranked) - count :] if count else []
        title = {
            "round_name": board.round_name,
            "prize_name": board.prize_name,
            "sponsor": board.sponsor,
        }
        update = LeaderboardUpdate(
            int(time.time() * 1000), mode, tuple(rows), "", state.phase, name, title
        )
        controller.named_board_changed.emit(update.to_wire())
    controller.display_control_changed.emit(control)
    await settle()


async def render_boards(
    server: HostServer, host: Replica, display: DisplayWindow, folder: Path
) -> None:
    """Grab a prize's board in a rotation, then its award ceremony half way through."""
    await show_boards(
        server, host, display, {"display_mode": "live", "display_boards": [OPEN_DATA, AI, MAIN]}
    )
    await until(lambda: display.current == (FIRST_ROUND, "prize-open-data"))
    await settle(0.8)
    await grab(display, folder / "display-prize.png")
    await show_boards(
        server,
        host,
        display,
        {"reveal_count": 0, "reveal_board": AI, "display_mode": "reveal"},
    )
    for count in (1, 2):
        await show_boards(server, host, display, {"reveal_count": count})
        await until(lambda n=count: len([r for r in display.view.rows() if not r.placeholder]) == n)
        await settle(1.2)
    await grab(display, folder / "display-ceremony.png")


async def main(folder: Path) -> None:
    """Serve the demo event, score sheets, and grab every state."""
    folder.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="tallyboard-shots-"))
    host = Replica.open(work / "host.db")
    seed_demo(host)
    server = HostServer(
        host,
        # The browser pages too, as the demo serves them: the QR codes show where they go.
        HostConfig(
            bind="127.0.0.1", port=0, secure=False, advertise=False, board_interval=0.0, web_port=0
        ),
    )
    await server.start()
    target = f"127.0.0.1:{server.port}"
    codes = {(c["role"], c["id"]): c["code"] for c in host.join_codes()}
    peers: list[PeerController] = []

    def link(name: str, code: str) -> PeerController:
        controller = PeerController(Replica.open(work / f"{name}.db", durable=False))
        controller.start(PeerConfig(code=code, target=target, secure=False))
        peers.append(controller)
        return controller

    judges = {
        judge: link(judge, codes[("judge", judge)])
        for judge in ("judge-ada", "judge-bao", "judge-carmen", "judge-dev")
    }
    for controller in judges.values():
        await until(lambda c=controller: c.link is not None and c.link.synced)

    async def score(sheets: dict[tuple[str, str], tuple[int, int, int, str]]) -> None:
        for (judge, team), (innovation, design, execution, comment) in sheets.items():
            scores = {"innovation": innovation, "design": design, "execution": execution}
            if judge == "judge-carmen" and team in OPEN_DATA:
                scores["open-data"] = OPEN_DATA[team]
            # Any other prize's own criterion where the judge scores the team for it, so
            # that the prize's board ranks the teams.
            for extra in sheet_criteria(host.state, judge, team):
                scores.setdefault(extra["id"], round(innovation / 10))
            error = judges[judge].save_sheet(judge, team, scores, comment, final=True)
            assert error is None, error
        await until(lambda: all(c.replica.pending_count() == 0 for c in judges.values()))

    # Aurora opts into both prizes, so its page lists two.
    aurora = dict(host.state.team("team-aurora") or {})
    server.admin("team.put", {**aurora, "prizes": ["prize-ai", "prize-open-data"]})
    server.admin("event.set", {"field": "display_mode", "value": "progress"})
    for audience, target_team, message in NOTES:
        server.admin("notify", {"audience": audience, "target": target_team, "message": message})
    await score(EARLY)

    display_controller = link("display", codes[("display", None)])
    display = DisplayWindow(display_controller)
    display.resize(1920, 1080)
    display.show()
    await until(lambda: display.mode == "progress" and bool(display.view.rows()))
    await settle()
    await grab(display, folder / "display-progress.png")

    team_controller = link("team", codes[("team", "team-aurora")])
    team = TeamWindow(team_controller)
    team.resize(*TeamWindow.DEFAULT_SIZE)
    team.show()
    await until(lambda: len(team.note_frames) == len(NOTES))
    hand_team_prizes(team_controller, host.state, "team-aurora")
    await until(lambda: len(team.place_rows) == 2)
    await settle()
    await grab(team, folder / "team-before-release.png")

    await score(LATE)
    server.admin("event.set", {"field": "display_mode", "value": "live"})
    await until(lambda: display.mode == "live" and display.view.rows()[0].total is not None)
    await settle(0.8)
    await grab(display, folder / "display-live.png")

    server.admin("event.set", {"field": "phase", "value": "locked"})
    server.admin("event.set", {"field": "display_mode", "value": "reveal"})
    await until(lambda: display.mode == "reveal")
    await settle()
    await grab(display, folder / "display-reveal-empty.png")
    for count in (1, 2, 3):
        server.admin("event.set", {"field": "reveal_count", "value": count})
        await until(lambda n=count: len([r for r in display.view.rows() if not r.placeholder]) == n)
        await settle(1.2)
    await grab(display, folder / "display-reveal.png")

    server.admin("event.set", {"field": "display_mode", "value": "frozen"})
    await until(lambda: display.mode == "frozen")
    await settle(0.6)
    await grab(display, folder / "display-frozen.png")

    await render_boards(server, host, display, folder)

    server.admin("event.set", {"field": "phase", "value": "released"})
    await until(lambda: team.released and len(team.score_rows) == 4)
    hand_team_prizes(team_controller, host.state, "team-aurora")
    await until(lambda: all(value.text() not in ("", "—") for _, value in team.place_rows))
    await settle()
    await grab(team, folder / "team.png")

    for controller in peers:
        await controller.stop()
    await server.stop()
    for controller in peers:
        controller.replica.close()
    host.close()


def run() -> int:
    """Run the script; return the exit status."""
    args = [arg for arg in sys.argv[1:] if arg != "--dark"]
    folder = Path(args[0]) if args else Path("docs/screenshots")
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    # The display brings its own dark sheet, as in the demo; --dark: View ▸ Dark theme.
    theme.apply(app, dark=False, ui_dark="--dark" in sys.argv)
    i18n.install(app, i18n.choose(None))  # TALLYBOARD_LANG=es: the Spanish windows
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    with loop:
        loop.run_until_complete(main(folder))
    return 0


if __name__ == "__main__":
    sys.exit(run())
