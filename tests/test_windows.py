"""What differs on Windows, tested here: device names, MAX_PATH, files held open, no console, font names."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from selfeval import files
from selfeval.export import fonts as fontmod
from selfeval.export import package as pkg
from selfeval.export.package import (MAX_PATH_CHARS, PackageError, fit_to_path, is_package_name, package_name,
                                     safe_component, write_package)

TITLE = "部门整体支出绩效自评"
FIELDS = {"form_id": "f", "form_edition": "2023", "program_version": "0", "unit": "单位", "year": 2022,
          "total": "90", "grade": "优", "created": "2023-01-01T00:00:00+08:00"}


# -- reserved device names

@pytest.mark.parametrize("text", ["CON", "con", "PRN", "AUX", "NUL", "nul.txt", "NUL.tar.gz", "COM1", "com9.pdf",
                                  "LPT1", "LPT9.xlsx", "COM0", "LPT0", "COM¹", "LPT³.txt", "CONIN$", "conout$",
                                  "AUX .txt"])
def test_device_names_are_never_a_folder_or_file_name(text):
    assert safe_component(text).startswith("_")


@pytest.mark.parametrize("text", ["CONSOLE", "COM10", "LPT", "NULL", "AUXILIARY", "CON_部门"])
def test_names_only_resembling_devices_are_kept(text):
    assert safe_component(text) == text


@pytest.mark.parametrize("unit", ["CON", "NUL", "COM1", "LPT1.txt", "AUX"])
def test_a_unit_named_like_a_device_gives_a_writable_package(unit, tmp_path):
    name = package_name(2022, unit, TITLE)
    assert name.startswith("2022_") and name.split(".")[0].upper() not in pkg._RESERVED
    folder = write_package(tmp_path, name=name, pdf=b"%PDF-1.7", xlsx=b"PK", manifest=FIELDS)
    assert sorted(p.name for p in folder.iterdir()) == sorted([f"{name}.pdf", f"{name}.xlsx", "manifest.json"])


# -- MAX_PATH

def deep_folder(root: Path, length: int) -> Path:
    """A folder whose absolute path is about ``length`` characters long."""
    folder = root
    while len(str(folder)) < length - 20:
        folder = folder / ("d" * min(20, length - 20 - len(str(folder))))
    folder = folder / ("e" * max(1, length - len(str(folder)) - 1))
    folder.mkdir(parents=True)
    return folder


def longest_written(folder: Path) -> int:
    return max(len(str(path)) for path in folder.rglob("*"))


def test_a_deep_folder_shortens_the_unit_so_every_path_fits(tmp_path):
    out = deep_folder(tmp_path, 150)
    name = fit_to_path(package_name(2022, "广东省韶关市乐昌市" + "某" * 60 + "局", TITLE), out)
    assert name.startswith("2022_广东省韶关市乐昌市") and name.endswith("_" + TITLE)
    folder = write_package(out, name=name, pdf=b"%PDF-1.7", xlsx=b"PK", manifest=FIELDS, make_zip=True)
    assert longest_written(out) <= MAX_PATH_CHARS
    assert is_package_name(folder.name, 2022, "广东省韶关市乐昌市" + "某" * 60 + "局", TITLE)


def test_a_short_path_keeps_the_whole_name(tmp_path):
    name = package_name(2022, "乐昌市某某局", TITLE)
    assert fit_to_path(name, tmp_path) == name


def test_a_renamed_package_is_still_told_from_a_shortened_one():
    full = package_name(2022, "乐昌市某某局", TITLE)
    assert is_package_name(full, 2022, "乐昌市某某局", TITLE)
    assert is_package_name("2022_乐昌市某_" + TITLE, 2022, "乐昌市某某局", TITLE)
    assert not is_package_name("2022_乐昌市另一局_" + TITLE, 2022, "乐昌市某某局", TITLE)
    assert not is_package_name("2023_乐昌市某某局_" + TITLE, 2022, "乐昌市某某局", TITLE)
    assert not is_package_name("2022__" + TITLE, 2022, "乐昌市某某局", TITLE)


def test_a_folder_too_deep_for_windows_is_refused_before_writing(tmp_path, monkeypatch):
    monkeypatch.setattr(pkg, "_limited_paths", lambda: True)
    out = deep_folder(tmp_path, 245)
    name = fit_to_path(package_name(2022, "乐昌市某某局", TITLE), out)
    with pytest.raises(PackageError, match="路径太长"):
        write_package(out, name=name, pdf=b"%PDF-1.7", xlsx=b"PK", manifest=FIELDS)
    assert list(out.iterdir()) == []


def test_the_same_deep_folder_is_fine_where_paths_are_not_limited(tmp_path, monkeypatch):
    monkeypatch.setattr(pkg, "_limited_paths", lambda: False)
    out = deep_folder(tmp_path, 245)
    name = fit_to_path(package_name(2022, "乐昌市某某局", TITLE), out)
    assert write_package(out, name=name, pdf=b"%PDF-1.7", xlsx=b"PK", manifest=FIELDS).is_dir()


# -- a file held by another process for a moment

def held(winerror: int = 32) -> PermissionError:
    error = PermissionError(13, "The process cannot access the file because it is being used by another process")
    error.winerror = winerror
    return error


class Clock:
    def __init__(self):
        self.now, self.pauses = 0.0, []

    def sleep(self, seconds: float) -> None:
        self.pauses.append(seconds)
        self.now += seconds

    def __call__(self) -> float:
        return self.now


def test_a_briefly_held_file_is_replaced_after_a_retry():
    clock, calls = Clock(), []

    def action():
        calls.append(1)
        if len(calls) < 3:
            raise held()

    files.retrying(action, sleep=clock.sleep, clock=clock)
    assert len(calls) == 3 and clock.pauses == [0.02, 0.04]


def test_retrying_gives_up_after_its_budget():
    clock = Clock()

    def action():
        raise held(5)

    with pytest.raises(PermissionError):
        files.retrying(action, budget=1.0, sleep=clock.sleep, clock=clock)
    assert sum(clock.pauses) == pytest.approx(1.0) and len(clock.pauses) < 10


@pytest.mark.parametrize("error", [PermissionError(13, "denied"), FileNotFoundError(2, "gone"), held(2)])
def test_other_errors_are_not_retried(error):
    clock, calls = Clock(), []

    def action():
        calls.append(1)
        raise error

    with pytest.raises(OSError):
        files.retrying(action, sleep=clock.sleep, clock=clock)
    assert calls == [1] and clock.pauses == []


def test_write_atomic_and_the_package_wait_for_a_held_file(tmp_path, monkeypatch):
    real_replace, real_rename, failures = os.replace, os.rename, {"replace": 2, "rename": 2}

    def flaky(kind, real):
        def call(source, target):
            if failures[kind]:
                failures[kind] -= 1
                raise held()
            return real(source, target)
        return call

    monkeypatch.setattr(os, "replace", flaky("replace", real_replace))
    monkeypatch.setattr(os, "rename", flaky("rename", real_rename))
    files.write_atomic(tmp_path / "a.txt", b"data")
    assert (tmp_path / "a.txt").read_bytes() == b"data"
    folder = write_package(tmp_path, name="2022_单位_" + TITLE, pdf=b"%PDF", xlsx=b"PK", manifest=FIELDS)
    assert folder.is_dir() and failures == {"replace": 0, "rename": 0}
    assert [p.name for p in tmp_path.iterdir() if "partial" in p.name] == []


# -- a windowed program: no sys.stdout, no sys.stderr

def test_the_command_line_runs_without_console_streams(tmp_path):
    script = ("import sys\nsys.stdout = sys.stderr = None\nfrom selfeval.cli import main\ncodes = []\n"
              "for argv in (['list'], ['demo'], ['export-json', '1'], ['score', '99'], ['nonsense']):\n"
              "    try:\n        codes.append(main(argv))\n"
              "    except SystemExit as done:\n        codes.append(done.code)\n"
              "open(sys.argv[1], 'w').write(repr(codes))\n")
    env = dict(os.environ, SELFEVAL_HOME=str(tmp_path / "home"))
    done = subprocess.run([sys.executable, "-c", script, str(tmp_path / "codes")], env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and done.stderr == "", done.stderr
    assert (tmp_path / "codes").read_text() == "[0, 0, 0, 2, 2]"  # export-json writes to sys.stdout itself


def test_the_window_program_starts_without_console_streams(tmp_path):
    script = ("import sys\nsys.stdout = sys.stderr = None\n"
              "from PySide6.QtCore import QTimer\nfrom selfeval.ui import app\n"
              "qt = app.application()\nQTimer.singleShot(300, qt.quit)\n"
              "code = app.main([])\nopen(sys.argv[1], 'w').write(str(code))\n")
    env = dict(os.environ, SELFEVAL_HOME=str(tmp_path / "home"), QT_QPA_PLATFORM="offscreen")
    done = subprocess.run([sys.executable, "-c", script, str(tmp_path / "code")], env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and (tmp_path / "code").read_text() == "0", done.stderr


def test_ensure_streams_gives_writable_null_streams(monkeypatch):
    from selfeval.streams import ensure_streams

    monkeypatch.setattr(sys, "stdout", None)
    monkeypatch.setattr(sys, "stderr", None)
    ensure_streams()
    try:
        sys.stdout.write("无处可写\n")
        sys.stderr.write("\udcff")  # a lone surrogate is replaced, not raised
    finally:
        sys.stdout.close()
        sys.stderr.close()


# -- the official fonts under their real Windows file names

WINDOWS_FONTS = ["simfang.ttf", "SIMHEI.TTF", "simkai.ttf", "simsun.ttc", "msyh.ttc", "arial.ttf"]


@pytest.fixture
def windows_fonts(tmp_path, monkeypatch):
    windir, local = tmp_path / "Windows", tmp_path / "AppData" / "Local"
    for name in WINDOWS_FONTS:
        (windir / "Fonts").mkdir(parents=True, exist_ok=True)
        (windir / "Fonts" / name).write_bytes(b"")
    user_fonts = local / "Microsoft" / "Windows" / "Fonts"
    user_fonts.mkdir(parents=True)
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setenv("WINDIR", str(windir))
    monkeypatch.setenv("LOCALAPPDATA", str(local))
    fontmod._installed.cache_clear()
    yield windir / "Fonts", user_fonts
    fontmod._installed.cache_clear()


def test_windows_font_folders_are_the_system_and_the_user_ones(windows_fonts):
    system, user = windows_fonts
    assert fontmod.system_font_dirs() == [system, user]


def test_the_official_fonts_are_found_by_their_windows_names(windows_fonts):
    system, _user = windows_fonts
    assert fontmod.find_official("body") == system / "simfang.ttf"
    assert fontmod.find_official("heading") == system / "SIMHEI.TTF"
    assert fontmod.find_official("kai") == system / "simkai.ttf"
    assert fontmod.find_official("title") is None  # 方正小标宋 is not part of Windows
    assert fontmod._installed()["simsun.ttc"] == system / "simsun.ttc"


@pytest.mark.parametrize("file_name", ["FZXBSJW.TTF", "方正小标宋简体.ttf", "FZXBSK.TTF"])
def test_a_title_font_installed_for_one_user_is_found(windows_fonts, file_name):
    _system, user = windows_fonts
    (user / file_name).write_bytes(b"")
    assert fontmod.find_official("title") == user / file_name


def test_an_export_into_a_deep_folder_fits_and_verifies_without_a_rename_warning(tmp_path):
    from selfeval.catalog import demo_report_path
    from selfeval.export.certs import new_self_signed
    from selfeval.export.pipeline import export_report
    from selfeval.workspace import Workspace

    workspace = Workspace.open(tmp_path / "db.sqlite3")
    try:
        report_id = workspace.import_json(demo_report_path().read_text(encoding="utf-8"))
        workspace.set_values(report_id, {"unit.name": "广东省韶关市乐昌市" + "某" * 30 + "局"})
        for finding in workspace.evaluate(report_id).unexplained_warnings:
            workspace.set_explanation(report_id, finding.check, "已核对。")
        workspace.finalize(report_id)
        pfx = new_self_signed(tmp_path / "a.pfx", unit_name="某局", person="张三", password="secret-123")
        out = deep_folder(tmp_path / "stick", 200)
        result = export_report(workspace, report_id, pfx=pfx, password="secret-123", out_dir=out, make_zip=True)
    finally:
        workspace.close()
    assert result.verdict.ok and result.problems == ()
    assert not any("改过名" in warning for warning in result.verdict.warnings), result.verdict.warnings
    assert longest_written(out) <= MAX_PATH_CHARS and result.folder.name.endswith("_" + TITLE)
    assert len(result.folder.name) < len(package_name(2022, "广东省韶关市乐昌市" + "某" * 30 + "局", TITLE))
