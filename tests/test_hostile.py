"""Hostile bytes and damaged storage (tests/data/make_damaged.py): nothing crashes,
nothing is lost, nothing changes unseen.  Every case checks the exit status, the
Chinese message, and that files which must stay as they were keep their SHA-256."""
from __future__ import annotations

import errno
import hashlib
import json
import os
import re
import sqlite3
import stat
import subprocess
import sys
import textwrap
from contextlib import closing
from pathlib import Path

import pytest

from selfeval import errors, paths
from selfeval.export import package
from selfeval.export.certs import new_self_signed
from selfeval.export.verify import verify
from selfeval.store import Store
from selfeval.store import database as database_module

CJK = re.compile(r"[\u4e00-\u9fff]")
ENGLISH = re.compile(r"readonly|locked|no such|I/O|codec|Traceback|Error", re.IGNORECASE)
PASSWORD = "secret-123"
POSIX = pytest.mark.skipif(os.name == "nt", reason="POSIX file modes and signals")


def sha(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def chinese(text: str) -> bool:
    """A message for the clerk: Chinese, no English error text leaking through."""
    return bool(CJK.search(text)) and not ENGLISH.search(text)


@pytest.fixture
def db(case, home):
    """Put a corpus database where the program looks for it; returns a copier."""
    def put(name: str) -> Path:
        return case(name, paths.database_path())

    return put


# -- 2. one damaged row never locks the clerk out


@pytest.mark.parametrize("name, said", [
    ("bad-timestamp.sqlite3", "最后修改时间“garbage”无法识别"),
    ("bad-value-json.sqlite3", "数据项“income.basic”的内容已损坏"),
    ("bad-row.sqlite3", "年度“abc”无效"),
    ("bad-utf8.sqlite3", "数据项“unit.region”的内容已损坏"),
])
def test_a_damaged_report_is_listed_as_damaged_and_the_rest_works(cli, db, tmp_path, name, said):
    db(name)
    code, out, err = cli("list")
    assert code == 0, err
    assert said in out and "报告已损坏" in out and out.count("\n") >= 3
    code, out, err = cli("list", "--json")
    rows = {row["id"]: row for row in json.loads(out)}
    assert said in rows[2]["problem"] and rows[1]["problem"] is None
    code, out, err = cli("check", 2)
    assert code == 2 and said in err and chinese(err)
    code, out, err = cli("score", 1)
    assert code == 0, err
    code, out, err = cli("backup", "--to", tmp_path / "copy.sqlite3")
    assert code == 0 and (tmp_path / "copy.sqlite3").is_file()


def test_a_new_report_from_the_previous_year_passes_a_damaged_one_over(cli, db):
    db("bad-timestamp.sqlite3")
    unit = {row["id"]: row for row in json.loads(cli("list", "--json")[1])}[1]["unit"]
    code, out, err = cli("new", "--unit", unit, "--year", 2023, "--from-previous")
    assert code == 0, err
    code, out, err = cli("history", int(out))
    assert "由编号 1 的报告" in out


def test_a_damaged_report_can_be_deleted(db):
    db("bad-row.sqlite3")
    with Store(paths.database_path()) as store:
        safety = store.delete_report(2)
        assert safety.is_file() and [info.id for info in store.reports()] == [1]


def test_restore_is_reachable_on_a_database_that_cannot_be_opened(cli, db, corpus):
    current = db("truncated.sqlite3")
    code, out, err = cli("list")
    assert code == 2 and re.search("已损坏|不完整", err) and chinese(err)
    code, out, err = cli("restore", corpus["good.sqlite3"])
    assert code == 0 and "已恢复" in out
    code, out, err = cli("list", "--json")
    assert code == 0 and [row["id"] for row in json.loads(out)] == [2, 1]
    assert list(current.parent.glob("backups/*before-restore*"))


# -- 3. restore checks a backup before accepting it


@pytest.mark.parametrize("name, said", [
    ("truncated.sqlite3", "已损坏|不完整"),
    ("bad-timestamp.sqlite3", "最后修改时间“garbage”无法识别"),
    ("bad-value-json.sqlite3", "数据项“income.basic”的内容已损坏"),
    ("bad-row.sqlite3", "单位记录缺失"),
    ("bad-utf8.sqlite3", "数据项“unit.region”的内容已损坏"),
    ("missing-table.sqlite3", "缺少数据表：explanation"),
    ("too-new.sqlite3", "更新版本"),
    ("other-program.sqlite3", "不是本程序的数据库备份"),
    ("empty.sqlite3", "不是本程序"),
])
def test_restore_refuses_a_damaged_backup_and_changes_nothing(cli, db, case, name, said):
    current = db("good.sqlite3")
    before = sha(current)
    backup = case(name)
    backup_before = sha(backup)
    code, out, err = cli("restore", backup)
    assert code == 2, out
    assert re.search(said, err) and "当前的数据库没有任何改动" in err and chinese(err.replace(str(backup), ""))
    assert sha(current) == before and sha(backup) == backup_before
    assert not list(current.parent.glob("backups/*before-restore*"))


HOLDER = textwrap.dedent("""
    import sys, time
    from selfeval.store import Store
    store = Store(sys.argv[1])
    print("open", flush=True)
    sys.stdin.readline()
    store.close(backup=False)
""")


def _holder(path: Path) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    child = subprocess.Popen([sys.executable, "-c", HOLDER, str(path)], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, text=True, env=env)
    assert child.stdout.readline().strip() == "open"
    return child


def test_restore_is_refused_while_another_process_has_the_database_open(cli, db, corpus):
    current = db("bad-timestamp.sqlite3")
    before = sha(current)
    child = _holder(current)
    try:
        code, out, err = cli("restore", corpus["good.sqlite3"])
        assert code == 2 and "正在被另一个" in err and chinese(err)
        assert sha(current) == before
    finally:
        child.communicate("\n", timeout=30)
    code, out, err = cli("restore", corpus["good.sqlite3"])
    assert code == 0, err


def test_a_store_is_refused_while_a_restore_holds_the_database(db):
    from selfeval.store.lock import DatabaseLock

    current = db("good.sqlite3")
    lock = DatabaseLock(current)
    assert lock.acquire(exclusive=True)
    try:
        with pytest.raises(errors_store_error(), match="正在从备份恢复"):
            Store(current)
    finally:
        lock.release()
    Store(current).close(backup=False)


def errors_store_error():
    from selfeval.store import StoreError

    return StoreError


# -- 4. only a missing path creates a database


@pytest.mark.parametrize("name, said", [("empty.sqlite3", "空文件"),
                                        ("other-program.sqlite3", "另一个程序的 SQLite 数据库")])
def test_an_existing_file_that_is_not_ours_is_never_turned_into_one(cli, case, name, said):
    target = case(name)
    before = sha(target)
    for command in (["list"], ["new", "--unit", "某单位", "--year", "2024"]):
        code, out, err = cli("--db", target, *command)
        assert code == 2 and said in err and "未作任何改动" in err and chinese(err.replace(str(target), ""))
        assert sha(target) == before
    assert sorted(p.name for p in target.parent.iterdir() if p.name.startswith(name)) == [name]


def test_a_missing_path_gets_a_new_database(cli, tmp_path):
    target = tmp_path / "new" / "fresh.sqlite3"
    code, out, err = cli("--db", target, "new", "--unit", "某单位", "--year", "2024")
    assert code == 0, err
    assert not [p for p in target.parent.iterdir() if ".creating-" in p.name]


# -- 5. every message in Chinese


def test_a_read_only_database_can_be_listed_and_refuses_changes_in_chinese(cli, db, monkeypatch):
    current = db("good.sqlite3")
    folder = str(current.parent)
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda path, mode, **kw: False if mode == os.W_OK and str(
        path).startswith(folder) else real_access(path, mode, **kw))
    before = sha(current)
    code, out, err = cli("list")
    assert code == 0 and "某市" not in err and out.count("\n") >= 2, err
    code, out, err = cli("check", 1)
    assert code == 0, err
    code, out, err = cli("set", 2, "income.basic", "1")
    assert code == 2 and "只读" in err and chinese(err)
    assert sha(current) == before


def test_a_busy_database_is_said_in_chinese(cli, db, monkeypatch):
    current = db("good.sqlite3")
    monkeypatch.setattr(database_module, "BUSY_TIMEOUT_SECONDS", 0.2)
    monkeypatch.setattr(database_module, "PRAGMAS", (*database_module.PRAGMAS[:-1], ("busy_timeout", 200)))
    with closing(sqlite3.connect(current, isolation_level=None)) as other:
        other.execute("BEGIN EXCLUSIVE")
        code, out, err = cli("set", 2, "income.basic", "1")
        other.execute("ROLLBACK")
    assert code == 2 and "另一个 selfeval" in err and chinese(err)


def test_a_missing_table_is_said_in_chinese(cli, db):
    current = db("missing-table.sqlite3")
    before = sha(current)
    code, out, err = cli("list")
    assert code == 2 and "缺少数据表（explanation）" in err and chinese(err)
    assert sha(current) == before


def test_a_full_disk_at_start_is_said_in_chinese(cli, home, monkeypatch):
    def full(path, mode=0o600):
        raise OSError(errno.ENOSPC, "No space left on device", str(path))

    monkeypatch.setattr(database_module, "private_file", full)
    code, out, err = cli("new", "--unit", "某单位", "--year", "2024")
    assert code == 2 and "磁盘空间不足" in err and chinese(err)
    assert not paths.database_path().exists()


def test_a_disk_error_when_opening_is_said_in_chinese(cli, db, monkeypatch):
    import peewee

    current = db("good.sqlite3")
    before = sha(current)

    def failing(self, *args, **kwargs):
        error = sqlite3.OperationalError("disk I/O error")
        error.sqlite_errorname = "SQLITE_IOERR_READ"
        raise error

    monkeypatch.setattr(peewee.SqliteDatabase, "_connect", failing)
    code, out, err = cli("list")
    assert code == 2 and "磁盘出错" in err and chinese(err.replace(str(current), ""))
    assert sha(current) == before


@pytest.mark.parametrize("english, name, said", [
    ("attempt to write a readonly database", "SQLITE_READONLY", "只读"),
    ("database is locked", "SQLITE_BUSY", "正被另一个"),
    ("no such table: value", "SQLITE_ERROR", "缺少“value”"),
    ("disk I/O error", "SQLITE_IOERR_WRITE", "磁盘出错"),
    ("database or disk is full", "SQLITE_FULL", "磁盘空间不足"),
    ("something new", "SQLITE_ERROR", "详细信息已写入日志"),
])
def test_sqlite_errors_are_worded_in_chinese_and_logged_in_the_original(tmp_path, english, name, said):
    error = sqlite3.OperationalError(english)
    error.sqlite_errorname = name
    log = errors.setup_logging(tmp_path)
    text = errors.sqlite_message(error, "D:/数据/selfeval.sqlite3")
    assert said in text and chinese(text)
    assert english in log.read_text(encoding="utf-8")


def test_a_gbk_import_file_is_named_as_not_utf8(cli, case, home):
    source = case("gbk-report.json")
    code, out, err = cli("import", source)
    assert code == 2 and "不是 UTF-8" in err and "另存为" in err and "编码" in err
    assert chinese(err.replace(str(source), ""))
    code, out, err = cli("list")
    assert "还没有报告" in out


def test_the_cli_logs_the_original_of_what_it_words_in_chinese(cli, case, home):
    cli("import", case("gbk-report.json"))
    assert "codec can't decode" in (home / "logs" / "selfeval.log").read_text(encoding="utf-8")


# -- 6. exit codes tell the truth


def test_a_failed_automatic_backup_does_not_undo_a_saved_value(cli, db, monkeypatch):
    from selfeval.store import reports

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", "backups/x.sqlite3")

    current = db("good.sqlite3")
    monkeypatch.setattr(reports, "auto_backup", full)
    code, out, err = cli("set", 2, "income.basic", "777")
    assert code == 0 and "自动备份没有完成" in err and "磁盘空间不足" in err
    with Store(current) as store:
        assert store.values(2)["income.basic"] == "777"


def test_set_on_a_damaged_report_changes_nothing_and_says_so(cli, db):
    current = db("bad-value-json.sqlite3")
    before = sha(current)
    code, out, err = cli("set", 2, "income.total", "100")
    assert code == 2 and "已损坏" in err
    assert sha(current) == before


def test_set_on_another_report_of_a_damaged_database_works(cli, db):
    db("bad-value-json.sqlite3")
    code, out, err = cli("reopen", 1, "--reason", "补充")
    assert code == 0, err
    code, out, err = cli("set", 1, "income.basic", "123")
    assert code == 0 and "123" in out, err


def test_a_failure_after_saving_is_not_reported_as_nothing_changed(cli, db, monkeypatch):
    from selfeval.store import StoreError
    from selfeval.workspace import Workspace

    current = db("good.sqlite3")

    def broken(self, report_id):
        raise StoreError("模拟：评分时读取失败。")

    monkeypatch.setattr(Workspace, "evaluate", broken)
    code, out, err = cli("set", 2, "income.basic", "4321")
    assert code == 1 and "已保存：income.basic" in err and "模拟" in err
    with Store(current) as store:
        assert store.values(2)["income.basic"] == "4321"


@pytest.fixture
def pfx(tmp_path, monkeypatch):
    monkeypatch.setenv("SELFEVAL_PFX_PASSWORD", PASSWORD)
    return new_self_signed(tmp_path / "cert" / "a.pfx", unit_name="示例单位", person="张三", password=PASSWORD)


def _history(cli, report_id: int) -> str:
    return cli("history", report_id)[1]


def test_a_zip_that_does_not_fit_still_leaves_a_recorded_verified_folder(cli, db, pfx, tmp_path, monkeypatch):
    db("good.sqlite3")

    def full(target, name, contents):
        raise package._problem(OSError(errno.ENOSPC, "No space left on device"), target)

    monkeypatch.setattr(package, "write_zip", full)
    out_dir = tmp_path / "stick"
    out_dir.mkdir()
    code, out, err = cli("export", 1, "--pfx", pfx, "--out", out_dir, "--zip")
    assert code == 1
    assert "没有生成压缩包" in err and "磁盘空间不足" in err and "报送文件夹已完整写入" in err
    folders = [p for p in out_dir.iterdir() if p.is_dir()]
    assert len(folders) == 1 and verify(folders[0]).ok
    assert not list(out_dir.glob("*.zip"))
    assert "导出 package" in _history(cli, 1)


def test_a_folder_that_vanishes_after_writing_is_reported_and_recorded(cli, db, pfx, tmp_path, monkeypatch):
    import shutil

    db("good.sqlite3")
    real = package.write_package

    def pulled(*args, **kwargs):
        folder = real(*args, **kwargs)
        shutil.rmtree(folder)
        return folder

    monkeypatch.setattr(package, "write_package", pulled)
    code, out, err = cli("export", 1, "--pfx", pfx, "--out", tmp_path)
    assert code == 1
    assert "不见了" in err and chinese(err.split("\n")[-2]) and "Traceback" not in err
    assert "验证未通过" in out and "No such file" not in out
    assert "导出 package" in _history(cli, 1)


# -- 10. private files


@POSIX
def test_files_the_program_makes_are_its_owners_only(cli, home, tmp_path, monkeypatch, corpus):
    def mode(path: Path) -> int:
        return stat.S_IMODE(path.stat().st_mode)

    monkeypatch.setenv("SELFEVAL_PFX_PASSWORD", PASSWORD)
    old = os.umask(0o022)
    try:
        code, out, err = cli("new", "--unit", "某单位", "--year", "2024")
        assert code == 0, err
        cli("backup")
        cli("import", corpus["gbk-report.json"])  # writes to the log
        code, out, err = cli("cert", "new", "--out", tmp_path / "unit.pfx", "--unit", "某单位", "--person", "张三")
        assert code == 0, err
        cli("restore", next((home / "backups").glob("*manual*")))
    finally:
        os.umask(old)
    assert mode(home) == 0o700
    assert mode(paths.database_path()) == 0o600
    assert mode(home / "backups") == 0o700 and mode(home / "logs") == 0o700
    made = list((home / "backups").iterdir()) + list((home / "logs").iterdir())
    assert any("before-restore" in p.name for p in made) and any(p.name == "selfeval.log" for p in made)
    assert {p.name: mode(p) for p in made} == {p.name: 0o600 for p in made}
    assert mode(tmp_path / "unit.pfx") == 0o600
    assert mode(Path(f"{paths.database_path()}.lock")) == 0o600


# -- 11. a finalised report cannot change unseen


def test_a_final_report_changed_in_the_database_is_flagged_everywhere(cli, db, pfx, tmp_path):
    current = db("tampered-final.sqlite3")
    code, out, err = cli("list")
    assert code == 0 and "定稿后，其中的数据在本程序之外被改动过" in out
    code, out, err = cli("check", 1)
    assert code == 1 and "在本程序之外被改动过" in err
    before = sha(current)
    code, out, err = cli("export", 1, "--pfx", pfx, "--out", tmp_path)
    assert code == 2 and "在本程序之外被改动过" in err
    assert not [p for p in tmp_path.iterdir() if p.name.startswith("20")]
    assert sha(current) == before
    code, out, err = cli("reopen", 1, "--reason", "核对后确认收入合计")
    assert code == 0, err
    code, out, err = cli("list")
    assert "改动过" not in out
    assert "核对后确认收入合计" in _history(cli, 1)


def test_a_final_report_finalised_again_exports(cli, db, pfx, tmp_path):
    db("good.sqlite3")
    assert cli("reopen", 1, "--reason", "改一处")[0] == 0
    assert cli("set", 1, "perf.notes", "重新核对")[0] in (0, 2)
    code, out, err = cli("finalize", 1)
    assert code == 0, err
    code, out, err = cli("export", 1, "--pfx", pfx, "--out", tmp_path)
    assert code == 0, err


def test_an_audit_entry_changed_in_the_database_breaks_the_chain(cli, db):
    db("tampered-history.sqlite3")
    code, out, err = cli("history", 2)
    assert code == 1 and "在本程序之外被改动或删除过" in err
    code, out, err = cli("check", 2)
    assert code == 1 and "修改记录中第" in err
    code, out, err = cli("history", 1)
    assert code == 0, err


def test_a_damaged_audit_entry_is_shown_as_such_and_locks_nothing(cli, db):
    current = db("good.sqlite3")
    with closing(sqlite3.connect(current)) as conn:
        conn.execute("UPDATE audit_entry SET at = 'garbage', new_json = '{' WHERE id = (SELECT max(id) FROM audit_entry"
                     " WHERE report_id = 2 AND action = 'set')")
        conn.commit()
    code, out, err = cli("history", 2)
    assert code == 1 and "此条修改记录已损坏" in out and "修改记录中第" in err
    code, out, err = cli("list")
    assert code == 0 and "已损坏" not in out
    assert cli("set", 2, "income.basic", "12")[0] == 0


def test_removing_an_audit_entry_breaks_the_chain(cli, db):
    current = db("good.sqlite3")
    with closing(sqlite3.connect(current)) as conn:
        conn.execute("DELETE FROM audit_entry WHERE id = (SELECT min(id) + 3 FROM audit_entry WHERE report_id = 1)")
        conn.commit()
    code, out, err = cli("history", 1)
    assert code == 1 and "修改记录中第" in err
