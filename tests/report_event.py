"""A small scored event for the document and chart tests: every figure below is worked by hand.

Criteria: Innovation 0..10 step 1 weight 2, Design 0..100 step 5 weight 1, Demo 1..5 step 0.5
weight 1; a sheet's score is (2 x Innovation% + Design% + Demo%) / 4.

| team      | final sheets (judge: Innovation, Design, Demo -> sheet score)      | total | rank |
| --------- | ------------------------------------------------------------------ | ----- | ---- |
| Aurora    | Ada: 9, 80, 4.5 -> 86.875; Grace: 8, 90, 5 -> 87.5                  | 87.19 | 1    |
| Basalt    | Ada: 7, 60, 3 -> 62.5; Grace: 7, 60, 3 -> 62.5                      | 62.50 | 2=   |
| Cobalt    | Alan: 7, 60, 3 -> 62.5                                             | 62.50 | 2=   |
| Driftwood | Alan: 4, 50, 2 -> 38.75 (and a draft of Grace's, which never counts) | 38.75 | 4    |
| Ember     | none                                                               | --    | -    |

Ada is assigned Aurora and Basalt; Grace has no list (every team); Alan has a conflict with
Aurora. Sheets arrive one a minute from BASE_MS, in the order of SHEETS.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from storage.replica import Replica
from tests.kit import BASE_MS, FakeClock

CRITERIA = [
    {"id": "inn", "name": "Innovation", "weight": 2, "min": 0, "max": 10, "step": 1},
    {"id": "des", "name": "Design", "weight": 1, "min": 0, "max": 100, "step": 5},
    {"id": "demo", "name": "Demo", "weight": 1, "min": 1, "max": 5, "step": 0.5},
]
TEAMS = [
    ("aurora", "Aurora", "Table 1", ["Ines Duarte", "Kwame Mensah"]),
    ("basalt", "Basalt", "Table 2", ["Mateo Rossi"]),
    ("cobalt", "Cobalt", "Table 3", []),
    ("driftwood", "Driftwood", "Table 4", []),
    ("ember", "Ember", "Table 5", []),
]
JUDGES = [
    ("ada", "Ada Lovelace", []),
    ("grace", "Grace Hopper", []),
    ("alan", "Alan Turing", ["aurora"]),
]
# (judge, team, innovation, design, demo, comment, final)
SHEETS: list[tuple[str, str, float, float, float, str, bool]] = [
    ("ada", "aurora", 9, 80, 4.5, "Bold idea, clean demo.", True),
    ("grace", "aurora", 8, 90, 5, "Polished and accessible.", True),
    ("ada", "basalt", 7, 60, 3, "Solid robot arm.", True),
    ("grace", "basalt", 7, 60, 3, "", True),
    ("alan", "cobalt", 7, 60, 3, "Needs a clearer pitch.", True),
    ("alan", "driftwood", 4, 50, 2, "Unfinished build.", True),
    ("grace", "driftwood", 9, 95, 5, "DRAFT NEVER PRINTED", False),
]
EVENT_NAME = "Harbour Finals 2026"

# The prized event (`prized_event`): the event above, plus two prizes and a finals round.
# "Best design" (sponsor Acme Studio, every team) ranks on its own criterion Craft alone:
# Basalt (Ada 9 -> 90) and Cobalt (Alan 9 -> 90) share first at 90.00 from 1 sheet each,
# Aurora (Ada 6, Grace 8 -> 60, 80) is third at 70.00; the other sheets score no Craft.
# "Best newcomers" (no sponsor, opt-in: Basalt, Driftwood) ranks on the event's criteria:
# Basalt 1 at 62.50, Driftwood 2 at 38.75. Finals: the top 2 overall (Aurora, Basalt and
# Cobalt, a tie at the cut), judged by Ada and Grace, ranked by normalised scores.
PRIZES = [
    {"id": "design", "name": "Best design", "sponsor": "Acme Studio", "order": 0},
    {"id": "rookie", "name": "Best newcomers", "eligibility": "opt_in", "order": 1},
]
HIDDEN_PRIZE = {"id": "pick", "name": "Judges' pick", "hidden": True, "order": 2}
CRAFT = {"id": "craft", "name": "Craft", "weight": 1, "min": 0, "max": 10, "step": 1}
CRAFT_SCORES = {("ada", "aurora"): 6, ("grace", "aurora"): 8, ("ada", "basalt"): 9}
CRAFT_SCORES[("alan", "cobalt")] = 9
ROOKIES = ("basalt", "driftwood")
# (judge, team, innovation, design, demo) -> sheet scores 92.5, 60, 78.75, 71.25, 81.875, 62.5
FINALS: list[tuple[str, str, float, float, float]] = [
    ("ada", "aurora", 9, 90, 5),
    ("ada", "basalt", 6, 70, 3),
    ("ada", "cobalt", 8, 80, 4),
    ("grace", "aurora", 7, 70, 4),
    ("grace", "basalt", 8, 80, 4.5),
    ("grace", "cobalt", 7, 60, 3),
]


def scored_event(
    folder: Path, *, names_judges: bool = False, prizes: bool = False, hidden: bool = False
) -> Replica:
    """Return a host replica at folder/host.db holding the event above, scoring locked.

    `prizes`: with the two prizes and Craft scores of the prized event (no finals yet);
    `hidden`: and a hidden prize, "Judges' pick" (every team, on the event's criteria).
    """
    clock = FakeClock(BASE_MS)
    host = Replica.open(folder / "host.db", now=clock)
    host.register_self()
    host.admin("event.set", {"field": "name", "value": EVENT_NAME})
    for order, criterion in enumerate(CRITERIA):
        host.admin("criterion.put", {**criterion, "order": order})
    if prizes:
        for prize in PRIZES + ([HIDDEN_PRIZE] if hidden else []):
            host.admin("prize.put", prize)
        host.admin("criterion.put", {**CRAFT, "prize": "design", "order": len(CRITERIA)})
    for team_id, name, location, members in TEAMS:
        opted = ["rookie"] if prizes and team_id in ROOKIES else []
        host.admin(
            "team.put",
            {"id": team_id, "name": name, "location": location, "members": members}
            | ({"prizes": opted} if opted else {}),
        )
    for judge_id, name, conflicts in JUDGES:
        host.admin("judge.put", {"id": judge_id, "name": name, "conflicts": conflicts})
    for team_id in ("aurora", "basalt"):
        host.admin("assign.put", {"judge": "ada", "team": team_id, "assigned": True})
    host.admin("event.set", {"field": "feedback_names_judges", "value": names_judges})
    host.admin("event.set", {"field": "phase", "value": "scoring"})
    judges = {}
    for judge_id, _, _ in JUDGES:
        judge = Replica.open(folder / f"{judge_id}.db", now=clock)
        host.admin("device.put", _device(judge, judge_id))
        judges[judge_id] = judge
    for judge_id, team, inn, des, demo, comment, final in SHEETS:
        clock.advance(60_000)
        craft = CRAFT_SCORES.get((judge_id, team)) if prizes else None
        body = {
            "team": team,
            "scores": {"inn": inn, "des": des, "demo": demo}
            | ({} if craft is None else {"craft": craft}),
            "comment": comment,
            "final": final,
        }
        outcome = host.submit([judges[judge_id].make("sheet.save", body, judge_id).to_wire()])
        assert outcome[0].accepted, outcome[0]
    for judge in judges.values():
        judge.close()
    host.admin("event.set", {"field": "phase", "value": "locked"})
    return host


def prized_event(folder: Path, *, hidden: bool = False) -> Replica:
    """Return the prized event: two prizes, Craft scores and a finals round scored and locked."""
    host = scored_event(folder, prizes=True, hidden=hidden)
    clock = FakeClock(BASE_MS + 8 * 60_000)  # after the first round, within the host's skew
    host.admin(
        "round.put",
        {
            "id": "finals",
            "name": "Finals",
            "order": 1,
            "judges": ["ada", "grace"],
            "finalists": "top_overall",
            "finalists_n": 2,
            "normalise": "ranks",
        },
    )
    for team_id in ("aurora", "basalt", "cobalt"):
        host.admin("finalist.put", {"round": "finals", "team": team_id, "finalist": True})
    host.admin("round.phase", {"round": "finals", "phase": "scoring"})
    judges = {j: Replica.open(folder / f"{j}.db", now=clock) for j in ("ada", "grace")}
    for judge_id, team, inn, des, demo in FINALS:
        body = {
            "team": team,
            "round": "finals",
            "scores": {"inn": inn, "des": des, "demo": demo},
            "comment": "",
            "final": True,
        }
        outcome = host.submit([judges[judge_id].make("sheet.save", body, judge_id).to_wire()])
        assert outcome[0].accepted, outcome[0]
    for judge in judges.values():
        judge.close()
    host.admin("round.phase", {"round": "finals", "phase": "locked"})
    return host


def _device(judge: Replica, judge_id: str) -> dict[str, Any]:
    return {
        "device": judge.device_id,
        "pubkey": judge.key.public_b64,
        "role": "judge",
        "subject": judge_id,
        "name": "",
    }
