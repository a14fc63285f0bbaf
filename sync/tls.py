"""The host's self-signed certificate, its SHA-256 fingerprint, and the TLS contexts that pin it."""

from __future__ import annotations

import datetime
import hashlib
import os
import ssl
import tempfile
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID


class PinMismatch(Exception):
    """The host presented a certificate other than the one this peer pinned."""

    def __init__(self, message: str, presented: str | None = None) -> None:
        super().__init__(message)
        self.presented = presented  # the new fingerprint, for the user to compare and trust


def make_certificate(name: str, now: datetime.datetime | None = None) -> tuple[bytes, bytes]:
    """Make a self-signed certificate for the host of one event; return (cert PEM, key PEM)."""
    now = now or datetime.datetime.now(datetime.UTC)
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name[:64] or "Tallyboard host")])
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=3650))
        .sign(key, hashes.SHA256())
    )
    return (
        cert.public_bytes(serialization.Encoding.PEM),
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ),
    )


def fingerprint_der(der: bytes) -> str:
    """Return the SHA-256 of a certificate's DER bytes, lowercase hex (PROTOCOL.md section 1)."""
    return hashlib.sha256(der).hexdigest()


def fingerprint_pem(cert_pem: bytes) -> str:
    """Return the fingerprint of a PEM certificate."""
    cert = x509.load_pem_x509_certificate(cert_pem)
    return fingerprint_der(cert.public_bytes(serialization.Encoding.DER))


def server_context(cert_pem: bytes, key_pem: bytes) -> ssl.SSLContext:
    """Return a TLS server context for the host's certificate."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    # load_cert_chain reads files only: write them where only this user can read, then remove.
    with tempfile.TemporaryDirectory(prefix="tallyboard-tls-") as folder:
        cert_path, key_path = Path(folder) / "cert.pem", Path(folder) / "key.pem"
        cert_path.write_bytes(cert_pem)
        fd = os.open(key_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(key_pem)
        context.load_cert_chain(cert_path, key_path)
    return context


def client_context() -> ssl.SSLContext:
    """Return a TLS client context for a self-signed host; the pin is checked by `check_pin`.

    No certificate authority vouches for a venue laptop, so trust comes from the pinned
    fingerprint alone, checked before the peer sends any secret.
    """
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


def peer_fingerprint(ssl_object: ssl.SSLObject | ssl.SSLSocket | None) -> str | None:
    """Return the fingerprint of the certificate a TLS connection presented."""
    if ssl_object is None:
        return None
    der = ssl_object.getpeercert(binary_form=True)
    return None if der is None else fingerprint_der(der)


def check_pin(presented: str | None, pinned: str | None) -> str:
    """Return the fingerprint to keep, or raise PinMismatch if it differs from the pinned one."""
    if presented is None:
        raise PinMismatch("the host presented no certificate")
    if pinned is not None and presented != pinned.lower():
        raise PinMismatch(
            f"the host's certificate changed (was {pinned[:8]}…, now {presented[:8]}…): if the"
            " organiser rebuilt the host, compare fingerprints and trust it; if not, someone"
            " may be impersonating the host",
            presented,
        )
    return presented
