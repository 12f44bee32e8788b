"""Signing with a USB key (UKey) through the PKCS#11 module its certificate authority supplies.

:func:`find_keys` lists the tokens a module sees and the certificates on them
(no PIN needed); :func:`open_signer` logs in with the PIN and yields a pyHanko
signer for one key, with the certificate chain to embed.  The PIN is passed
through, never stored.  Every problem is a :class:`~.certs.CertError` in Chinese.

Only RSA and ECDSA (NIST curves) keys can be used: the signing stack has no
SM2/SM3 (see docs/ukey.md).
"""
from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from .certs import CertError, is_self_signed, subject_names

SM2_CURVE = "1.2.156.10197.1.301"
SIGNING_CURVES = {"secp256r1", "secp384r1", "secp521r1"}
PIN_LOCKED = ("UKey 的 PIN 码已被锁定（输错次数过多），不能再签名。"
              "请联系发放 UKey 的证书机构（CA）或本单位的 UKey 管理员解锁。")


@dataclass(frozen=True)
class TokenKey:
    """One certificate on a token, that is one key to sign with."""

    token: str
    label: str
    cert: object = field(repr=False)  # asn1crypto certificate
    key_id: bytes = b""

    @property
    def algorithm(self) -> str:
        return key_algorithm(self.cert)

    def describe(self) -> str:
        person, unit = subject_names(self.cert)
        who = "，".join(part for part in (person, unit) if part) or "（证书未写明签署人）"
        usable = "" if self.algorithm in ("RSA", "ECDSA") else "，不能用于签名"
        return f"{self.token} / {self.label}：{who}（{self.algorithm}{usable}）"


@dataclass(frozen=True)
class Token:
    label: str
    keys: tuple[TokenKey, ...] = ()
    problem: str = ""  # e.g. the PIN is locked


def key_algorithm(cert) -> str:
    """"RSA", "ECDSA", "SM2", or another name for the certificate's key; only RSA and ECDSA sign."""
    info = cert.public_key
    algorithm = info.algorithm
    if algorithm == "rsa":
        return "RSA"
    if algorithm == "ec":
        curve = info["algorithm"]["parameters"].chosen.native
        if curve == SM2_CURVE:
            return "SM2"
        return "ECDSA" if curve in SIGNING_CURVES else f"ECDSA（{curve} 曲线）"
    return algorithm.upper()


@contextlib.contextmanager
def _module(path: Path | str) -> Iterator[object]:
    """The loaded PKCS#11 module, unloaded afterwards (a UKey plugged in later is seen next time)."""
    path = Path(path)
    if not path.is_file():
        raise CertError(f"找不到 UKey 驱动程序“{path}”。请选择证书机构随 UKey 提供的 PKCS#11 驱动文件"
                        "（Windows 上通常是 .dll 文件，在 C:\\Windows\\System32 或 UKey 管理工具的安装目录中）。")
    try:
        import pkcs11
    except ImportError:
        raise CertError("本程序安装不完整，缺少 PKCS#11 组件（python-pkcs11），无法使用 UKey。请重新安装本程序。") from None
    try:
        module = pkcs11.lib(str(path))
    except Exception:
        pkcs11.unload(str(path))
        raise CertError(f"“{path}”不是 PKCS#11 驱动程序，无法用它读取 UKey。"
                        "请选择证书机构随 UKey 提供的 PKCS#11 驱动文件。") from None
    try:
        yield module
    finally:
        pkcs11.unload(str(path))


def _tokens(module) -> list:
    from pkcs11 import TokenFlag

    tokens = []
    for slot in module.get_slots(token_present=True):
        try:
            token = slot.get_token()
        except Exception:
            continue
        if token.flags & TokenFlag.TOKEN_INITIALIZED:
            tokens.append(token)
    return tokens


def _certificates(session, token_label: str) -> list[TokenKey]:
    from asn1crypto import x509 as asn1_x509
    from pkcs11 import Attribute, ObjectClass

    found = []
    for obj in session.get_objects({Attribute.CLASS: ObjectClass.CERTIFICATE}):
        try:
            cert = asn1_x509.Certificate.load(obj[Attribute.VALUE])
            cert.public_key.algorithm  # parses it: a damaged certificate is skipped
        except Exception:
            continue
        found.append(TokenKey(token_label, _attribute(obj, Attribute.LABEL, ""), cert,
                              _attribute(obj, Attribute.ID, b"")))
    return found


def _attribute(obj, attribute, default):
    try:
        return obj[attribute]
    except Exception:
        return default


def find_keys(module_path: Path | str) -> list[Token]:
    """The initialised tokens the module sees, with the certificates on them; no PIN is needed."""
    from pkcs11 import TokenFlag

    with _module(module_path) as module:
        found = []
        for token in _tokens(module):
            problem = PIN_LOCKED if token.flags & TokenFlag.USER_PIN_LOCKED else ""
            try:
                with token.open() as session:
                    certs = sorted((key for key in _certificates(session, token.label) if not _is_ca(key.cert)),
                                   key=lambda key: key.label)
            except Exception as exc:
                certs, problem = [], problem or f"无法读取 UKey 中的证书（{type(exc).__name__}）"
            found.append(Token(token.label, tuple(certs), problem))
        return sorted(found, key=lambda token: token.label)


def _is_ca(cert) -> bool:
    constraints = cert.basic_constraints_value
    return bool(constraints and constraints["ca"].native)


def _choose_token(module, label: str | None):
    tokens = _tokens(module)
    if not tokens:
        raise CertError("没有找到 UKey：请插入 UKey 后重试。如已插入，请确认所选的驱动程序与这个 UKey 配套。")
    if label is not None:
        chosen = [token for token in tokens if token.label == label]
        if not chosen:
            raise CertError(f"没有找到名为“{label}”的 UKey。已插入的 UKey：{_names(t.label for t in tokens)}。")
        return chosen[0]
    if len(tokens) > 1:
        raise CertError(f"插入了多个 UKey（{_names(t.label for t in tokens)}），"
                        "请指定用哪一个（命令行加 --token 名称）。")
    return tokens[0]


def _names(labels) -> str:
    return "、".join(f"“{label}”" for label in labels)


def _login(slot, token, pin: str):
    from pkcs11 import TokenFlag
    from pkcs11.exceptions import PinIncorrect, PinInvalid, PinLenRange, PinLocked

    if token.flags & TokenFlag.USER_PIN_LOCKED:
        raise CertError(PIN_LOCKED)
    if not pin:
        raise CertError("请输入 UKey 的 PIN 码。")
    try:
        return token.open(user_pin=pin)
    except PinLocked:
        raise CertError(PIN_LOCKED) from None
    except (PinIncorrect, PinInvalid, PinLenRange):
        pass
    flags = slot.get_token().flags  # the token counts the failed try
    if flags & TokenFlag.USER_PIN_LOCKED:
        raise CertError("PIN 码不正确。" + PIN_LOCKED)
    if flags & TokenFlag.USER_PIN_FINAL_TRY:
        raise CertError("PIN 码不正确。注意：只剩最后一次机会，再输错一次 UKey 将被锁定。")
    if flags & TokenFlag.USER_PIN_COUNT_LOW:
        raise CertError("PIN 码不正确。注意：剩余的尝试次数已经不多，连续输错几次后 UKey 将被锁定。")
    raise CertError("PIN 码不正确，请重新输入。（连续输错多次后 UKey 会被锁定。）")


def _private_keys(session) -> list[tuple[str, bytes, object]]:
    from pkcs11 import Attribute, ObjectClass

    return [(_attribute(obj, Attribute.LABEL, ""), _attribute(obj, Attribute.ID, b""),
             _attribute(obj, Attribute.KEY_TYPE, None))
            for obj in session.get_objects({Attribute.CLASS: ObjectClass.PRIVATE_KEY})]


def _choose_key(session, token_label: str, label: str | None) -> TokenKey:
    """The certificate with its private key: the one named ``label``, or the only one on the token."""
    certs = [key for key in _certificates(session, token_label) if not _is_ca(key.cert)]
    keys = _private_keys(session)
    if label is not None:
        named = [cert for cert in certs if cert.label == label]
        named_keys = [(key_label, key_id) for key_label, key_id, _type in keys if key_label == label]
        if not named and named_keys:
            key_label, key_id = named_keys[0]
            named = [cert for cert in certs if key_id and cert.key_id == key_id]
            if not named:
                raise CertError(f"UKey 中的密钥“{label}”没有对应的证书，不能用于签名。"
                                "请联系证书机构（CA）把证书写入 UKey。")
        if not named:
            raise CertError(f"UKey“{token_label}”中没有名为“{label}”的证书或密钥。"
                            f"其中的证书：{_names(c.label for c in certs) or '无'}。")
        return _with_key(named[0], keys)
    if not certs:
        if keys:
            raise CertError(f"UKey 中的密钥{_names(k[0] for k in keys)}没有对应的证书，不能用于签名。"
                            "请联系证书机构（CA）把证书写入 UKey。")
        raise CertError(f"UKey“{token_label}”中没有签名证书。")
    usable = [cert for cert in certs if _has_key(cert, keys)]
    if len(usable) > 1:
        raise CertError(f"UKey“{token_label}”中有多个证书（{_names(c.label for c in usable)}），"
                        "请指定用哪一个（命令行加 --key 名称）。")
    return _with_key((usable or certs)[0], keys)


def _has_key(cert: TokenKey, keys) -> bool:
    return any((cert.key_id and key_id == cert.key_id) or (not cert.key_id and key_label == cert.label)
               for key_label, key_id, _type in keys)


def _with_key(cert: TokenKey, keys) -> TokenKey:
    from pkcs11 import KeyType

    matching = [(key_id, key_type) for key_label, key_id, key_type in keys
                if (cert.key_id and key_id == cert.key_id) or (not cert.key_id and key_label == cert.label)]
    if not matching:
        raise CertError(f"UKey 中的证书“{cert.label}”没有对应的私钥，不能用于签名（可能要先插入另一个 UKey）。")
    algorithm = cert.algorithm
    if algorithm not in ("RSA", "ECDSA") or matching[0][1] not in (KeyType.RSA, KeyType.EC):
        raise CertError(f"UKey 中的证书“{cert.label}”使用 {algorithm} 密钥，本程序的签名组件只支持 RSA 和 "
                        "ECDSA（P-256、P-384、P-521）密钥，不支持国密 SM2/SM3。"
                        "请向证书机构申请 RSA 或 ECDSA 证书，或改用 .pfx 证书文件（见使用说明 docs/ukey.md）。")
    return cert


def _chain(leaf, token_certs: list, extra: list) -> list:
    """The certificates that lead from ``leaf`` to a root, from the token and the files given."""
    pool, chain, current = [*token_certs, *extra], [], leaf
    while not is_self_signed(current):
        issuers = [c for c in pool if c.subject == current.issuer and c.dump() != current.dump()
                   and all(c.dump() != known.dump() for known in chain)]
        if not issuers:
            break
        current = issuers[0]
        chain.append(current)
    return chain


def read_ca_files(paths) -> list:
    """CA certificates (PEM, possibly several, or DER) as asn1crypto certificates."""
    from asn1crypto import pem, x509 as asn1_x509

    found = []
    for path in paths:
        try:
            data = Path(path).read_bytes()
            blobs = [der for _kind, _headers, der in pem.unarmor(data, multiple=True)] if pem.detect(data) else [data]
            certs = [asn1_x509.Certificate.load(der) for der in blobs]
            found += [cert for cert in certs if cert.subject is not None]  # .subject parses each one
        except OSError:
            raise CertError(f"无法读取 CA 证书文件“{path}”。") from None
        except Exception:
            raise CertError(f"“{path}”不是证书文件（应为 PEM 或 DER 格式的 CA 证书）。") from None
    return found


@contextlib.contextmanager
def open_signer(module_path: Path | str, pin: str, *, token: str | None = None, key: str | None = None,
                ca: list | tuple = ()) -> Iterator[tuple[object, list]]:
    """Log in to the token and yield (pyHanko signer, the chain's root certificates) while it is open."""
    extra = read_ca_files(ca)
    with _module(module_path) as module:
        chosen = _choose_token(module, token)
        slot = chosen.slot
        session = _login(slot, chosen, pin)
        try:
            from pyhanko.sign.pkcs11 import PKCS11Signer

            choice = _choose_key(session, chosen.label, key)
            token_certs = [c.cert for c in _certificates(session, chosen.label)]
            chain = _chain(choice.cert, token_certs, extra)
            signer = PKCS11Signer(session, signing_cert=choice.cert, ca_chain=chain,
                                  key_id=choice.key_id or None, key_label=None if choice.key_id else choice.label,
                                  use_raw_mechanism=choice.algorithm == "ECDSA" and not _hashed_ecdsa(slot))
            yield signer, [cert for cert in chain if is_self_signed(cert)]
        finally:
            session.close()


def _hashed_ecdsa(slot) -> bool:
    """Whether the token hashes for ECDSA itself; many only sign a digest (CKM_ECDSA)."""
    from pkcs11 import Mechanism

    try:
        return Mechanism.ECDSA_SHA256 in slot.get_mechanisms()
    except Exception:
        return False
