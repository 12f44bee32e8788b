"""Signing certificates: a self-signed one made here, kept only as a password-protected .pfx."""
from __future__ import annotations

import hashlib
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


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise CertError(f"找不到证书文件“{path}”。") from None
    except OSError as exc:
        raise CertError(os_message(exc, path, doing="读取证书文件")) from None


def load_signer(pfx_path: Path | str, password: str):
    """Open a .pfx file and return a pyHanko signer for it."""
    from asn1crypto import pkcs12 as asn1_pkcs12
    from pyhanko.sign import signers

    path = Path(pfx_path)
    data = _read(path)
    try:
        return _key_parsed_once(signers.SimpleSigner.load_pkcs12_data(data, [], passphrase=password.encode("utf-8")))
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


def _key_parsed_once(signer):
    """``signer`` (a pyHanko SimpleSigner), made to parse its RSA key once instead of on every signature.

    pyHanko parses the key from DER for each signature it makes, two per PDF (one to size the
    signature), and cryptography checks an RSA key's consistency on each parse: 0.1–0.2 s for a
    3072-bit key.  The key was checked when the .pfx was opened, so later parses skip the check.
    """
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
    from pyhanko.sign.general import get_pyca_cryptography_hash
    from pyhanko.sign.signers import SimpleSigner

    class KeyParsedOnce(SimpleSigner):
        _parsed = None

        def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
            mechanism = self.get_signature_mechanism_for_digest(digest_algorithm)
            if mechanism.signature_algo != "rsassa_pkcs1v15":
                return super().sign_raw(data, digest_algorithm)
            if self._parsed is None:
                self._parsed = serialization.load_der_private_key(
                    self.signing_key.dump(), password=None, unsafe_skip_rsa_key_validation=True)
            return self._parsed.sign(data, PKCS1v15(), get_pyca_cryptography_hash(digest_algorithm))

    signer.__class__ = KeyParsedOnce
    return signer


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


# -- fingerprints and certificate files

def fingerprint(cert) -> str:
    """The SHA-256 fingerprint of a certificate (asn1crypto or cryptography): 64 upper-case hex digits."""
    from cryptography.hazmat.primitives.serialization import Encoding

    return hashlib.sha256(_as_cryptography(cert).public_bytes(Encoding.DER)).hexdigest().upper()


def grouped(digits: str, groups: int | None = None) -> str:
    """``ABCD EF01 …``: hex digits in groups of four, the first ``groups`` of them (all by default)."""
    parts = [digits[i:i + 4] for i in range(0, len(digits), 4)]
    return " ".join(parts[:groups] if groups else parts)


def short_fingerprint(cert) -> str:
    """The first 16 hex digits of the fingerprint, grouped: short enough to read out on the phone."""
    return grouped(fingerprint(cert), 4)


def public_der(cert) -> bytes:
    from cryptography.hazmat.primitives.serialization import Encoding

    return _as_cryptography(cert).public_bytes(Encoding.DER)


def needs_password(path: Path | str) -> bool:
    return Path(path).suffix.lower() in (".pfx", ".p12")


def read_certificate(path: Path | str, password: str | None = None):
    """The certificate in a .cer/.der/.crt (DER or PEM), .pem, or .pfx/.p12 file (needs ``password``)."""
    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import pkcs12

    path = Path(path)
    data = _read(path)
    if needs_password(path):
        try:
            _key, cert, _extra = pkcs12.load_key_and_certificates(data, (password or "").encode("utf-8"))
        except ValueError:
            load_signer(path, password or "")  # names the problem: wrong password, or not a .pfx
            raise CertError(f"证书文件“{path}”中没有证书。") from None
        if cert is None:
            raise CertError(f"证书文件“{path}”中没有证书。")
        return cert
    try:
        if b"-----BEGIN" in data:
            return x509.load_pem_x509_certificate(data)
        return x509.load_der_x509_certificate(data)
    except ValueError:
        raise CertError(f"“{path}”不是证书文件（应为 .cer/.pem 证书或 .pfx 证书文件）。") from None


def describe(cert) -> list[str]:
    """A certificate in Chinese lines: subject, issuer, validity, fingerprint."""
    cert = _as_cryptography(cert)
    person, unit = subject_names(cert)
    start, end = cert.not_valid_before_utc.astimezone(), cert.not_valid_after_utc.astimezone()
    issuer = "自签名证书" if is_self_signed(cert) else cert.issuer.rfc4514_string()
    return [
        f"单位：{unit or '（未写明）'}",
        f"签署人：{person or '（未写明）'}",
        f"签发者：{issuer}",
        f"有效期：{start:%Y-%m-%d %H:%M} 至 {end:%Y-%m-%d %H:%M}",
        f"证书指纹（SHA-256）：{grouped(fingerprint(cert))}",
        f"简短指纹：{grouped(fingerprint(cert), 4)}",
    ]
