"""Tests for the event file: JSON and TOML, dump-load-dump, and bad files refused whole."""

from __future__ import annotations

import json
import tempfile
import tomllib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storage import eventfile
from storage.export import to_json as export_json
from storage.replica import Replica

EVENT: dict[str, Any] = {
    "event": {"name": "Harbour Hack", "tie_break": ["#sheets", "design"], "normalise": "shown"},
    "criteria": [
        {"id": "design", "name": "Design", "weight": 1, "min": 0, "max": 10, "step": 0.5},
        {"id": "impact", "name": 'Impact "big"', "weight": 2.5, "min": 1, "max": 5, "step": 1},
        {
            "id": "api",
            "name": "API use",
            "weight": 1,
            "min": 0,
            "max": 100,
            "step": 1,
            "prize": "acme",
        },
        {
            "id": "pitch",
            "name": "Pitch",
            "weight": 1,
            "min": 0,
            "max": 10,
            "step": 1,
            "round": "finals",
        },
    ],
    "prizes": [
        {
            "id": "acme",
            "name": "Acme API prize",
            "sponsor": "Acme",
            "eligibility": "opt_in",
            "judges": "listed",
        },
        {"id": "secret", "name": "Jury's pick", "hidden": True},
    ],
    "rounds": [
        {
            "id": "finals",
            "name": "Finals",
            "finalists": "top_overall",
            "finalists_n": 2,
            "result": "weighted",
            "previous_weight": 0.3,
            "normalise": "ranks",
        },
    ],
    "teams": [
        {
            "id": "t1",
            "name": "Aurora",
            "location": "Table 1",
            "members": ["Ines", "Kwame"],
            "prizes": ["acme"],
        },
        {"id": "t2", "name": "Basalt\u00e9 \u2603", "members": []},
    ],
    "judges": [
        {"id": "j1", "name": "Ada", "conflicts": ["t2"], "prizes": ["acme"]},
        {"id": "j2", "name": "Bao"},
    ],
    "assignments": [
        {"judge": "j2", "team": "t1"},
        {"judge": "j1", "team": "t1", "round": "finals"},
    ],
    "finalists": [{"round": "finals", "team": "t1"}],
}


def fresh(folder: Path, name: str = "host.db") -> Replica:
    replica = Replica.open(folder / name, durable=False)
    replica.register_self()
    return replica


def load(replica: Replica, text: str, fmt: str) -> int:
    """Load a file as `main.py event --load` does; return the number of changes."""
    changes = eventfile.plan_event(eventfile.parse_text(text, fmt), replica.state)
    problems = eventfile.check_plan(changes, replica.state, 10**13)
    if problems:
        raise eventfile.EventFileError(problems)
    replica.admin_all([(c.kind, c.body) for c in changes])
    return len(changes)


@pytest.mark.parametrize("fmt", eventfile.FORMATS)
def test_dump_load_dump_gives_the_same_bytes(tmp_path: Path, fmt: str) -> None:
    first = fresh(tmp_path, "a.db")
    load(first, json.dumps(EVENT), "json")
    dumped = eventfile.render(first.state, fmt)
    second = fresh(tmp_path, "b.db")
    load(second, dumped, fmt)
    assert eventfile.render(second.state, fmt) == dumped
    assert load(second, dumped, fmt) == 0  # loading the same file again changes nothing
    assert eventfile.parse_text(dumped, fmt) == eventfile.dump_event(first.state)
    assert second.state.team("t1")["prizes"] == ["acme"]  # type: ignore[index]
    assert second.state.round("finals")["previous_weight"] == 0.3  # type: ignore[index]
    first.close()
    second.close()


def test_toml_dump_reads_back_with_tomllib(tmp_path: Path) -> None:
    replica = fresh(tmp_path)
    load(replica, json.dumps(EVENT), "json")
    text = eventfile.render(replica.state, "toml")
    assert tomllib.loads(text) == json.loads(eventfile.render(replica.state, "json"))
    assert '[[prizes]]\nid = "acme"' in text
    replica.close()


def test_a_file_can_update_the_event_and_drop_what_it_leaves_out(tmp_path: Path) -> None:
    replica = fresh(tmp_path)
    load(replica, json.dumps(EVENT), "json")
    smaller = {**EVENT, "teams": EVENT["teams"][:1], "prizes": EVENT["prizes"][:1]}
    smaller["judges"] = [
        {"id": "j1", "name": "Ada Lovelace", "prizes": ["acme"]},
        EVENT["judges"][1],
    ]
    load(replica, json.dumps(smaller), "json")
    assert sorted(replica.state.teams()) == ["t1"]
    assert [p["id"] for p in replica.state.prizes()] == ["acme"]
    assert replica.state.judge("j1")["name"] == "Ada Lovelace"  # type: ignore[index]
    replica.close()


def test_a_bad_file_lists_every_problem_with_its_path_and_changes_nothing(tmp_path: Path) -> None:
    replica = fresh(tmp_path)
    load(replica, json.dumps(EVENT), "json")
    before = export_json(replica)
    bad = json.loads(json.dumps(EVENT))
    bad["criteria"][0]["min"] = 20  # above its max
    bad["teams"][1]["colour"] = "red"
    bad["judges"].append({"id": "j1", "name": "Twin"})
    bad["rounds"][0]["finalists_n"] = 0
    bad["event"]["phase"] = "scoring"
    bad["extra"] = {}
    with pytest.raises(eventfile.EventFileError) as raised:
        eventfile.plan_event(bad, replica.state)
    problems = raised.value.problems
    assert "criteria[0]: 'min' must be less than 'max'" in problems
    assert "teams[1]: unknown field 'colour'" in problems
    assert "judges[2]: the id 'j1' is used by judges[0] too" in problems
    assert any(p.startswith("rounds[0]: 'finalists_n'") for p in problems)
    assert any(p.startswith("event.phase: unknown event field") for p in problems)
    assert any(p.startswith("extra: unknown section") for p in problems)
    assert len(problems) == 6
    assert export_json(replica) == before
    replica.close()


def test_the_rules_refuse_what_the_console_may_not_do_and_nothing_changes(tmp_path: Path) -> None:
    replica = fresh(tmp_path)
    bad = json.loads(json.dumps(EVENT))
    bad["teams"][1]["prizes"] = ["nobody"]
    changes = eventfile.plan_event(bad, replica.state)
    problems = eventfile.check_plan(changes, replica.state, 10**13)
    # What depends on a refused op is refused too, each with its own reason.
    assert problems[:2] == [
        "teams[1]: there is no prize 'nobody' (invalid)",
        "judges[0]: conflict with unknown team 't2' (unknown_team)",
    ]
    bad = json.loads(json.dumps(EVENT))
    bad["assignments"].append({"judge": "j1", "team": "t2"})  # j1 has a conflict with t2
    problems = eventfile.check_plan(eventfile.plan_event(bad, replica.state), replica.state, 10**13)
    assert problems == [
        "assignments[2]: this judge has a conflict of interest with this team (forbidden)"
    ]
    assert replica.state.teams() == {}
    replica.close()


@pytest.mark.parametrize(
    ("text", "fmt", "expected"),
    [
        ('{\n  "event": {\n    "name": "x",\n  }\n}', "json", "line 4: not JSON"),
        ('[event]\nname = "x"\nname = "y"\n', "toml", "line 3"),
        ("[1, 2]", "json", "the file must hold one object"),
    ],
)
def test_a_file_that_does_not_parse_names_its_line(text: str, fmt: str, expected: str) -> None:
    with pytest.raises(eventfile.EventFileError) as raised:
        eventfile.parse_text(text, fmt)
    assert expected in raised.value.problems[0]


NAMES = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    min_size=1,
    max_size=12,
).filter(lambda t: t.strip() == t and t.strip())
DOCS = st.fixed_dictionaries(
    {
        "name": NAMES,
        "teams": st.lists(st.tuples(NAMES, st.lists(NAMES, max_size=2), st.booleans()), max_size=4),
        "weights": st.lists(st.sampled_from([1, 2, 0.5, 1e-3, 123456.75]), min_size=1, max_size=3),
        "prize": st.booleans(),
        "round": st.booleans(),
        "tie_break": st.lists(st.sampled_from(["#sheets", "#median", "c0"]), unique=True),
    }
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(doc=DOCS, fmt=st.sampled_from(eventfile.FORMATS))
def test_any_event_round_trips_through_its_file(doc: dict[str, Any], fmt: str) -> None:
    event: dict[str, Any] = {
        "event": {"name": doc["name"], "tie_break": doc["tie_break"]},
        "criteria": [
            {"id": f"c{k}", "name": f"C{k}", "weight": w, "min": -1.5, "max": 10, "step": 0.25}
            for k, w in enumerate(doc["weights"])
        ],
        "teams": [
            {
                "id": f"t{k}",
                "name": name,
                "members": members,
                "prizes": ["p"] if opted and doc["prize"] else [],
            }
            for k, (name, members, opted) in enumerate(doc["teams"])
        ],
    }
    if doc["prize"]:
        event["prizes"] = [{"id": "p", "name": doc["name"], "eligibility": "opt_in"}]
    if doc["round"]:
        event["rounds"] = [
            {"id": "r2", "name": "Finals", "finalists": "top_per_prize", "finalists_n": 1}
        ]
    with tempfile.TemporaryDirectory() as folder:
        first = fresh(Path(folder), "a.db")
        load(first, json.dumps(event), "json")
        dumped = eventfile.render(first.state, fmt)
        second = fresh(Path(folder), "b.db")
        load(second, dumped, fmt)
        assert eventfile.render(second.state, fmt) == dumped
        assert eventfile.dump_event(second.state) == eventfile.dump_event(first.state)
        first.close()
        second.close()


@pytest.mark.xfail(
    strict=True,
    reason="plan_event puts rounds before judges, so a round that lists its judges is refused"
    " on a new event ('there is no judge'); found by tests/lan/test_prizes_rounds.py",
)
def test_a_new_event_whose_later_round_lists_its_judges_loads(tmp_path: Path) -> None:
    doc = {
        "judges": [{"id": "j1", "name": "Ada"}],
        "rounds": [{"id": "finals", "name": "Finals", "judges": ["j1"]}],
    }
    replica = fresh(tmp_path)
    try:
        load(replica, json.dumps(doc), "json")
        assert replica.state.round("finals")["judges"] == ["j1"]
    finally:
        replica.close()


@pytest.mark.xfail(
    strict=True,
    reason="a round's tie_break naming the round's own criterion needs the criterion first, and"
    " the criterion needs the round: no order of the two puts loads ('there is no criterion')",
)
def test_a_new_event_whose_later_round_breaks_ties_on_its_own_criterion_loads(
    tmp_path: Path,
) -> None:
    doc = {
        "criteria": [
            {
                "id": "pitch",
                "name": "Pitch",
                "weight": 1,
                "min": 1,
                "max": 5,
                "step": 1,
                "round": "finals",
            }
        ],
        "rounds": [{"id": "finals", "name": "Finals", "tie_break": ["pitch"]}],
    }
    replica = fresh(tmp_path)
    try:
        load(replica, json.dumps(doc), "json")
        assert replica.state.round("finals")["tie_break"] == ["pitch"]
    finally:
        replica.close()
