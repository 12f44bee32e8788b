from pathlib import Path

from selfeval import paths


def fake_app(tmp_path, *, portable=False):
    app = tmp_path / "app"
    app.mkdir()
    (app / "selfeval.exe").write_bytes(b"")
    if portable:
        (app / "portable").write_text("")
    return app / "selfeval.exe"


def test_selfeval_home_wins(tmp_path):
    home = tmp_path / "home with 空格"
    exe = fake_app(tmp_path, portable=True)
    env = {"SELFEVAL_HOME": str(home), "XDG_DATA_HOME": str(tmp_path / "xdg")}
    assert paths.data_dir(environ=env, executable=exe) == home
    assert home.is_dir()


def test_portable_marker_beside_the_executable(tmp_path):
    exe = fake_app(tmp_path, portable=True)
    env = {"XDG_DATA_HOME": str(tmp_path / "xdg"), "SELFEVAL_HOME": " "}
    expected = tmp_path / "app" / "data"
    assert paths.data_dir(environ=env, executable=exe) == expected
    assert paths.database_path(environ=env, executable=exe) == expected / "selfeval.sqlite3"
    assert paths.backup_dir(environ=env, executable=exe) == expected / "backups"
    assert paths.log_dir(environ=env, executable=exe) == expected / "logs"
    assert (expected / "backups").is_dir() and (expected / "logs").is_dir()


def test_xdg_data_home_and_its_fallback(tmp_path):
    exe = fake_app(tmp_path)
    xdg = tmp_path / "xdg"
    found = paths.data_dir(environ={"XDG_DATA_HOME": str(xdg)}, executable=exe, platform="linux")
    assert found == xdg / "selfeval"
    env = {"XDG_DATA_HOME": "relative/ignored", "HOME": str(tmp_path / "u")}
    found = paths.data_dir(environ=env, executable=exe, platform="linux")
    assert found == tmp_path / "u" / ".local" / "share" / "selfeval"


def test_windows_and_macos_folders(tmp_path):
    exe = fake_app(tmp_path)
    roaming = tmp_path / "Roaming"
    assert paths.data_dir(environ={"APPDATA": str(roaming)}, executable=exe,
                          platform="win32") == roaming / "selfeval"
    home = {"HOME": str(tmp_path / "u")}
    assert paths.data_dir(environ=home, executable=exe, platform="win32") == Path(
        tmp_path, "u", "AppData", "Roaming", "selfeval")
    assert paths.data_dir(environ=home, executable=exe, platform="darwin") == Path(
        tmp_path, "u", "Library", "Application Support", "selfeval")


def test_defaults_read_the_process_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("SELFEVAL_HOME", str(tmp_path / "env"))
    assert paths.database_path() == tmp_path / "env" / "selfeval.sqlite3"
