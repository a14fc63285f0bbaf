"""Seed the demo event shipped in resources/, once: criteria, prizes, a finals round, teams,
judges, codes, scoring open."""

from __future__ import annotations

import json
from typing import Any

import resources
from storage.replica import Replica

DEMO_FILE = "demo_event.json"


def load_demo() -> dict[str, Any]:
    """Return the demo event description."""
    with resources.path(DEMO_FILE).open(encoding="utf-8") as handle:
        data: dict[str, Any] = json.load(handle)
    return data


def seed_demo(replica: Replica) -> bool:
    """Seed the demo event into a host replica; return False when it was seeded before.

    Every entity has a fixed id, so even a seed cut short and run again duplicates nothing.
    """
    if replica.setting("demo") == "seeded":
        return False
    demo = load_demo()
    replica.register_self()
    replica.admin("event.set", {"field": "name", "value": demo["name"]})
    for order, prize in enumerate(demo.get("prizes", [])):
        replica.admin("prize.put", {**prize, "order": order})
    for order, criterion in enumerate(demo["criteria"]):
        replica.admin("criterion.put", {**criterion, "order": order})
    for team in demo["teams"]:
        replica.admin("team.put", team)
    for judge in demo["judges"]:
        replica.admin("judge.put", judge)
    # The finals open in setup: the organiser picks its finalists from the first round's results.
    for order, round_ in enumerate(demo.get("rounds", []), start=1):
        replica.admin("round.put", {**round_, "order": order})
    for field, value in demo["settings"].items():
        replica.admin("event.set", {"field": field, "value": value})
    replica.ensure_codes()
    replica.set_setting("demo", "seeded")
    return True
