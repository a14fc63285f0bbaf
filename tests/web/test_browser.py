"""The pages in a real browser: Debian's chromium, headless, driven by selenium through
chromium-driver, at a phone's size and a desktop's, against a host served on loopback."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.wait import WebDriverWait

from tests.web.kit import CHROMEDRIVER, CHROMIUM, DESKTOP, PHONE, LiveHost, chromium, live_host

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
