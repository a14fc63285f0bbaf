"""Ed25519 device keys and op signatures over canonical JSON (PROTOCOL.md section 5)."""

from __future__ import annotations

import base64
import binascii
import functools
import json
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
)

# One encoder for every call: json.dumps with options builds a new one each time (issue 14).
_CANONICAL = json.JSONEncoder(
    sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
)


def canonical_json(value: Any) -> bytes:
    """Return the canonical JSON of `value`: sorted keys, no spaces, UTF-8, non-ASCII unescaped."""
    return _CANONICAL.encode(value).encode("utf-8")


def b64encode(data: bytes) -> str:
    """Encode bytes as standard padded base64 text."""
    return base64.b64encode(data).decode("ascii")


def b64decode(text: str) -> bytes:
    """Decode strict standard base64 text or raise ValueError."""
    try:
        return base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError) as exc:
        raise ValueError("not base64") from exc


class DeviceKey:
    """A device's Ed25519 key pair."""

    def __init__(self, private: Ed25519PrivateKey) -> None:
        self._private = private

    @classmethod
    def generate(cls) -> DeviceKey:
        """Make a new random key pair."""
        return cls(Ed25519PrivateKey.generate())

    @classmethod
    def from_private_bytes(cls, raw: bytes) -> DeviceKey:
        """Load a key pair from its raw 32-byte private key."""
        return cls(Ed25519PrivateKey.from_private_bytes(raw))

    def private_bytes(self) -> bytes:
        """Return the raw 32-byte private key."""
        return self._private.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())

    @property
    def public_b64(self) -> str:
        """The raw public key in base64, as it travels in `hello` and `device.put`."""
        raw = self._private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        return b64encode(raw)

    def sign(self, message: bytes) -> str:
        """Return the base64 signature of `message`."""
        return b64encode(self._private.sign(message))


def signing_payload(op: dict[str, Any]) -> bytes:
    """Return the bytes an op's `sig` signs: its canonical JSON without `sig`."""
    return canonical_json({k: v for k, v in op.items() if k != "sig"})


def valid_public_key(text: str) -> bool:
    """Tell whether `text` is a base64 raw Ed25519 public key."""
    try:
        raw = b64decode(text)
        Ed25519PublicKey.from_public_bytes(raw)
    except ValueError:
        return False
    return True


@functools.lru_cache(maxsize=4096)
def _public_key(public_b64: str) -> Ed25519PublicKey:
    """Load a public key once: a host verifies every op of a device against the same key."""
    return Ed25519PublicKey.from_public_bytes(b64decode(public_b64))


def verify(message: bytes, signature_b64: str, public_b64: str) -> bool:
    """Tell whether `signature_b64` is a valid signature of `message` by `public_b64`."""
    try:
        public = _public_key(public_b64)
        public.verify(b64decode(signature_b64), message)
    except (ValueError, InvalidSignature):
        return False
    return True
