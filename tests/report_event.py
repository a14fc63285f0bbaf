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


def scored_event(folder: Path, *, names_judges: bool = False) -> Replica:
    """Return a host replica at folder/host.db holding the event above, scoring locked."""
    clock = FakeClock(BASE_MS)
    host = Replica.open(folder / "host.db", now=clock)
    host.register_self()
    host.admin("event.set", {"field": "name", "value": EVENT_NAME})
    for order, criterion in enumerate(CRITERIA):
        host.admin("criterion.put", {**criterion, "order": order})
    for team_id, name, location, members in TEAMS:
        host.admin(
            "team.put", {"id": team_id, "name": name, "location": location, "members": members}
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
        body = {
            "team": team,
            "scores": {"inn": inn, "des": des, "demo": demo},
            "comment": comment,
            "final": final,
        }
        outcome = host.submit([judges[judge_id].make("sheet.save", body, judge_id).to_wire()])
        assert outcome[0].accepted, outcome[0]
    for judge in judges.values():
        judge.close()
    host.admin("event.set", {"field": "phase", "value": "locked"})
    return host


def _device(judge: Replica, judge_id: str) -> dict[str, Any]:
    return {
        "device": judge.device_id,
        "pubkey": judge.key.public_b64,
        "role": "judge",
        "subject": judge_id,
        "name": "",
    }
