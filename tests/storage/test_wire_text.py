"""A stored op's wire text spliced from its row equals its canonical encoding (issue 14)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from storage import replica as replica_module
from storage.demo import seed_demo
from storage.ops import Op
from storage.replica import Replica
from storage.signing import canonical_json

_TEXT = st.text(st.characters(codec="utf-8"), max_size=12)  # unicode, quotes, controls, escapes
_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(-(10**30), 10**30)
    | _TEXT
    | st.floats(allow_nan=False, allow_infinity=False)
)
_BODIES = st.dictionaries(
    _TEXT, st.recursive(_SCALARS, lambda inner: st.lists(inner) | st.dictionaries(_TEXT, inner))
)


@given(body=_BODIES, strings=st.lists(_TEXT, min_size=6, max_size=6), n=st.integers(1, 2**62))
def test_a_stored_ops_spliced_text_is_its_canonical_encoding(
    body: dict[str, Any], strings: list[str], n: int
) -> None:
    op = Op(strings[0], strings[1], n, strings[2], strings[3], strings[4], body, strings[5])
    row = (op.id, op.device, op.n, op.hlc, op.author, op.kind, op.body_json, op.sig, 7)
    text = replica_module.wire_text(row)
    if text is None:  # a deep body: decoded, as every stored body used to be
        assert op.body_json.count("{") + op.body_json.count("[") > 32
    else:
        assert text == op.canonical.decode("utf-8")
        assert json.loads(text) == json.loads(op.canonical)


def test_accepted_texts_since_matches_accepted_since_text_for_text(tmp_path: Path) -> None:
    host = Replica.open(tmp_path / "host.db", durable=False)
    seed_demo(host)
    host.admin("team.put", {"id": "t-uni", "name": 'Ünïcødé "quoted" \\ \u2028 tab\t'})
    deep = {"id": "t-deep", "name": "Deep"}
    stored = host.admin("team.put", deep)
    # A row stored before bodies were bounded: deeper than any body accepted today.
    nested: Any = 1
    for _ in range(40):
        nested = [nested]
    host.db.execute_sql(
        "UPDATE op SET body = ? WHERE id = ?",
        (canonical_json({**deep, "x": nested}).decode(), stored.id),
    )
    for vv in ({}, {host.device_id: 3}):
        old = host.accepted_since(vv)
        new = host.accepted_texts_since(vv, None, {"team.put"})
        assert [t for t, _ in new] == [op.canonical.decode("utf-8") for op in old]
        assert [op for _, op in new if op is not None] == [
            op for op in old if op.kind == "team.put"
        ]
        assert any(op.id == stored.id for op in old)
    host.close()
