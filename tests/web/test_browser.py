"""The pages in a real browser: Debian's chromium, headless, driven by selenium through
chromium-driver, at a phone's size and a desktop's, against a host served on loopback."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.wait import WebDriverWait

from sync import feeds
from sync import messages as m
from tests.web.kit import (
    CHROMEDRIVER,
    CHROMIUM,
    DESKTOP,
    PHONE,
    LiveHost,
    chromium,
    live_host,
    received_frames,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        CHROMIUM is None or CHROMEDRIVER is None,
        reason="needs Debian's chromium and chromium-driver (.ci/bootstrap installs them)",
    ),
]
SIZES = {"phone": PHONE, "desktop": DESKTOP}
# A submit reaches the page within this (the figure); loading and reconnecting take longer.
SUBMIT_BOUND = 1.0
LOAD_BOUND = 15.0


@pytest.fixture
def host(tmp_path: Path) -> Iterator[LiveHost]:
    with live_host(tmp_path) as served:
        yield served


@pytest.fixture(params=sorted(SIZES))
def browser(request: pytest.FixtureRequest) -> Iterator[WebDriver]:
    driver = chromium(SIZES[request.param])
    try:
        yield driver
    finally:
        driver.quit()


def wait(driver: WebDriver, condition: Callable[[], bool], bound: float = LOAD_BOUND) -> None:
    """Poll the DOM until `condition` holds, for at most `bound` seconds."""

    def check(_: WebDriver) -> bool:
        try:
            return condition()
        except StaleElementReferenceException:  # the page redrew between two reads
            return False

    WebDriverWait(driver, bound, poll_frequency=0.02).until(check)


def rows(driver: WebDriver) -> list[list[str]]:
    """Return the board's rows as the page shows them, each a list of its cells' texts."""
    return [
        [cell.text for cell in row.find_elements(By.TAG_NAME, "span")]
        for row in driver.find_elements(By.CSS_SELECTOR, "#rows .row")
    ]


def text(driver: WebDriver) -> str:
    return str(driver.find_element(By.TAG_NAME, "body").text)


def test_the_public_page_follows_submits_and_a_reveal(host: LiveHost, browser: WebDriver) -> None:
    browser.get(host.page)
    wait(browser, lambda: browser.find_element(By.ID, "link").text == "● Live")
    wait(browser, lambda: len(rows(browser)) == 8)
    assert browser.find_element(By.ID, "pill").text == "● LIVE"
    # No horizontal scrolling at a phone's width: every column fits.
    assert browser.execute_script("return document.documentElement.scrollWidth") <= (
        browser.execute_script("return window.innerWidth")
    )

    host.score("team-aurora", (85, 90, 88))
    wait(browser, lambda: rows(browser)[0] == ["1", "Aurora", "1", "87.67"], SUBMIT_BOUND)
    host.score("team-cobalt", (60, 60, 60))
    host.score("team-basalt", (70, 80, 90))
    wait(
        browser,
        lambda: [r[1] for r in rows(browser)[:3]] == ["Aurora", "Basalt Robotics", "Cobalt Cats"],
        SUBMIT_BOUND,
    )

    # A name is shown as typed, never run as markup.
    markup = "<img src=x id=pwned onerror=alert(1)>"
    host.admin("team.put", {"id": "team-markup", "name": markup})
    wait(browser, lambda: any(r[1] == markup for r in rows(browser)), SUBMIT_BOUND)
    assert not browser.find_elements(By.ID, "pwned")

    # Judging in progress: names and counts, and not a total anywhere on the page.
    host.admin("event.set", {"field": "display_mode", "value": "progress"})
    wait(browser, lambda: browser.find_element(By.ID, "pill").text == "JUDGING IN PROGRESS")
    assert all(len(r) == 2 for r in rows(browser))
    assert "87.67" not in text(browser)
    assert not browser.find_elements(By.CSS_SELECTOR, ".total")
    host.score("team-driftwood", (99, 99, 99))  # a hidden total moves: nothing shows it
    assert "99.00" not in text(browser)

    # The staged reveal, from last place to first, one step at a time.
    host.admin("event.set", {"field": "display_mode", "value": "reveal"})
    wait(browser, lambda: browser.find_element(By.ID, "empty-title").text == "Results coming up")
    ranked = ["Driftwood", "Aurora", "Basalt Robotics", "Cobalt Cats"]
    totals = {"Driftwood": "99.00", "Aurora": "87.67", "Basalt Robotics": "80.00"}
    for count in range(1, 5):
        host.admin("event.set", {"field": "reveal_count", "value": count})
        shown = ranked[-count:]
        wait(browser, lambda shown=shown: [r[1] for r in rows(browser)] == shown, SUBMIT_BOUND)
        tag = "ALL REVEALED" if count == 4 else f"{count} REVEALED · {4 - count} TO GO"
        assert browser.find_element(By.ID, "pill").text == tag
        for name in ranked[: len(ranked) - count]:  # not revealed yet: neither name nor total
            assert name not in text(browser)
            assert totals.get(name, "--") not in text(browser)

    host.admin("event.set", {"field": "display_mode", "value": "live"})
    wait(browser, lambda: rows(browser)[0][1] == "Driftwood", SUBMIT_BOUND)


def test_the_public_page_reconnects_after_the_host_comes_back(
    host: LiveHost, browser: WebDriver
) -> None:
    browser.get(host.page)
    wait(browser, lambda: browser.find_element(By.ID, "link").text == "● Live")

    async def bounce() -> None:
        assert host.server.web is not None
        port = host.server.web.port
        await host.server.web.stop()
        host.server.config.web_port = port
        await host.server.web.start()

    host.call(bounce())
    wait(browser, lambda: browser.find_element(By.ID, "link").text != "● Live")
    wait(browser, lambda: browser.find_element(By.ID, "link").text == "● Live")
    host.score("team-aurora", (85, 90, 88))
    wait(browser, lambda: rows(browser)[0][1:] == ["Aurora", "1", "87.67"], SUBMIT_BOUND)


def test_the_team_page_shows_results_only_after_release(host: LiveHost, browser: WebDriver) -> None:
    code = host.code("team", "team-aurora")
    browser.get(host.page + "team")
    field = browser.find_element(By.ID, "code")
    field.send_keys("WRNG-CODE")
    browser.find_element(By.CSS_SELECTOR, "#join button").click()
    wait(browser, lambda: browser.find_element(By.ID, "join-error").is_displayed())
    assert "not a team code" in browser.find_element(By.ID, "join-error").text
    # The join link: the code in the fragment, which the browser never sends.
    browser.get(host.page + "team#code=" + code)
    wait(browser, lambda: browser.find_element(By.ID, "team-name").text == "Aurora")
    assert browser.find_element(By.ID, "status-title").text == "Judging is under way"

    host.score("team-aurora", (85, 90, 88))
    host.admin("notify", {"audience": "team", "target": "team-aurora", "message": "Stand-up at 3"})
    wait(browser, lambda: "Stand-up at 3" in text(browser), SUBMIT_BOUND)
    assert not browser.find_element(By.ID, "results").is_displayed()
    assert "87.67" not in text(browser)
    assert "Innovation" not in text(browser)

    host.admin("event.set", {"field": "phase", "value": "released"})
    wait(browser, lambda: browser.find_element(By.ID, "results").is_displayed(), SUBMIT_BOUND)
    wait(browser, lambda: browser.find_element(By.ID, "total").text == "87.67", SUBMIT_BOUND)
    assert browser.find_element(By.ID, "rank").text == "1st"
    assert browser.find_element(By.ID, "status-title").text == "Judging is complete"
    sheet = browser.find_element(By.CSS_SELECTOR, "#sheets .sheet").text
    assert "Innovation" in sheet
    assert "85" in sheet
    assert "Ada" not in text(browser)  # never which judge gave a sheet
    # A reload follows the team again from the fragment.
    browser.refresh()
    wait(browser, lambda: browser.find_element(By.ID, "total").text == "87.67")


# --- every prize's board (docs/protocol.md 4e, 13) ----------------------------------------------

AI = {"round": "main", "prize": "prize-ai"}
OPEN = {"round": "main", "prize": "prize-open-data"}
# The demo event has two rounds, so each board is named with its round.
OVERALL = "Round 1 · Overall"
AI_SHOWN = "Round 1 · Best use of AI"
HIDDEN = ("Harbour Open Data Prize", "prize-open-data", "Port of Harbour Authority")


def two_prizes(host: LiveHost, rotate: int = 5) -> None:
    """The AI prize public, with a sponsor; the open-data prize hidden; displays told to show
    the main board and both prizes' boards, `rotate` seconds each. Aurora 87.67, Ember 70 and
    Cobalt 60 are the AI prize's three ranked teams; Basalt (80) is in the hidden prize only."""

    async def set_up() -> None:
        state = host.server.replica.state
        ai, data = state.prize("prize-ai"), state.prize("prize-open-data")
        assert ai is not None
        assert data is not None
        host.server.admin("prize.put", {**ai, "sponsor": "Nordlicht"})
        host.server.admin("prize.put", {**data, "hidden": True})
        main = {"round": "main", "prize": None}
        host.server.admin("event.set", {"field": "display_boards", "value": [main, AI, OPEN]})
        host.server.admin("event.set", {"field": "display_rotate", "value": rotate})

    host.call(set_up())
    for team, scores in (
        ("team-aurora", (85, 90, 88)),
        ("team-basalt", (80, 80, 80)),
        ("team-ember", (70, 70, 70)),
        ("team-cobalt", (60, 60, 60)),
    ):
        host.score(team, scores)


def shown_name(driver: WebDriver) -> str:
    name = driver.find_element(By.ID, "board-name")
    return str(name.text) if name.is_displayed() else ""


def no_hidden_prize(driver: WebDriver, frames: list[dict[str, object]]) -> None:
    """Neither the page nor any frame its socket received names the hidden prize."""
    wire = json.dumps(frames)
    for word in HIDDEN:
        assert word not in text(driver)
        assert word not in wire


def test_the_public_page_rotates_the_shown_boards_and_follows_a_ceremony_on_a_prize(
    host: LiveHost, browser: WebDriver
) -> None:
    two_prizes(host)
    browser.get(host.page)
    wait(browser, lambda: shown_name(browser) in (OVERALL, AI_SHOWN))
    frames = received_frames(browser)
    # The shown boards in turn, every 5 s: the main board, then the AI prize's (the hidden
    # prize's board is never among them), then the main board again.
    wait(browser, lambda: shown_name(browser) == OVERALL, 12)
    assert [r[1] for r in rows(browser)[:3]] == ["Aurora", "Basalt Robotics", "Ember Labs"]
    assert len(browser.find_elements(By.CSS_SELECTOR, "#dots .dot")) == 2
    wait(browser, lambda: shown_name(browser) == AI_SHOWN, 12)
    assert browser.find_element(By.ID, "sponsor").text == "Sponsored by Nordlicht"
    assert [r[1] for r in rows(browser)[:3]] == ["Aurora", "Ember Labs", "Cobalt Cats"]
    assert "Basalt Robotics" not in text(browser)  # not in this prize
    wait(browser, lambda: shown_name(browser) == OVERALL, 12)
    assert browser.execute_script("return document.documentElement.scrollWidth") <= (
        browser.execute_script("return window.innerWidth")
    )

    # Judging in progress on every board: names and counts only, on each board in turn.
    host.admin("event.set", {"field": "display_mode", "value": "progress"})
    for name in (AI_SHOWN, OVERALL):
        wait(browser, lambda name=name: shown_name(browser) == name, 12)
        wait(browser, lambda: browser.find_element(By.ID, "pill").text == "JUDGING IN PROGRESS")
        assert all(len(r) == 2 for r in rows(browser))
        assert "87.67" not in text(browser)

    # Frozen: each board keeps its rows of that moment, whatever is scored after.
    host.admin("event.set", {"field": "display_mode", "value": "frozen"})
    wait(browser, lambda: shown_name(browser) == AI_SHOWN, 12)
    wait(browser, lambda: browser.find_element(By.ID, "pill").text == "RESULTS FROZEN")
    frozen = rows(browser)
    assert [r[1] for r in frozen[:3]] == ["Aurora", "Ember Labs", "Cobalt Cats"]
    host.score("team-gale", (99, 99, 99))  # in the AI prize: it would top a live board
    wait(browser, lambda: shown_name(browser) == OVERALL, 12)
    assert "99.00" not in text(browser)
    wait(browser, lambda: shown_name(browser) == AI_SHOWN, 12)
    assert rows(browser) == frozen

    # The ceremony on the AI prize's board: that board alone, named, from last place to first.
    host.admin("event.set", {"field": "reveal_count", "value": 0})
    host.admin("event.set", {"field": "reveal_board", "value": AI})
    host.admin("event.set", {"field": "display_mode", "value": "reveal"})
    wait(browser, lambda: browser.find_element(By.ID, "empty-title").text == "Results coming up")
    assert shown_name(browser) == AI_SHOWN
    assert not browser.find_element(By.ID, "dots").is_displayed()
    ranked = ["Gale Force", "Aurora", "Ember Labs", "Cobalt Cats"]
    totals = {"Gale Force": "99.00", "Aurora": "87.67", "Ember Labs": "70.00"}
    for count in (1, 2, 3, 4):
        host.admin("event.set", {"field": "reveal_count", "value": count})
        revealed = ranked[-count:]
        wait(browser, lambda revealed=revealed: [r[1] for r in rows(browser)] == revealed, 2)
        assert shown_name(browser) == AI_SHOWN
        for name in ranked[: len(ranked) - count]:  # not revealed yet: neither name nor total
            assert name not in text(browser)
            assert totals.get(name, "--") not in text(browser)
        frames += received_frames(browser)
        # No frame the page received told a row before its step.
        for name in ranked[: len(ranked) - count]:
            assert not [
                f
                for f in frames
                if f.get("type", "").startswith("leaderboard")
                and f.get("mode") == "reveal"
                and name in json.dumps(f)
            ]
    # Stays on the stage: no rotation during a ceremony.
    time.sleep(5.5)  # one rotation period: the page must still show the prize's board
    assert shown_name(browser) == AI_SHOWN
    assert len(rows(browser)) == 4
    frames += received_frames(browser)
    assert any(f["type"] == "display_control" for f in frames)
    no_hidden_prize(browser, frames)


def test_the_team_page_lists_its_public_prizes_and_its_places_only_once_released(
    host: LiveHost, browser: WebDriver
) -> None:
    two_prizes(host)
    browser.get(host.page + "team#code=" + host.code("team", "team-ember"))
    wait(browser, lambda: browser.find_element(By.ID, "team-name").text == "Ember Labs")
    wait(browser, lambda: browser.find_element(By.ID, "prizes-card").is_displayed())
    # Ember is in both prizes: only the public one is listed, with its sponsor.
    prizes = browser.find_elements(By.CSS_SELECTOR, "#prizes li")
    assert len(prizes) == 1
    assert "Best use of AI" in prizes[0].text
    assert "Sponsored by Nordlicht" in prizes[0].text
    assert "Results later" in prizes[0].text
    assert "70.00" not in text(browser)
    assert "2nd" not in text(browser)

    host.admin("event.set", {"field": "phase", "value": "released"})
    wait(browser, lambda: "2nd · 70.00" in browser.find_element(By.ID, "prizes").text)
    assert browser.find_element(By.ID, "rank").text == "3rd"  # the main board: after Basalt
    assert browser.find_element(By.ID, "total").text == "70.00"
    # A reload follows the team again: its prize boards come afresh with the welcome.
    browser.refresh()
    wait(browser, lambda: "2nd · 70.00" in browser.find_element(By.ID, "prizes").text)
    no_hidden_prize(browser, received_frames(browser))
    # The results taken back (4e): the host withdraws the boards; the page drops them at once.
    host.admin("event.set", {"field": "phase", "value": "locked"})
    wait(browser, lambda: not browser.find_element(By.ID, "results").is_displayed())
    wait(browser, lambda: "70.00" not in text(browser))
    assert browser.find_element(By.ID, "status-title").text == "Judging has finished"
    withdrawn = [f for f in received_frames(browser) if f.get("type") == "board_withdrawn"]
    assert {json.dumps(f["board"]) for f in withdrawn} == {"null", json.dumps(AI)}
    no_hidden_prize(browser, received_frames(browser))


# --- the page applies deltas exactly as sync.messages.apply_delta does (4d) ---------------------

TEAMS = [f"t{k}" for k in range(8)]
ROW = st.fixed_dictionaries(
    {
        "rank": st.one_of(st.none(), st.integers(1, 9)),
        "team_name": st.sampled_from(["Aurora", "Basalt", "<b>x</b>"]),
        "total_score": st.one_of(st.none(), st.sampled_from([60.0, 87.67, 100.0])),
        "judge_count": st.integers(0, 3),
    }
)


@st.composite
def boards(draw: st.DrawFn) -> list[dict[str, object]]:
    teams = draw(st.lists(st.sampled_from(TEAMS), unique=True, max_size=6))
    return [{"team_id": team, **draw(ROW)} for team in teams]


@st.composite
def deltas(draw: st.DrawFn, old: list[dict[str, object]]) -> dict[str, object]:
    """A delta as the host makes one (feeds.board_delta from `old` to another board), or now and
    then one whose parts are drawn at random (one that may not fit `old`)."""
    if draw(st.booleans()):
        new = draw(boards())
        rows, removed, runs = feeds.board_delta(old, new)
        count = len(new)
    else:
        count = draw(st.integers(0, 7))
        places = draw(st.lists(st.integers(0, max(0, count - 1)), max_size=count if count else 0))
        rows = [(pos, {"team_id": draw(st.sampled_from(TEAMS)), **draw(ROW)}) for pos in places]
        removed = draw(st.lists(st.sampled_from(TEAMS), max_size=3))
        runs = []
        if count:
            pos = draw(st.integers(0, count - 1))
            by = draw(st.sampled_from([-2, -1, 1, 3]))
            runs = draw(st.lists(st.just((pos, draw(st.integers(1, count - pos)), by)), max_size=1))
    message = m.LeaderboardDelta(
        1, 0, "live", count, tuple(rows), tuple(removed), "", ranks=tuple(runs)
    )
    return message.to_wire()


@pytest.fixture(scope="module")
def page_script(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebDriver]:
    """The public page loaded once, for its script's applyDelta (a pure function).

    The host is closed before the property runs: its loop thread's websockets keepalive pings
    draw from the global `random`, and hypothesis fails a draw that sees that state change."""
    driver = chromium(PHONE)
    try:
        with live_host(tmp_path_factory.mktemp("delta")) as served:
            driver.get(served.page)
            wait(driver, lambda: bool(driver.execute_script("return !!window.Tallyboard")))
        yield driver
    finally:
        driver.quit()


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_the_page_applies_a_delta_exactly_as_the_python_peer_does(
    page_script: WebDriver, data: st.DataObject
) -> None:
    cases = []
    for _ in range(10):  # ten a round trip to the browser
        old = data.draw(boards())
        cases.append((old, data.draw(deltas(old))))
    made = page_script.execute_script(
        "return arguments[0].map(([old, d]) => window.Tallyboard.applyDelta(old, d));", cases
    )
    for (old, wire), js in zip(cases, made, strict=True):
        python = m.apply_delta(old, m.parse_leaderboard_delta(wire))
        assert js == python, (old, wire)
