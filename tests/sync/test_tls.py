"""Tests for the host certificate, its fingerprint, the TLS contexts and pin checking."""

from __future__ import annotations

import asyncio
import datetime
import hashlib
import os
import re
import ssl
import tempfile
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.x509.oid import NameOID

from sync.tls import (
    PinMismatch,
    check_pin,
    client_context,
    fingerprint_der,
    fingerprint_pem,
    make_certificate,
    peer_fingerprint,
    server_context,
)

FINGERPRINT = re.compile(r"[0-9a-f]{64}")


@pytest.fixture(scope="module")
def pair() -> tuple[bytes, bytes]:
    """One host certificate and key (PEM), made once for the module."""
    return make_certificate("Regional Finals")


@pytest.fixture(scope="module")
def other_pair() -> tuple[bytes, bytes]:
    """A second certificate, as an impostor (or a reinstalled host) would present."""
    return make_certificate("Regional Finals")


# --- certificates and fingerprints -------------------------------------------------------------


def test_fingerprint_is_the_sha256_of_the_der_bytes(pair: tuple[bytes, bytes]) -> None:
    cert_pem, _ = pair
    der = x509.load_pem_x509_certificate(cert_pem).public_bytes(serialization.Encoding.DER)
    assert fingerprint_pem(cert_pem) == hashlib.sha256(der).hexdigest()
    assert fingerprint_der(der) == hashlib.sha256(der).hexdigest()
    assert FINGERPRINT.fullmatch(fingerprint_pem(cert_pem))


def test_each_certificate_has_its_own_fingerprint(
    pair: tuple[bytes, bytes], other_pair: tuple[bytes, bytes]
) -> None:
    assert fingerprint_pem(pair[0]) != fingerprint_pem(other_pair[0])


def test_certificate_is_self_signed_and_valid_now_for_years(pair: tuple[bytes, bytes]) -> None:
    cert = x509.load_pem_x509_certificate(pair[0])
    assert cert.subject == cert.issuer
    assert cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == "Regional Finals"
    now = datetime.datetime.now(datetime.UTC)
    assert cert.not_valid_before_utc < now < cert.not_valid_after_utc
    assert cert.not_valid_after_utc - now > datetime.timedelta(days=365 * 5)


def test_certificate_key_matches_the_certificate(pair: tuple[bytes, bytes]) -> None:
    cert_pem, key_pem = pair
    key = serialization.load_pem_private_key(key_pem, password=None)
    public = x509.load_pem_x509_certificate(cert_pem).public_key()
    der = serialization.Encoding.DER
    spki = serialization.PublicFormat.SubjectPublicKeyInfo
    assert key.public_key().public_bytes(der, spki) == public.public_bytes(der, spki)


@pytest.mark.parametrize(
    ("name", "common_name"),
    [("", "Tallyboard host"), ("Zoë's 🎉 night", "Zoë's 🎉 night"), ("x" * 100, "x" * 64)],
    ids=["empty", "unicode", "long"],
)
def test_certificate_names_are_always_acceptable(name: str, common_name: str) -> None:
    cert = x509.load_pem_x509_certificate(make_certificate(name)[0])
    assert cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == common_name


# --- server context ----------------------------------------------------------------------------


def test_server_context_loads_the_pair_and_leaves_no_file_behind(
    pair: tuple[bytes, bytes], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    opened: list[tuple[str, int, int]] = []
    real_open = os.open

    def spy_open(path: Any, flags: int, mode: int = 0o777, *args: Any, **kwargs: Any) -> int:
        opened.append((str(path), flags, mode))
        return real_open(path, flags, mode, *args, **kwargs)

    monkeypatch.setattr(os, "open", spy_open)
    context = server_context(*pair)
    assert isinstance(context, ssl.SSLContext)
    assert context.minimum_version >= ssl.TLSVersion.TLSv1_2
    key_files = [
        entry
        for entry in opened
        if entry[0].startswith(str(tmp_path)) and entry[0].endswith("key.pem")
    ]
    assert len(key_files) == 1, "the key was expected to be written under the temporary directory"
    _, flags, mode = key_files[0]
    assert mode == 0o600
    assert flags & os.O_EXCL
    assert list(tmp_path.iterdir()) == []


def test_server_context_refuses_a_key_of_another_certificate_and_cleans_up(
    pair: tuple[bytes, bytes],
    other_pair: tuple[bytes, bytes],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    with pytest.raises(ssl.SSLError):
        server_context(pair[0], other_pair[1])
    assert list(tmp_path.iterdir()) == []


def test_client_context_trusts_by_pin_not_by_authority() -> None:
    context = client_context()
    assert context.verify_mode == ssl.CERT_NONE
    assert not context.check_hostname
    assert context.minimum_version >= ssl.TLSVersion.TLSv1_2


# --- pins --------------------------------------------------------------------------------------


def test_check_pin_without_a_pin_accepts_and_returns_the_presented_one() -> None:
    assert check_pin("ab" * 32, None) == "ab" * 32


def test_check_pin_accepts_the_pinned_fingerprint_in_any_case() -> None:
    assert check_pin("ab" * 32, "ab" * 32) == "ab" * 32
    assert check_pin("ab" * 32, "AB" * 32) == "ab" * 32
    assert check_pin("ab" * 32, "aB" * 32) == "ab" * 32


def test_check_pin_refuses_another_fingerprint_with_a_helpful_message() -> None:
    pinned, presented = "ab" * 32, "cd" * 32
    with pytest.raises(PinMismatch) as caught:
        check_pin(presented, pinned)
    message = str(caught.value)
    assert pinned[:8] in message
    assert presented[:8] in message
    assert "certificate changed" in message
    assert "organiser rebuilt the host" in message
    assert caught.value.presented == presented  # offered to the user to compare and trust


@pytest.mark.parametrize("pinned", [None, "ab" * 32])
def test_check_pin_refuses_a_host_that_presented_no_certificate(pinned: str | None) -> None:
    with pytest.raises(PinMismatch, match="no certificate"):
        check_pin(None, pinned)


def test_peer_fingerprint_of_no_tls_is_none() -> None:
    assert peer_fingerprint(None) is None


# --- a real handshake on loopback --------------------------------------------------------------


async def _presented_fingerprint(cert_pem: bytes, key_pem: bytes, port: int) -> tuple[str, int]:
    """Serve `cert_pem` on 127.0.0.1:`port` (0: any), connect over TLS, and return what the
    client saw as the server's fingerprint, and the port used."""
    handled = asyncio.Event()

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            writer.write(b"hi")
            await writer.drain()
            await reader.read()  # until the client closes
        finally:
            writer.close()
            await writer.wait_closed()
            handled.set()

    server = await asyncio.start_server(
        handle, "127.0.0.1", port, ssl=server_context(cert_pem, key_pem)
    )
    try:
        port = server.sockets[0].getsockname()[1]
        reader, writer = await asyncio.wait_for(
            asyncio.open_connection("127.0.0.1", port, ssl=client_context()), 10
        )
        try:
            assert await asyncio.wait_for(reader.readexactly(2), 10) == b"hi"
            presented = peer_fingerprint(writer.get_extra_info("ssl_object"))
        finally:
            writer.close()
            await writer.wait_closed()
        await asyncio.wait_for(handled.wait(), 10)
    finally:
        server.close()
        await server.wait_closed()
    assert presented is not None
    return presented, port


def test_handshake_presents_the_fingerprint_of_the_host_certificate(
    pair: tuple[bytes, bytes],
) -> None:
    presented, _ = asyncio.run(_presented_fingerprint(*pair, 0))
    assert presented == fingerprint_pem(pair[0])
    assert check_pin(presented, fingerprint_pem(pair[0])) == presented


def test_pin_refuses_another_certificate_at_the_same_address(
    pair: tuple[bytes, bytes], other_pair: tuple[bytes, bytes]
) -> None:
    async def both() -> tuple[str, str]:
        first, port = await _presented_fingerprint(*pair, 0)
        second, _ = await _presented_fingerprint(*other_pair, port)
        return first, second

    first, second = asyncio.run(both())
    pinned = check_pin(first, None)  # trust on first use
    assert second == fingerprint_pem(other_pair[0]) != first
    with pytest.raises(PinMismatch):
        check_pin(second, pinned)
