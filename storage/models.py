"""Peewee models of the tables that are read and written row by row, outside the op hot path."""

from __future__ import annotations

import peewee

# Bound to a database per replica with `bind_ctx`/`bind`; see storage.replica.


class Setting(peewee.Model):
    """Settings of this installation: device id, key, clock, event id."""

    key = peewee.TextField(primary_key=True)
    value = peewee.TextField()

    class Meta:
        table_name = "meta"


class JoinCode(peewee.Model):
    """A host-only join code for a judge, a team, or every display."""

    code = peewee.TextField(primary_key=True)
    role = peewee.TextField()
    subject = peewee.TextField(null=True)
    created_ms = peewee.IntegerField()

    class Meta:
        table_name = "join_code"


class Token(peewee.Model):
    """A host-only device token, stored as its SHA-256 so a copied database reveals none."""

    hash = peewee.TextField(primary_key=True)
    device = peewee.TextField()
    created_ms = peewee.IntegerField()

    class Meta:
        table_name = "token"


class DeviceSeen(peewee.Model):
    """What the host last saw of a device's link."""

    device = peewee.TextField(primary_key=True)
    last_seen_ms = peewee.IntegerField()
    address = peewee.TextField(default="")
    pending = peewee.IntegerField(default=0)
    clock_offset_ms = peewee.IntegerField(default=0)

    class Meta:
        table_name = "device_seen"


MODELS = (Setting, JoinCode, Token, DeviceSeen)
