"""Render the judge window offscreen on the demo event: docs/screenshots/judge*.png.

Run: QT_QPA_PLATFORM=offscreen .venv/bin/python tests/desktop/screenshots_judge.py [out dir]
(--dark: in the dark appearance).
A demo host serves on loopback; a judge joins it with its code and saves sheets in every state
(final, draft, rejected, waiting to send), then the window is grabbed at its first size (it
fits a 1366x768 laptop), and zoomed in. Then the sponsor prize's judge: its prize badges, a
sheet with the prize's own criterion, and the notice of sheets that need an update.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import qasync
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from desktop import i18n, theme  # noqa: E402
from desktop.controllers import PeerController  # noqa: E402
from desktop.judge.window import JudgeWindow  # noqa: E402
from storage.demo import seed_demo  # noqa: E402
from storage.replica import Replica  # noqa: E402
from sync.discovery import HostInfo  # noqa: E402
from sync.peer import PeerConfig  # noqa: E402
from sync.server import HostConfig, HostServer  # noqa: E402
from tests.kit import until  # noqa: E402

SIZE = JudgeWindow.DEFAULT_SIZE


async def grab(window: JudgeWindow, path: Path) -> None:
    """Save the window as a PNG."""
    # Let the loop draw: a nested processEvents() inside a coroutine wakes other tasks
    # re-entrantly (qasync: "Cannot enter into task"), which left a peer link stuck.
    await asyncio.sleep(0.05)
    window.grab().save(str(path))
    print(f"wrote {path}")


def host_config(port: int = 0) -> HostConfig:
    """Serve plain ws:// on loopback, no mDNS, leaderboards at once."""
    return HostConfig(bind="127.0.0.1", port=port, secure=False, advertise=False, board_interval=0)


async def main(out: Path, folder: Path) -> None:
    """Drive a demo host and a judge into the states worth showing, and grab them."""
    host_replica = Replica.open(folder / "host.db", durable=False)
    seed_demo(host_replica)
    # A conflict of interest, so the list shows a greyed team too.
    host_replica.admin(
        "judge.put", {"id": "judge-ada", "name": "Ada Brennan", "conflicts": ["team-harbour"]}
    )
    server = HostServer(host_replica, host_config())
    await server.start()
    port = server.port
    codes = {(c["role"], c["id"]): c["code"] for c in host_replica.join_codes()}
    code = codes[("judge", "judge-ada")]

    controller = PeerController(Replica.open(folder / "judge.db", durable=False))
    settings = QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat)
    window = JudgeWindow(controller, settings)
    window.resize(*SIZE)
    window.show()

    # The connect screen as a judge sees it in the hall: the event's host found over mDNS
    # (as the browser would report it), and the code typed.
    panel = window.connect_panel
    panel.set_hosts([HostInfo("Harbour Hack 2026", "192.168.1.20", 8765, False)])
    panel.code.setText(code)
    await asyncio.sleep(0.1)
    await grab(window, out / "judge-connect.png")

    panel.address.setText(f"127.0.0.1:{port}")
    panel.insecure.setChecked(True)
    panel.connect_button.click()
    await until(lambda: window.pages.currentIndex() == 2)

    def save(team: str, scores: dict[str, int], comment: str, *, final: bool) -> None:
        error = controller.save_sheet("judge-ada", team, scores, comment, final=final)
        assert error is None, error

    save(
        "team-aurora",
        {"innovation": 88, "design": 92, "execution": 81},
        "A sharp idea, shipped.",
        final=True,
    )
    save("team-basalt", {"innovation": 74, "design": 80, "execution": 90}, "", final=True)
    save("team-cobalt", {"innovation": 70, "design": 65}, "Demo crashed once.", final=False)
    await until(lambda: controller.replica.pending_count() == 0)

    # A sheet sent while the host had locked scoring comes back rejected, with its reason.
    await server.stop()
    save("team-driftwood", {"innovation": 61, "design": 70, "execution": 66}, "", final=True)
    host_replica.admin("event.set", {"field": "phase", "value": "locked"})
    server = HostServer(host_replica, host_config(port))
    await server.start()
    await until(lambda: bool(controller.replica.rejected("judge-ada")))
    server.admin("event.set", {"field": "phase", "value": "scoring"})
    server.admin("event.set", {"field": "judges_see_results", "value": True})
    server.admin(
        "notify",
        {
            "audience": "judges",
            "target": None,
            "message": "Lunch is served in the atrium until 13:30. Scoring closes at 16:00.",
        },
    )
    await until(lambda: window.snap.phase == "scoring" and window.toast.isVisible())

    # The host goes away: the next sheet waits on this laptop.
    await server.stop()
    await until(lambda: controller.status.state == "offline")
    save("team-ember", {"innovation": 85}, "", final=False)
    await until(lambda: controller.status.pending == 1)

    window.select_team("team-gale")
    rows = window.editor.rows
    rows[0].set_value(83)
    rows[1].set_value(77)
    window.editor.comment.setPlainText("Great live demo; the onboarding flow needs work.")
    first = window.editor.first_input()
    first.setFocus()
    first.selectAll()  # as after Tab: the judge is about to type over it
    await asyncio.sleep(0.2)
    await grab(window, out / "judge.png")
    if not theme.is_dark():
        theme.set_zoom(1.25)  # View ▸ Zoom in, twice
        await asyncio.sleep(0.2)
        await grab(window, out / "judge-zoomed.png")
        theme.set_zoom(1.0)

    window.select_team("team-driftwood")
    await asyncio.sleep(0.1)
    await grab(window, out / "judge-rejected.png")

    window.tabs.setCurrentIndex(1)
    await asyncio.sleep(0.1)
    await grab(window, out / "judge-leaderboard.png")

    window.editor.mark_saved()  # nothing to ask about on close
    window.close()
    await controller.stop()
    controller.replica.close()

    server = HostServer(host_replica, host_config(port))
    await server.start()
    await prizes(out, folder, server, codes[("judge", "judge-carmen")])
    await server.stop()
    host_replica.close()


async def prizes(out: Path, folder: Path, server: HostServer, code: str) -> None:
    """Grab the sponsor's judge: prize badges, a sheet with the prize's criterion, then the
    notice once a criterion is added while scoring (judge-prizes.png, judge-needs-update.png)."""
    controller = PeerController(Replica.open(folder / "carmen.db", durable=False))
    settings = QSettings(str(folder / "carmen.ini"), QSettings.Format.IniFormat)
    window = JudgeWindow(controller, settings)
    window.resize(*SIZE)
    window.show()
    controller.start(PeerConfig(code=code, target=f"127.0.0.1:{server.port}", secure=False))
    await until(lambda: window.pages.currentIndex() == 2 and len(window.snap.rows) == 8)
    for team, scores in (
        ("team-aurora", {"innovation": 81, "design": 77, "execution": 84}),
        ("team-basalt", {"innovation": 72, "design": 80, "execution": 88, "open-data": 9}),
        ("team-driftwood", {"innovation": 66, "design": 71, "execution": 70, "open-data": 6}),
    ):
        assert controller.save_sheet("judge-carmen", team, scores, "", final=True) is None
    await until(lambda: controller.replica.pending_count() == 0)
    window.select_team("team-ember")
    rows = window.editor.rows
    for row, value in zip(rows, (86, 74, 79, 8), strict=True):
        row.set_value(value)
    window.editor.comment.setPlainText("Live berth data, well used; the map view is slow.")
    window.toast.hide()
    await asyncio.sleep(0.1)
    window.editor.sheet_scroll.ensureWidgetVisible(window.editor.group_heads[1], 0, 0)
    await asyncio.sleep(0.1)
    await grab(window, out / "judge-prizes.png")
    window.editor.mark_saved()

    pitch = {"id": "pitch", "name": "Pitch", "weight": 1, "min": 0, "max": 100, "step": 1}
    server.admin(
        "criterion.put", {**pitch, "description": "Clear, on time, answers well.", "order": 3}
    )
    await until(window.updates_banner.isVisible)
    window.show_updates_first()
    window.select_team("team-basalt")
    window.toast.hide()
    await asyncio.sleep(0.1)
    window.editor.sheet_scroll.ensureWidgetVisible(window.editor.rows[3], 0, 0)
    await asyncio.sleep(0.1)
    await grab(window, out / "judge-needs-update.png")
    window.close()
    await controller.stop()
    controller.replica.close()


def run() -> None:
    """Render every judge screenshot into the given folder (default: docs/screenshots)."""
    args = [arg for arg in sys.argv[1:] if arg != "--dark"]
    out = Path(args[0]) if args else ROOT / "docs" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    theme.apply(app, ui_dark="--dark" in sys.argv)  # --dark: View ▸ Dark theme
    i18n.install(app, i18n.choose(None))  # TALLYBOARD_LANG=es: the Spanish windows
    app.setQuitOnLastWindowClosed(False)
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    with tempfile.TemporaryDirectory() as folder, loop:
        loop.run_until_complete(main(out, Path(folder)))
    # PySide6 6.12 on Python 3.11 under-counts references to None on some calls, which aborts
    # the interpreter's final garbage collection; the pictures are written, so skip it.
    sys.stdout.flush()
    os._exit(0)


if __name__ == "__main__":
    run()
