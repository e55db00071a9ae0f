"""A self-signed certificate for the host's signaling server; its fingerprint goes in the link."""

from __future__ import annotations

import datetime
import hashlib
import ipaddress
import ssl
import tempfile
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID


@dataclass(frozen=True)
class ServerCertificate:
    certificate_pem: bytes
    private_key_pem: bytes

    @property
    def fingerprint(self) -> bytes:
        """SHA-256 over the DER certificate, as TLS clients see it."""
        der = x509.load_pem_x509_certificate(self.certificate_pem).public_bytes(
            serialization.Encoding.DER
        )
        return hashlib.sha256(der).digest()

    def ssl_context(self) -> ssl.SSLContext:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        # A stranger may not make the host redo the costly handshake on one connection.
        context.options |= ssl.OP_NO_RENEGOTIATION
        # load_cert_chain wants files; a private temporary directory keeps the key
        # readable by this user only and gone right after loading.
        with tempfile.TemporaryDirectory(prefix="runde-tls-") as folder:
            cert_path = Path(folder) / "cert.pem"
            key_path = Path(folder) / "key.pem"
            cert_path.write_bytes(self.certificate_pem)
            key_path.touch(mode=0o600)
            key_path.write_bytes(self.private_key_pem)
            context.load_cert_chain(cert_path, key_path)
        return context


def generate_certificate(host: str, valid_days: int = 30) -> ServerCertificate:
    """A fresh P-256 certificate for ``host``; the key never touches the disk for long."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Runde meeting host")])
    try:
        alt: x509.GeneralName = x509.IPAddress(ipaddress.ip_address(host))
    except ValueError:
        alt = x509.DNSName(host)
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=valid_days))
        .add_extension(x509.SubjectAlternativeName([alt]), critical=False)
        .sign(key, hashes.SHA256())
    )
    return ServerCertificate(
        certificate_pem=certificate.public_bytes(serialization.Encoding.PEM),
        private_key_pem=key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ),
    )
