"""SoftHSM2 tokens made for a test: a temporary token folder, keys generated on the token, certificates
issued by a test CA.  ``module()`` is None (and the tests skip) when softhsm2 or python-pkcs11 is missing."""
from __future__ import annotations

import os
import shutil
import subprocess
from datetime import datetime, timedelta, timezone
from pathlib import Path

MODULE_PLACES = ("/usr/lib/softhsm/libsofthsm2.so", "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
                 "/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so", "/usr/local/lib/softhsm/libsofthsm2.so")
SO_PIN = "so-pin-8642"
PIN = "ukey-Pin-739154"
TOKEN, NO_CERT, SM2 = "单位UKey", "空白UKey", "国密UKey"
UNIT = "政协乐昌市委员会机关"
P256_OID = bytes.fromhex("06082a8648ce3d030107")
SM2_OID = bytes.fromhex("06082a811ccf5501822d")  # 1.2.156.10197.1.301, the same length as P-256's


def module() -> str | None:
    try:
        import pkcs11  # noqa: F401
    except ImportError:
        return None
    if shutil.which("softhsm2-util") is None:
        return None
    return next((place for place in MODULE_PLACES if Path(place).is_file()), None)


def use_folder(folder: Path, monkeypatch) -> Path:
    """Point SoftHSM2 at a token folder of its own (read when the module is loaded)."""
    (folder / "tokens").mkdir(parents=True, exist_ok=True)
    conf = folder / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {folder / 'tokens'}\nobjectstore.backend = file\nlog.level = ERROR\n")
    monkeypatch.setenv("SOFTHSM2_CONF", str(conf))
    return conf


def init_token(label: str, pin: str) -> None:
    subprocess.run(["softhsm2-util", "--init-token", "--free", "--label", label, "--so-pin", SO_PIN,
                    "--pin", pin], check=True, capture_output=True, env=os.environ.copy())


def make_ca(name: str = "测试 CA"):
    """(key, certificate) of a test certificate authority (cryptography objects)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    now = datetime.now(timezone.utc)
    subject = x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, name),
                         x509.NameAttribute(NameOID.COMMON_NAME, name)])
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - timedelta(minutes=5))
            .not_valid_after(now + timedelta(days=365))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=False, content_commitment=False, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                         crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
            .sign(key, hashes.SHA256()))
    return key, cert


def write_pem(cert, path: Path) -> Path:
    from cryptography.hazmat.primitives.serialization import Encoding

    path.write_bytes(cert.public_bytes(Encoding.PEM))
    return path


def issue(ca, public_key, *, unit: str, person: str):
    """A signing certificate for ``public_key`` issued by ``ca`` = (key, certificate)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.x509.oid import NameOID

    ca_key, ca_cert = ca
    now = datetime.now(timezone.utc)
    subject = x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
                         x509.NameAttribute(NameOID.ORGANIZATION_NAME, unit),
                         x509.NameAttribute(NameOID.COMMON_NAME, person)])
    return (x509.CertificateBuilder().subject_name(subject).issuer_name(ca_cert.subject).public_key(public_key)
            .serial_number(x509.random_serial_number()).not_valid_before(now - timedelta(minutes=5))
            .not_valid_after(now + timedelta(days=300))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False, key_cert_sign=False,
                                         crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
            .sign(ca_key, hashes.SHA256()))


def _session(lib_path: str, label: str, pin: str):
    import pkcs11

    return pkcs11.lib(lib_path).get_token(token_label=label).open(rw=True, user_pin=pin)


def generate_key(lib_path: str, token: str, pin: str, *, label: str, key_id: bytes, kind: str = "RSA"):
    """A key pair generated on the token; returns the public key (cryptography)."""
    import pkcs11
    from cryptography.hazmat.primitives.asymmetric import ec, rsa
    from pkcs11 import Attribute, KeyType
    from pkcs11.util.ec import encode_named_curve_parameters

    try:
        with _session(lib_path, token, pin) as session:
            if kind == "RSA":
                public, _private = session.generate_keypair(KeyType.RSA, 2048, store=True, label=label, id=key_id)
                return rsa.RSAPublicNumbers(int.from_bytes(public[Attribute.PUBLIC_EXPONENT], "big"),
                                            int.from_bytes(public[Attribute.MODULUS], "big")).public_key()
            params = session.create_domain_parameters(
                KeyType.EC, {Attribute.EC_PARAMS: encode_named_curve_parameters("secp256r1")}, local=True)
            public, _private = params.generate_keypair(store=True, label=label, id=key_id)
            from asn1crypto.core import OctetString

            point = OctetString.load(public[Attribute.EC_POINT]).native
            return ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), point)
    finally:
        pkcs11.unload(lib_path)


def import_certificate(lib_path: str, token: str, pin: str, der: bytes, *, label: str, key_id: bytes) -> None:
    import pkcs11
    from pkcs11 import Attribute
    from pkcs11.util.x509 import decode_x509_certificate

    try:
        with _session(lib_path, token, pin) as session:
            attributes = decode_x509_certificate(der)
            attributes.update({Attribute.TOKEN: True, Attribute.LABEL: label, Attribute.ID: key_id})
            session.create_object(attributes)
    finally:
        pkcs11.unload(lib_path)


def as_sm2(der: bytes) -> bytes:
    """The certificate with its P-256 key relabelled as an SM2 key (what a Chinese UKey's certificate says)."""
    assert der.count(P256_OID) == 1
    return der.replace(P256_OID, SM2_OID)


def make_tokens(lib_path: str, folder: Path, monkeypatch, *, labels=(TOKEN, NO_CERT, SM2)) -> None:
    """Tokens (PIN :data:`PIN`) in ``folder``, with ca.pem (their CA) and other-ca.pem beside them:
    TOKEN holds an RSA and an ECDSA key with certificates and the CA's certificate; NO_CERT a key
    without a certificate; SM2 a key whose certificate is for SM2."""
    from cryptography.hazmat.primitives.serialization import Encoding

    use_folder(folder, monkeypatch)
    ca = make_ca()
    write_pem(ca[1], folder / "ca.pem")
    write_pem(make_ca("另一个 CA")[1], folder / "other-ca.pem")
    for label in labels:
        init_token(label, PIN)

    def key(token, label, key_id, kind="RSA", person="张三", sm2=False):
        public = generate_key(lib_path, token, PIN, label=label, key_id=key_id, kind=kind)
        der = issue(ca, public, unit=UNIT, person=person).public_bytes(Encoding.DER)
        import_certificate(lib_path, token, PIN, as_sm2(der) if sm2 else der, label=label, key_id=key_id)

    key(TOKEN, "签名证书", b"\x01")
    key(TOKEN, "ECDSA证书", b"\x02", kind="EC", person="李四")
    import_certificate(lib_path, TOKEN, PIN, ca[1].public_bytes(Encoding.DER), label="CA", key_id=b"\xca")
    if NO_CERT in labels:
        generate_key(lib_path, NO_CERT, PIN, label="没有证书的密钥", key_id=b"\x01")
    if SM2 in labels:
        key(SM2, "SM2证书", b"\x01", kind="EC", sm2=True)
