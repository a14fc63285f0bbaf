"""A host rebuilt from a judge's replica, over real TLS links: paired laptops rejoin it without
new codes (once their users trust its new certificate), relay what they hold, and lose nothing."""

from __future__ import annotations

import asyncio
from pathlib import Path

from storage.rebuild import rebuild_host
from storage.replica import Replica
from sync.peer import PeerLink
from tests.kit import Cleanup, closing, free_port, run, until
from tests.sync.test_peer import body, demo_host, link, server


async def online(c: Cleanup, peer: PeerLink) -> asyncio.Task[None]:
    task = c.task(peer)
    await peer.wait_online(10)
    return task


async def stop(peer: PeerLink, task: asyncio.Task[None]) -> None:
    await peer.stop()
    await task


def own_accepted(replica: Replica) -> set[str]:
    rows = replica.db.execute_sql(
        "SELECT id FROM op WHERE device = ? AND status = 'accepted'", (replica.device_id,)
    )
    return {row[0] for row in rows}


def test_paired_laptops_rejoin_a_rebuilt_host_and_every_acked_sheet_is_there(
    tmp_path: Path,
) -> None:
    async def main(c: Cleanup) -> None:
        old, codes = demo_host(c, tmp_path / "old-host.db")
        port = free_port()
        hub = server(old, port, secure=True)
        await c.serve(hub)
        ada = c.replica(Replica.open(tmp_path / "ada.db"))
        bao = c.replica(Replica.open(tmp_path / "bao.db"))
        ada_link = link(ada, port, codes[("judge", "judge-ada")], secure=True)
        bao_link = link(bao, port, codes[("judge", "judge-bao")], secure=True)
        ada_task, bao_task = await online(c, ada_link), await online(c, bao_link)
        for team, score in (("team-aurora", 70), ("team-basalt", 80)):
            ada.make("sheet.save", body(team, score), "judge-ada")
            ada_link.saved()
        bao.make("sheet.save", body("team-aurora", 90), "judge-bao")
        bao_link.saved()
        await until(lambda: ada.pending_count() == 0 and bao.pending_count() == 0)
        await stop(bao_link, bao_task)
        # Bao goes on scoring offline; the organiser sends a notice Ada alone receives.
        bao.make("sheet.save", body("team-cobalt", 60), "judge-bao")
        hub.admin("notify", {"audience": "judges", "target": None, "message": "Finals at 4"})
        await until(lambda: any(k.startswith("notify/") for k in ada.state.entries))
        acked = own_accepted(ada) | own_accepted(bao)
        assert len(acked) == 3
        # The host laptop dies. On a spare laptop the organiser rebuilds it from Ada's replica.
        await stop(ada_link, ada_task)
        await hub.stop()
        old_fp = hub.fingerprint
        report = rebuild_host(tmp_path / "ada.db", tmp_path / "new-host.db")
        assert report.source_judge.startswith("Ada")
        assert "Bao" in " ".join(report.paired)
        new = c.replica(Replica.open(tmp_path / "new-host.db"))
        new_port = free_port()
        new_hub = server(new, new_port, secure=True)
        await c.serve(new_hub)
        assert new_hub.fingerprint != old_fp

        # Bao's laptop finds the event again: the new certificate is refused until trusted.
        bao_link = link(bao, new_port, secure=True)
        bao_task = c.task(bao_link)
        await until(lambda: bao_link.status.offered_fp is not None, 10)
        await stop(bao_link, bao_task)  # it would go on trying, still offering it (8a)
        assert bao_link.status.state == "refused"
        assert bao_link.status.offered_fp == new_hub.fingerprint
        assert "rebuilt" in bao_link.status.last_error
        assert bao.pending_count() == 1  # nothing lost while refused
        bao_link.trust(bao_link.status.offered_fp or "")
        bao_link = link(bao, new_port, secure=True)  # no code: Bao proves its key instead
        bao_task = await online(c, bao_link)
        await until(lambda: bao.pending_count() == 0)
        assert bao_link.status.offered_fp is None
        ada_link = link(ada, new_port, secure=True)
        ada_link.trust(new_hub.fingerprint or "")
        ada_task = await online(c, ada_link)
        await until(lambda: ada.pending_count() == 0)

        for op_id in acked | own_accepted(bao):
            stored = new.stored(op_id)
            assert stored is not None, op_id
            assert stored.status == "accepted", op_id
        assert new.state.sheet("judge-bao", "team-cobalt") is not None
        assert any(k.startswith("notify/") for k in new.state.entries)
        # An unpaired judge joins the rebuilt host with the new code it issued.
        carmen = c.replica(Replica.open(tmp_path / "carmen.db"))
        code = new.code_for("judge", "judge-carmen")
        assert code is not None
        assert code != codes[("judge", "judge-carmen")]
        carmen_link = link(carmen, new_port, code, secure=True)
        carmen_link.trust(new_hub.fingerprint or "")
        carmen_task = await online(c, carmen_link)
        assert carmen_link.status.subject == "judge-carmen"
        for peer, task in ((carmen_link, carmen_task), (ada_link, ada_task), (bao_link, bao_task)):
            await stop(peer, task)
        await new_hub.stop()
        for replica in (old, new, ada, bao, carmen):
            replica.close()

    run(closing(main))
