"""Signing with a USB key through PKCS#11, on SoftHSM2 tokens made here (skipped without softhsm2):
the package verifies against the token's CA and no other, the PIN is kept nowhere, and every
problem a clerk can meet (no driver, no token, wrong or locked PIN, no certificate, SM2) is said in Chinese."""
from __future__ import annotations

from pathlib import Path

import pytest

import softhsm
from selfeval import demo
from selfeval.export.certs import CertError
from selfeval.export.verify import verify
from selfeval.workspace import Workspace

LIB = softhsm.module()
pytestmark = pytest.mark.skipif(LIB is None, reason="softhsm2 or python-pkcs11 is not installed")

PIN, TOKEN, NO_CERT, SM2, UNIT = softhsm.PIN, softhsm.TOKEN, softhsm.NO_CERT, softhsm.SM2, softhsm.UNIT


@pytest.fixture(scope="module")
def tokens(tmp_path_factory):
    """The tokens of :func:`softhsm.make_tokens`, in a folder with ca.pem and other-ca.pem."""
    folder = tmp_path_factory.mktemp("softhsm")
    with pytest.MonkeyPatch.context() as patch:
        softhsm.make_tokens(LIB, folder, patch)
        yield folder


@pytest.fixture
def token_env(tokens, monkeypatch):
    softhsm.use_folder(tokens, monkeypatch)
    return tokens


def finalised_demo(db: Path) -> int:
    ws = Workspace.open(db)
    try:
        report_id, _ = demo.find_or_import_demo(ws)
        demo.finalise(ws, report_id)
    finally:
        ws.store.close(backup=False)
    return report_id


def message(**kwargs) -> str:
    from selfeval.export.ukey import open_signer

    with pytest.raises(CertError) as caught:
        with open_signer(kwargs.pop("module", LIB), kwargs.pop("pin", PIN), **kwargs):
            pass
    return str(caught.value)


def test_the_tokens_and_their_certificates_are_listed_without_a_pin(token_env):
    from selfeval.export.ukey import find_keys

    found = {token.label: token for token in find_keys(LIB)}
    assert set(found) == {TOKEN, NO_CERT, SM2}
    assert [key.label for key in found[TOKEN].keys] == ["ECDSA证书", "签名证书"]  # not the CA's certificate
    assert found[TOKEN].keys[1].describe() == f"{TOKEN} / 签名证书：张三，{UNIT}（RSA）"
    assert found[TOKEN].keys[0].algorithm == "ECDSA"
    assert found[NO_CERT].keys == ()
    assert "不能用于签名" in found[SM2].keys[0].describe() and found[SM2].keys[0].algorithm == "SM2"


def test_a_package_signed_with_the_ukey_verifies_against_its_ca_only(token_env, cli, home, tmp_path, monkeypatch):
    db, out = tmp_path / "db.sqlite3", tmp_path / "out"
    report_id = finalised_demo(db)
    out.mkdir()
    monkeypatch.setenv("SELFEVAL_PKCS11_PIN", PIN)
    code, stdout, stderr = cli("--db", db, "export", report_id, "--pkcs11-lib", LIB, "--token", TOKEN,
                               "--key", "签名证书", "--out", out, "--zip")
    assert code == 0, stdout + stderr
    assert "验证通过" in stdout and "签名证书由您提供的可信证书（CA）签发" in stdout
    package = next(out.glob("*.zip"))

    code, stdout, _ = cli("verify", package, "--trust", token_env / "ca.pem")
    assert code == 0 and "签名证书由您提供的可信证书（CA）签发" in stdout and "张三" in stdout
    code, stdout, _ = cli("verify", package, "--trust", token_env / "other-ca.pem")
    assert code == 1 and "不是由您提供的可信证书（CA）签发" in stdout
    code, stdout, _ = cli("verify", package)
    assert code == 1 and "未提供可信的根证书" in stdout

    # the PIN is nowhere on disk: not in the data folder (database, settings, logs) nor in the package
    for folder in (home, out, tmp_path):
        for path in folder.rglob("*"):
            if path.is_file():
                assert PIN.encode() not in path.read_bytes(), path


def export_with_ukey(folder: Path, key: str, ca: tuple[Path, ...] = ()):
    from selfeval.export.pipeline import UKeyChoice, export_report

    folder.mkdir(parents=True, exist_ok=True)
    report_id = finalised_demo(folder / "db.sqlite3")
    ws = Workspace.open(folder / "db.sqlite3")
    try:
        (folder / "out").mkdir()
        return export_report(ws, report_id, password=PIN, out_dir=folder / "out",
                             ukey=UKeyChoice(LIB, TOKEN, key, ca))
    finally:
        ws.store.close(backup=False)


def test_an_ecdsa_key_signs_and_a_ca_file_completes_the_chain(token_env, tmp_path):
    result = export_with_ukey(tmp_path, "ECDSA证书", (token_env / "ca.pem",))
    assert result.verdict.ok, result.verdict.text()
    assert verify(result.folder, trust=[token_env / "ca.pem"]).ok
    assert "李四" in verify(result.folder, trust=[token_env / "ca.pem"]).signer


def test_a_wrong_pin_says_so_and_nothing_is_written(token_env, cli, tmp_path, monkeypatch):
    db, out = tmp_path / "db.sqlite3", tmp_path / "out"
    report_id = finalised_demo(db)
    out.mkdir()
    monkeypatch.setenv("SELFEVAL_PKCS11_PIN", "123456")
    code, stdout, stderr = cli("--db", db, "export", report_id, "--pkcs11-lib", LIB, "--token", TOKEN,
                               "--key", "签名证书", "--out", out)
    assert code == 2 and "PIN 码不正确" in stderr and "Traceback" not in stdout + stderr
    assert not any(out.iterdir())
    assert "请输入 UKey 的 PIN 码" in message(token=TOKEN, key="签名证书", pin="")
    from selfeval.export.ukey import open_signer

    with open_signer(LIB, PIN, token=TOKEN, key="签名证书") as (signer, roots):  # the right PIN still opens it
        assert signer.signing_cert is not None and len(roots) == 1


def test_no_token_inserted(tmp_path, monkeypatch):
    softhsm.use_folder(tmp_path / "empty", monkeypatch)
    from selfeval.export.ukey import find_keys

    assert find_keys(LIB) == []
    assert "没有找到 UKey：请插入 UKey" in message()


def test_no_driver_at_the_path_or_not_a_driver(tmp_path):
    assert "找不到 UKey 驱动程序" in message(module=tmp_path / "nothing.dll")
    fake = tmp_path / "fake.so"
    fake.write_bytes(b"not a library")
    assert "不是 PKCS#11 驱动程序" in message(module=fake)


def test_the_token_and_key_must_be_named_when_there_are_several(token_env):
    assert "插入了多个 UKey" in message() and "--token" in message()
    assert "有多个证书" in message(token=TOKEN) and "--key" in message(token=TOKEN)
    assert "没有找到名为“别的”的 UKey" in message(token="别的")
    assert "没有名为“别的”的证书或密钥" in message(token=TOKEN, key="别的")


def test_a_key_without_a_certificate(token_env):
    text = message(token=NO_CERT)
    assert "没有对应的证书，不能用于签名" in text and "没有证书的密钥" in text
    assert "没有对应的证书" in message(token=NO_CERT, key="没有证书的密钥")


def test_an_sm2_key_is_refused_plainly(token_env):
    text = message(token=SM2)
    assert "SM2 密钥" in text and "只支持 RSA 和 ECDSA" in text


class FakeToken:
    def __init__(self, flags_before, flags_after, error):
        self.flags, self.after, self.error = flags_before, flags_after, error

    def open(self, user_pin):
        raise self.error

    def get_token(self):
        return FakeToken(self.after, self.after, self.error)


@pytest.mark.parametrize("after, said", [
    (0, "PIN 码不正确，请重新输入"),
    ("USER_PIN_COUNT_LOW", "剩余的尝试次数已经不多"),
    ("USER_PIN_FINAL_TRY", "只剩最后一次机会"),
    ("USER_PIN_LOCKED", "已被锁定"),
])
def test_the_tries_left_are_said_as_the_token_reports_them(after, said):
    from pkcs11 import TokenFlag
    from pkcs11.exceptions import PinIncorrect

    from selfeval.export.ukey import _login

    flags = TokenFlag.TOKEN_INITIALIZED | (getattr(TokenFlag, after) if after else 0)
    token = FakeToken(TokenFlag.TOKEN_INITIALIZED, flags, PinIncorrect())
    with pytest.raises(CertError, match=said):
        _login(token, token, "000000")


def test_a_locked_pin_is_not_tried():
    from pkcs11 import TokenFlag
    from pkcs11.exceptions import PinLocked

    from selfeval.export.ukey import _login

    locked = FakeToken(TokenFlag.USER_PIN_LOCKED, TokenFlag.USER_PIN_LOCKED, AssertionError("tried"))
    with pytest.raises(CertError, match="已被锁定.*解锁"):
        _login(locked, locked, PIN)
    refused = FakeToken(0, 0, PinLocked())
    with pytest.raises(CertError, match="已被锁定"):
        _login(refused, refused, PIN)


def test_the_receiving_desk_trusts_the_bureaus_ca_list_and_still_pins_self_signed(token_env, cli, tmp_path):
    from test_trust import export_demo, make_cert

    ukey_package = export_with_ukey(tmp_path / "ukey", "签名证书").folder
    self_signed = export_demo(tmp_path / "pfx", make_cert(tmp_path, "own"))
    registry = tmp_path / "desk" / "receive.sqlite3"

    code, out, _ = cli("receive", ukey_package, "--registry", registry)
    assert code == 1 and "未提供可信的根证书" in out
    code, out, _ = cli("registry", "--registry", registry, "trust-ca", token_env / "ca.pem", token_env / "ca.pem")
    assert code == 0 and "信任的 CA 根证书：1 个" in out and "测试 CA" in out
    ukey_again = export_with_ukey(tmp_path / "ukey2", "签名证书").folder
    code, out, _ = cli("receive", ukey_again, "--registry", registry)
    assert code == 0 and "已受理（首次登记该单位的证书）" in out, out

    other = tmp_path / "other-desk" / "receive.sqlite3"
    cli("registry", "--registry", other, "trust-ca", token_env / "other-ca.pem")
    code, out, _ = cli("receive", ukey_package, "--registry", other)
    assert code == 1 and "不是由您提供的可信证书（CA）签发" in out
    code, out, _ = cli("receive", self_signed, "--registry", other)  # self-signed: pinned on first use as before
    assert code == 0 and "已受理（首次登记该单位的证书）" in out, out
