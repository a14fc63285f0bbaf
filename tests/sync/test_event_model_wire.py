"""A hostile judge against rounds and prizes, over a real socket to a running host (issue 11).

The client is a raw websockets peer (tests.kit.Client), not the product's PeerLink: it signs
what it likes with its own paired key and sends it on 127.0.0.1 to a host serving the demo
event, which has two prizes and a finals round.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from storage.boards import board
from storage.hlc import system_ms
from storage.signing import DeviceKey
from tests.conftest import OpFactory
from tests.kit import Client, run, served_demo

SCORES = {"innovation": 70, "design": 80, "execution": 90}


@dataclass
class Laptop:
    """The hostile judge's device: its id and key (what Client.join pairs)."""

    device: str
    key: DeviceKey


def sheet(team: str, **extra: Any) -> dict[str, Any]:
    return {"team": team, "scores": dict(SCORES), "comment": "", "final": True, **extra}


async def submit(client: Client, *ops: dict[str, Any]) -> dict[str, str | None]:
    """Send one submit frame; return each op's outcome: None when accepted, else its code."""
    await client.ws.send(json.dumps({"type": "submit", "ops": list(ops)}))
    ack = await client.expect("ack")
    outcome: dict[str, str | None] = dict.fromkeys(ack["accepted"])
    outcome |= {r["id"]: r["code"] for r in ack["rejected"]}
    return outcome


def test_a_judge_cannot_score_a_closed_round_a_non_finalist_or_run_the_rounds(
    tmp_path: Path,
) -> None:
    async def main() -> None:
        async with served_demo(tmp_path) as (server, codes):
            laptop = Laptop(str(uuid.uuid4()), DeviceKey.generate())
            judge = OpFactory(
                "judge-ada", device=laptop.device, key=laptop.key, start_ms=system_ms()
            )
            client = await Client.open(server.url)
            await client.join(laptop, codes[("judge", "judge-ada")])
            ops = {
                "finals while in setup": judge.wire(
                    "sheet.save", sheet("team-aurora", round="finals")
                ),
                "open the finals": judge.wire(
                    "round.phase", {"round": "finals", "phase": "scoring"}
                ),
                "make itself a finalist": judge.wire(
                    "finalist.put", {"round": "finals", "team": "team-basalt", "finalist": True}
                ),
                "a prize it does not judge": judge.wire(
                    "sheet.save",
                    {**sheet("team-basalt"), "scores": {**SCORES, "open-data": 10}},
                ),
                "the first round by name": judge.wire(
                    "sheet.save", sheet("team-aurora", round="main")
                ),
                "a round that is not": judge.wire(
                    "sheet.save", sheet("team-aurora", round="semis")
                ),
            }
            outcome = await submit(client, *ops.values())
            assert {what: outcome[op["id"]] for what, op in ops.items()} == {
                "finals while in setup": "scoring_closed",
                "open the finals": "forbidden",
                "make itself a finalist": "forbidden",
                "a prize it does not judge": "unknown_criterion",
                "the first round by name": "invalid",
                "a round that is not": "invalid",
            }
            server.admin("round.phase", {"round": "finals", "phase": "scoring"})
            finals = judge.wire("sheet.save", sheet("team-basalt", round="finals"))
            assert (await submit(client, finals))[finals["id"]] == "forbidden"  # no finalist
            server.admin(
                "finalist.put", {"round": "finals", "team": "team-basalt", "finalist": True}
            )
            finals = judge.wire("sheet.save", sheet("team-basalt", round="finals"))
            assert (await submit(client, finals))[finals["id"]] is None
            state = server.replica.state
            assert state.round_sheet("finals", "judge-ada", "team-basalt") is not None
            # Nothing reached the first round: its board and its sheets are as they were.
            assert state.sheets() == []
            assert all(row.judge_count == 0 for row in board(state).rows)
            server.admin("event.set", {"field": "phase", "value": "locked"})
            late = judge.wire("sheet.save", sheet("team-aurora"))
            assert (await submit(client, late))[late["id"]] == "scoring_closed"
            await client.close()

    run(main())
