"""Signing certificates: a self-signed one made here, kept only as a password-protected .pfx."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

from ..errors import os_message
from ..files import write_atomic

MIN_PASSWORD = 6


class CertError(Exception):
    """A certificate could not be made or opened; the message is Chinese."""


def _check_password(password: str) -> bytes:
    if not password:
        raise CertError("请设置证书密码。")
    if len(password) < MIN_PASSWORD:
        raise CertError(f"证书密码太短，至少需要 {MIN_PASSWORD} 个字符。")
    return password.encode("utf-8")


def new_self_signed(path: Path | str, *, unit_name: str, person: str, password: str,
                    days: int = 3 * 365) -> Path:
    """Make an RSA 3072 key and a self-signed certificate, saved as an encrypted PKCS#12 file."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.hazmat.primitives.serialization import pkcs12
    from cryptography.x509.oid import NameOID

    secret = _check_password(password)
    if not unit_name.strip() or not person.strip():
        raise CertError("请填写单位名称和签署人姓名。")
    path = Path(path)
    if path.exists():
        raise CertError(f"“{path}”已存在。为免覆盖原有证书，请换一个文件名。")

    key = rsa.generate_private_key(public_exponent=65537, key_size=3072)
    name = x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, unit_name.strip()),
        x509.NameAttribute(NameOID.COMMON_NAME, person.strip()),
    ])
    now = datetime.now(timezone.utc)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                          data_encipherment=False, key_agreement=False, key_cert_sign=False,
                          crl_sign=False, encipher_only=False, decipher_only=False),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    data = pkcs12.serialize_key_and_certificates(
        person.strip().encode("utf-8"), key, cert, None, serialization.BestAvailableEncryption(secret)
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, data, mode=0o600)  # the private key: its owner only
    return path


def load_signer(pfx_path: Path | str, password: str):
    """Open a .pfx file and return a pyHanko signer for it."""
    from asn1crypto import pkcs12 as asn1_pkcs12
    from pyhanko.sign import signers

    path = Path(pfx_path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise CertError(f"找不到证书文件“{path}”。") from None
    except OSError as exc:
        raise CertError(os_message(exc, path, doing="读取证书文件")) from None
    try:
        return signers.SimpleSigner.load_pkcs12_data(data, [], passphrase=password.encode("utf-8"))
    except ValueError:
        pass
    try:
        asn1_pkcs12.Pfx.load(data, strict=True).native
        readable = True
    except Exception:
        readable = False
    if readable:
        raise CertError("证书密码不正确，请重新输入。")
    raise CertError(f"证书文件“{path}”已损坏，或不是 PKCS#12（.pfx）证书文件。")


def _as_cryptography(cert):
    from cryptography import x509

    if isinstance(cert, x509.Certificate):
        return cert
    return x509.load_der_x509_certificate(cert.dump())


def is_self_signed(cert) -> bool:
    """True when the certificate (asn1crypto or cryptography) is signed by its own key."""
    cert = _as_cryptography(cert)
    if cert.issuer != cert.subject:
        return False
    try:
        cert.verify_directly_issued_by(cert)
    except Exception:
        return False
    return True


def subject_names(cert) -> tuple[str, str]:
    """(common name, organisation) of a certificate's subject; empty strings when absent."""
    from cryptography.x509.oid import NameOID

    subject = _as_cryptography(cert).subject

    def first(oid) -> str:
        found = subject.get_attributes_for_oid(oid)
        return str(found[0].value) if found else ""

    return first(NameOID.COMMON_NAME), first(NameOID.ORGANIZATION_NAME)
