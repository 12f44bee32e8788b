import hashlib
import shutil
import sqlite3
from contextlib import closing
from datetime import datetime, timedelta
from pathlib import Path

import peewee
import pytest

from selfeval.store import (
    MIGRATIONS,
    SCHEMA_VERSION,
    CarriedOver,
    DatabaseTooNew,
    ReportLocked,
    Store,
    StoreError,
    auto_backup,
    open_database,
    plan_rotation,
    restore_from,
)
from selfeval.store.backup import automatic_backups
from selfeval.store.models import MODELS, Unit, proxy

SCHEMA_V1 = Path(__file__).parent / "data" / "schema-v1.sqlite"
SCHEMA_V2 = Path(__file__).parent / "data" / "schema-v2.sqlite"

VALUES = {
    "unit.name": "某县教育局",
    "unit.credit_code": "12345678901234567X",
    "income.basic": "628.76",
    "score.effect": 18,
    "flags.audited": True,
    "targets": ["完成率", "满意度"],
    "budget": {"lines": 3, "note": "含追加"},
    "narrative.fm_compliance": "资金使用合规。\n第二段。",
}
EXPLANATIONS = {"balance.total": "年中追加预算。", "rate.execution": "项目延期。"}


def make_report(store, **overrides):
    args = dict(unit_name="某县教育局", year=2024, form_id="dept-overall", form_edition="2024",
                values=VALUES, explanations=EXPLANATIONS)
    args.update(overrides)
    return store.create_report(**args)


def query(path, sql, params=()):
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
        return conn.execute(sql, params).fetchall()


def sha256(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def corrupt_index_entry(source, target, key):
    """Copy ``source`` to ``target`` with ``key`` garbled inside the value index's page."""
    [(root,)] = query(source, "SELECT rootpage FROM sqlite_master"
                              " WHERE name = 'value_report_id_key'")
    [(page_size,)] = query(source, "PRAGMA page_size")
    data = bytearray(Path(source).read_bytes())
    start = (root - 1) * page_size
    at = data.find(key.encode(), start, start + page_size)
    assert at > start + 100, "the key must sit inside the index page"
    data[at:at + len(key)] = b"#" * len(key)
    Path(target).write_bytes(data)


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "selfeval.sqlite3"


@pytest.fixture
def store(db_path):
    with Store(db_path) as opened:
        yield opened


# -- reports, values, audit -------------------------------------------------


def test_everything_survives_close_and_reopen(db_path):
    store = Store(db_path)
    rid = make_report(store)
    store.set_value(rid, "income.basic", "700.00")
    store.set_explanation(rid, "rate.execution", None)
    store.cache_score(rid, total="91.50", grade="优", complete=True)
    store.set_status(rid, "final", note="报送财政")
    store.record_export(rid, kind="pdf", path=db_path.parent / "out.pdf", sha256="ab" * 32)
    before = (store.report(rid), store.values(rid), store.explanations(rid), store.audit_trail(rid))
    store.close()

    with Store(db_path) as reopened:
        after = (reopened.report(rid), reopened.values(rid), reopened.explanations(rid),
                 reopened.audit_trail(rid))
    assert after == before
    info, values, explanations, trail = after
    assert values == {**VALUES, "income.basic": "700.00"}
    assert explanations == {"balance.total": "年中追加预算。"}
    assert (info.status, info.total, info.grade, info.complete) == ("final", "91.50", "优", True)
    assert info.created_at.tzinfo is not None and info.updated_at >= info.created_at
    actions = [record.action for record in trail]
    assert actions == (["create"] + ["set"] * len(VALUES) + ["explain"] * 2
                       + ["set", "explain", "finalize", "export"])
    change = trail[-4]
    assert (change.key, change.old, change.new) == ("income.basic", "628.76", "700.00")
    assert trail[-2].note == "报送财政"


def test_unchanged_value_writes_nothing(store):
    rid = make_report(store)
    trail, updated = store.audit_trail(rid), store.report(rid).updated_at
    assert store.set_value(rid, "income.basic", "628.76") is False
    assert store.set_value(rid, "budget", {"note": "含追加", "lines": 3}) is False
    assert store.set_value(rid, "missing.key", None) is False
    assert store.set_explanation(rid, "balance.total", "年中追加预算。") is False
    assert store.audit_trail(rid) == trail
    assert store.report(rid).updated_at == updated


def test_set_value_deletes_with_none_and_audits(store):
    rid = make_report(store)
    assert store.set_value(rid, "score.effect", None) is True
    assert "score.effect" not in store.values(rid)
    last = store.audit_trail(rid)[-1]
    assert (last.action, last.key, last.old, last.new) == ("set", "score.effect", 18, None)
    assert store.set_value(rid, "score.effect", 20) is True
    assert store.values(rid)["score.effect"] == 20


def test_set_values_is_one_transaction(store, monkeypatch):
    rid = make_report(store)
    assert store.set_values(rid, {"a": 1, "b": 2, "income.basic": "628.76"}) == ["a", "b"]

    def fail(*args):
        raise RuntimeError("disk went away")

    monkeypatch.setattr(Store, "_touch", fail)
    with pytest.raises(RuntimeError):
        store.set_values(rid, {"a": 10, "c": 3})
    values = store.values(rid)
    assert (values["a"], "c" in values) == (1, False)


def test_final_report_is_locked_until_reopened(store):
    rid = make_report(store)
    assert store.set_status(rid, "final") is True
    assert store.set_status(rid, "final") is False
    for edit in (lambda: store.set_value(rid, "income.basic", "1.00"),
                 lambda: store.set_values(rid, {"x": 1}),
                 lambda: store.set_explanation(rid, "balance.total", "改"),
                 lambda: store.set_unit_facts(rid, region="某省")):
        with pytest.raises(ReportLocked, match="已定稿"):
            edit()
    store.cache_score(rid, total="90.00", grade="优", complete=True)
    assert store.values(rid) == VALUES

    store.set_status(rid, "draft", note="发现填报错误")
    reopen = store.audit_trail(rid)[-1]
    assert (reopen.action, reopen.old, reopen.new, reopen.note) == (
        "reopen", "final", "draft", "发现填报错误")
    assert store.set_value(rid, "income.basic", "1.00") is True
    with pytest.raises(StoreError):
        store.set_status(rid, "submitted")


def test_unknown_report_id_gives_chinese_error(store):
    for call in (lambda: store.report(7), lambda: store.values(7),
                 lambda: store.set_value(7, "a", 1), lambda: store.audit_trail(7),
                 lambda: store.cache_score(7, total=None, grade=None, complete=False),
                 lambda: store.delete_report(7), lambda: store.duplicate_report(7)):
        with pytest.raises(StoreError, match="找不到编号为 7 的报告"):
            call()


def test_closed_store_refuses_use(db_path):
    store = Store(db_path)
    store.close()
    store.close()
    with pytest.raises(StoreError, match="已关闭"):
        store.reports()


def test_delete_backs_up_first_and_keeps_audit(store, db_path):
    rid = make_report(store)
    keep = make_report(store, year=2023)
    backup = store.delete_report(rid)

    assert "before-delete" in backup.name and backup.parent == store.backup_dir
    assert query(backup, "SELECT count(*) FROM report WHERE id = ?", (rid,)) == [(1,)]
    assert [info.id for info in store.reports()] == [keep]
    assert query(db_path, "SELECT count(*) FROM value WHERE report_id = ?", (rid,)) == [(0,)]
    orphaned = query(db_path, "SELECT action, key, note FROM audit_entry WHERE report_id IS NULL")
    assert orphaned[-1][:2] == ("delete", str(rid)) and backup.name in orphaned[-1][2]
    assert make_report(store) > rid


def test_new_from_previous_copies_only_carry_keys(store):
    old = make_report(store, year=2023)
    store.set_status(old, "final")
    new = store.new_from_previous(old, year=2024, form_edition="2024b",
                                  carry_keys=["unit.name", "narrative.fm_compliance", "absent"])
    info = store.report(new)
    assert (info.year, info.status, info.form_id, info.form_edition) == (
        2024, "draft", "dept-overall", "2024b")
    assert store.values(new) == {"unit.name": "某县教育局",
                                 "narrative.fm_compliance": VALUES["narrative.fm_compliance"]}
    assert store.explanations(new) == {}
    assert store.previous_report("某县教育局", 2024).id == old
    assert "转入" in store.audit_trail(new)[0].note
    assert store.carried_over(new) == CarriedOver(old, 2023, {
        "unit.name": "某县教育局", "narrative.fm_compliance": VALUES["narrative.fm_compliance"]})
    assert store.carried_over(old) is None
    with pytest.raises(TypeError):
        store.new_from_previous(old, year=2025, carry_keys="unit.name")


def test_what_was_carried_over_stays_as_it_was_carried(db_path):
    with Store(db_path) as store:
        old = make_report(store, year=2023)
        new = store.new_from_previous(old, year=2024, carry_keys=["narrative.fm_compliance"])
        store.set_value(new, "narrative.fm_compliance", "本年度重写。")
        copy = store.duplicate_report(new)
        store.delete_report(old)
    with Store(db_path) as store:
        carried = store.carried_over(new)
        assert carried == CarriedOver(old, 2023, {"narrative.fm_compliance": VALUES["narrative.fm_compliance"]})
        assert store.values(new)["narrative.fm_compliance"] == "本年度重写。"
        assert store.carried_over(copy) is None  # a copy is not carried over from anything
        store.delete_report(new)
    assert query(db_path, "SELECT count(*) FROM carried_value WHERE report_id = ?", (new,)) == [(0,)]


def test_rewording_the_audit_note_changes_nothing(db_path):
    with Store(db_path) as store:
        old = make_report(store, year=2023)
        new = store.new_from_previous(old, year=2024, carry_keys=["unit.name"])
        carried = store.carried_over(new)
    with closing(sqlite3.connect(db_path)) as conn, conn:
        conn.execute("UPDATE audit_entry SET note = '从上一年度的报告转入' WHERE action = 'create'")
    with Store(db_path) as store:
        assert store.audit_trail(new)[0].note == "从上一年度的报告转入"
        assert store.carried_over(new) == carried
        assert store.carried_over(old) is None


def test_previous_report_picks_latest_earlier_year(store):
    assert store.previous_report("某县教育局", 2024) is None
    make_report(store, year=2021)
    draft_2022 = make_report(store, year=2022)
    final_2022 = make_report(store, year=2022)
    store.set_status(final_2022, "final")
    make_report(store, year=2024)
    make_report(store, unit_name="别的单位", year=2023, values={"unit.name": "别的单位"})
    assert store.previous_report("某县教育局", 2024).id == final_2022
    store.set_status(final_2022, "draft")
    store.set_value(draft_2022, "x", 1)
    assert store.previous_report("某县教育局", 2024).id == draft_2022


def test_duplicate_report(store):
    rid = make_report(store)
    store.cache_score(rid, total="80.00", grade="良", complete=False)
    store.set_status(rid, "final")
    copy = store.duplicate_report(rid)
    assert copy != rid
    assert store.values(copy) == store.values(rid)
    assert store.explanations(copy) == store.explanations(rid)
    info = store.report(copy)
    assert (info.status, info.total, info.grade, info.complete) == ("draft", "80.00", "良", False)
    assert [info.id for info in store.reports()][0] == copy


def test_unit_facts_keep_unit_row_in_line(store):
    first = make_report(store, year=2023)
    second = make_report(store, year=2024)
    store.set_unit_facts(second, credit_code="99999999999999999Y", region="某省")
    proxy.initialize(store.database)
    unit = Unit.get(Unit.name == "某县教育局")
    assert (unit.credit_code, unit.region) == ("99999999999999999Y", "某省")
    assert store.values(second)["unit.credit_code"] == "99999999999999999Y"

    assert store.rename_unit(second, "某县教育和体育局") == ["unit.name"]
    assert store.report(second).unit_name == "某县教育和体育局"
    assert store.values(second)["unit.name"] == "某县教育和体育局"
    assert store.report(first).unit_name == "某县教育局"
    store.set_value(first, "unit.name", "某县教育和体育局")
    assert [u.name for u in Unit.select()] == ["某县教育和体育局"]
    with pytest.raises(StoreError, match="单位名称"):
        store.rename_unit(first, "  ")


def test_reports_newest_first_and_input_checks(store):
    a = make_report(store, year=2022)
    b = make_report(store, year=2023)
    assert [info.id for info in store.reports()] == [b, a]
    store.set_value(a, "x", 1)
    assert [info.id for info in store.reports()] == [a, b]
    with pytest.raises(StoreError, match="年度"):
        make_report(store, year="2024")
    with pytest.raises(StoreError, match="单位名称"):
        make_report(store, unit_name="")
    with pytest.raises(StoreError, match="不一致"):
        make_report(store, unit_name="别的单位")


# -- database file: pragmas, integrity, schema -------------------------------


def test_pragmas(store):
    db = store.database
    assert db.pragma("journal_mode") == "wal"
    assert db.pragma("synchronous") == 2
    assert db.pragma("foreign_keys") == 1
    assert db.pragma("busy_timeout") >= 1000
    assert db.pragma("user_version") == SCHEMA_VERSION


def _schema(conn):
    tables = [row[0] for row in conn.execute(
        "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")]
    shape = {}
    for table in sorted(tables):
        indexes = {
            row[1]: (row[2], [col[2] for col in conn.execute(f'PRAGMA index_info("{row[1]}")')])
            for row in conn.execute(f'PRAGMA index_list("{table}")')
        }
        shape[table] = (
            [row[1:] for row in conn.execute(f'PRAGMA table_info("{table}")')],
            sorted(row[2:] for row in conn.execute(f'PRAGMA foreign_key_list("{table}")')),
            indexes,
        )
    return shape


def test_migrations_build_what_the_models_describe(db_path, tmp_path):
    Store(db_path).close(backup=False)
    reference = peewee.SqliteDatabase(str(tmp_path / "models.sqlite3"))
    with reference.bind_ctx(MODELS):
        reference.create_tables(MODELS)
    with closing(sqlite3.connect(db_path)) as migrated:
        assert _schema(migrated) == _schema(reference.connection())
    reference.close()


def test_not_a_database_is_refused_in_chinese(db_path):
    db_path.write_bytes(b"PK\x03\x04 this is a zip, not a database " * 200)
    with pytest.raises(StoreError, match="不是本程序的数据库文件"):
        Store(db_path)


def test_corrupted_page_is_refused(db_path):
    with Store(db_path) as store:
        rid = make_report(store)
        for i in range(30):
            store.set_value(rid, f"narrative.n{i:02}", "长文本" * 400)
    corrupt_index_entry(db_path, db_path, "income.basic")
    with pytest.raises(StoreError, match="损坏") as raised:
        Store(db_path)
    assert str(db_path) in str(raised.value) and "备份" in str(raised.value)


def _copy_v1(tmp_path):
    target = tmp_path / "old.sqlite3"
    shutil.copyfile(SCHEMA_V1, target)
    return target


def test_saved_v1_database_opens_and_reads_back(tmp_path):
    with Store(_copy_v1(tmp_path)) as store:
        old, new = store.report(1), store.report(2)
        assert (old.id, old.year, old.status, old.total, old.grade, old.complete) == (
            1, 2023, "final", "92.50", "优", True)
        assert (new.id, new.unit_name, new.form_id, new.status) == (
            2, "某市财政局", "dept-overall", "draft")
        assert store.values(1) == {"unit.name": "某市财政局", "income.basic": "628.76",
                                   "score.effect": 18,
                                   "narrative.fm_compliance": "资金使用合规，未发现违规。"}
        assert store.values(2) == {"unit.name": "某市财政局", "income.basic": "701.20",
                                   "flags.audited": True, "targets": ["完成率", "满意度"],
                                   "budget": {"year": 2024, "lines": 3}}
        assert store.explanations(2) == {"balance.total": "年中追加预算，差额已说明。"}
        assert store.audit_trail(1)[-1].action == "finalize"
        assert old.updated_at == datetime.fromisoformat("2024-03-05T02:00:00+00:00")
        store.set_value(2, "income.basic", "702.00")
        with pytest.raises(ReportLocked):
            store.set_value(1, "income.basic", "1")


def test_saved_v1_database_keeps_what_was_carried_over(tmp_path):
    """Version 1 said only in the audit note which report a report was carried from."""
    with Store(_copy_v1(tmp_path)) as store:
        assert store.carried_over(3) == CarriedOver(1, 2023, {
            "unit.name": "某市财政局", "narrative.fm_compliance": "资金使用合规，未发现违规。"})
        assert store.values(3)["report.year"] == 2024  # set a moment later: not carried
        assert store.carried_over(1) is None and store.carried_over(2) is None
        assert store.audit_trail(3)[0].note == "由编号 1 的报告（2023 年度）转入"


def test_restoring_a_v1_backup_keeps_what_was_carried_over(db_path, tmp_path):
    with Store(db_path) as store:
        make_report(store)
    restore_from(_copy_v1(tmp_path), db_path)
    with Store(db_path) as store:
        assert store.carried_over(3).source_id == 1
        good = store.backup()
        store.delete_report(3)
    restore_from(good, db_path)
    with Store(db_path) as store:
        assert store.carried_over(3).values["narrative.fm_compliance"] == "资金使用合规，未发现违规。"


def _copy_v2(tmp_path):
    target = tmp_path / "v2.sqlite3"
    shutil.copyfile(SCHEMA_V2, target)
    return target


def test_saved_v2_database_seals_its_final_report_as_it_is(tmp_path):
    path = _copy_v2(tmp_path)
    with Store(path) as store:
        assert store.database.pragma("user_version") == SCHEMA_VERSION == 3
        final, draft = store.report(1), store.report(2)
        assert (final.status, final.altered, draft.altered) == ("final", False, False)
        assert store.values(1)["income.total"] == "1200.00"
        assert store.broken_history(1) == [] and store.broken_history(2) == []
        assert [r.action for r in store.audit_trail(1)][-1] == "finalize"
        store.set_value(2, "income.total", "1400.00")  # new entries join the chain
        assert store.broken_history(2) == []
    assert list((tmp_path / "backups").glob("*pre-migration-v2*"))
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("""UPDATE value SET value_json = '"1300.00"' WHERE report_id = 1 AND key = 'income.total'""")
        conn.commit()
    with Store(path) as store:
        assert store.report(1).altered and "在本程序之外被改动过" in store.report(1).problem
        assert [info.altered for info in store.reports() if info.id == 1] == [True]
        store.set_status(1, "draft", note="重新打开：核对收入")
        store.set_status(1, "final", note="定稿")
        assert not store.report(1).altered


def test_a_v2_migration_that_fails_leaves_v2_intact(tmp_path):
    path = _copy_v2(tmp_path)

    def broken(db):
        raise RuntimeError("boom")

    with pytest.raises(StoreError, match="第 2 版"):
        open_database(path, migrations=[*MIGRATIONS[:2], (3, broken)])
    assert query(path, "PRAGMA user_version") == [(2,)]
    assert "digest" not in {row[1] for row in query(path, "PRAGMA table_info(audit_entry)")}


def test_restoring_a_v2_backup_migrates_it(db_path, tmp_path):
    with Store(db_path) as store:
        make_report(store)
    restore_from(_copy_v2(tmp_path), db_path)
    with Store(db_path) as store:
        assert store.report(1).status == "final" and not store.report(1).altered


def _add_column(db):
    db.execute_sql('ALTER TABLE "report" ADD COLUMN "reviewer" TEXT')


NEXT = SCHEMA_VERSION + 1  # the first version of fake steps after the real ones


def test_fake_migrations_run_in_order_after_a_backup(tmp_path):
    path, calls = _copy_v1(tmp_path), []
    steps = MIGRATIONS + [(NEXT, lambda db: calls.append(NEXT) or _add_column(db)),
                          (NEXT + 1, lambda db: calls.append(NEXT + 1))]
    db = open_database(path, migrations=steps)
    assert calls == [NEXT, NEXT + 1] and db.pragma("user_version") == NEXT + 1
    assert "reviewer" in [column.name for column in db.get_columns("report")]
    db.close()

    backups = list((tmp_path / "backups").glob("*pre-migration-v1*"))
    assert len(backups) == 1
    assert query(backups[0], "PRAGMA user_version") == [(1,)]
    assert query(backups[0], "SELECT count(*) FROM value") == [(12,)]
    db = open_database(path, migrations=steps)
    assert calls == [NEXT, NEXT + 1]
    db.close()


def test_failing_migration_leaves_v1_intact(tmp_path):
    path = _copy_v1(tmp_path)

    def broken(db):
        raise RuntimeError("the last step is broken")

    with pytest.raises(StoreError, match="第 1 版"):
        open_database(path, migrations=MIGRATIONS + [(NEXT, _add_column), (NEXT + 1, broken)])
    assert query(path, "PRAGMA user_version") == [(1,)]
    columns = [row[1] for row in query(path, "PRAGMA table_info(report)")]
    assert "reviewer" not in columns and "carried_from" not in columns
    assert query(path, "SELECT name FROM sqlite_master WHERE name = 'carried_value'") == []
    with Store(path) as store:
        assert store.values(1)["income.basic"] == "628.76"


def test_too_new_database_is_refused_untouched(db_path):
    with Store(db_path) as store:
        make_report(store)
    with closing(sqlite3.connect(db_path)) as conn:
        conn.execute("PRAGMA user_version = 99")
    before = sha256(db_path)
    with pytest.raises(DatabaseTooNew, match="更新版本的程序") as raised:
        Store(db_path)
    assert "升级" in str(raised.value)
    assert sha256(db_path) == before


# -- backups -----------------------------------------------------------------

NOW = datetime(2025, 3, 1, 9, 0, 0)


def test_plan_rotation_is_a_pure_decision():
    day = timedelta(days=1)
    stamps = [NOW - timedelta(days=n) for n in range(1, 6)]
    assert plan_rotation([], NOW, keep=3, min_interval=day) == (True, ())
    plan = plan_rotation(stamps, NOW, keep=3, min_interval=day)
    assert plan.make_new and plan.delete == tuple(sorted(stamps)[:3])
    plan = plan_rotation(stamps, NOW - timedelta(hours=12), keep=3, min_interval=day)
    assert not plan.make_new and plan.delete == tuple(sorted(stamps)[:2])
    assert plan_rotation([NOW + day], NOW, keep=3, min_interval=day).make_new
    with pytest.raises(ValueError):
        plan_rotation(stamps, NOW, keep=0, min_interval=day)


def test_auto_backup_rotates_only_automatic_backups(store, tmp_path):
    folder = tmp_path / "backups"
    folder.mkdir()
    others = [folder / name for name in ("selfeval-manual-20200101-000000.sqlite3",
                                         "selfeval-pre-migration-v1-20200101-000000.sqlite3",
                                         "selfeval-before-delete-r3-20200101-000000.sqlite3",
                                         "notes.txt")]
    for other in others:
        other.write_text("keep me")
    made = [auto_backup(store.database, folder, keep=3, now=NOW + timedelta(days=day))
            for day in range(5)]
    assert all(made) and made[-1].name == "selfeval-20250305-090000.sqlite3"
    assert sorted(automatic_backups(folder).values()) == made[2:]
    assert all(other.read_text() == "keep me" for other in others)
    assert query(made[-1], "PRAGMA integrity_check") == [("ok",)]
    assert query(made[-1], "PRAGMA journal_mode") == [("delete",)]

    almost_a_day = NOW + timedelta(days=4, hours=23)
    assert auto_backup(store.database, folder, keep=3, now=almost_a_day) is None
    later = auto_backup(store.database, folder, keep=3, min_interval=timedelta(hours=1),
                        now=NOW + timedelta(days=4, hours=1))
    assert later is not None and len(automatic_backups(folder)) == 3


def test_close_makes_at_most_one_automatic_backup_a_day(db_path):
    for _ in range(3):
        Store(db_path, auto_backup_keep=2).close()
    assert len(automatic_backups(db_path.parent / "backups")) == 1


def test_manual_backup(store, tmp_path):
    rid = make_report(store)
    first, second = store.backup(), store.backup()
    assert "manual" in first.name and first != second
    chosen = store.backup(tmp_path / "elsewhere" / "copy.sqlite3")
    for path in (first, second, chosen):
        assert query(path, "SELECT value_json FROM value WHERE key = 'income.basic'"
                     " AND report_id = ?", (rid,)) == [('"628.76"',)]


def test_restore_refuses_bad_sources(store, db_path, tmp_path):
    make_report(store)
    store.close()
    before = sha256(db_path)

    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"not a database at all " * 100)
    corrupt = tmp_path / "corrupt.sqlite3"
    corrupt_index_entry(db_path, corrupt, "narrative.fm_compliance")
    too_new = tmp_path / "new.sqlite3"
    shutil.copyfile(db_path, too_new)
    with closing(sqlite3.connect(too_new)) as conn:
        conn.execute("PRAGMA user_version = 99")
    foreign = tmp_path / "foreign.sqlite3"
    with closing(sqlite3.connect(foreign)) as conn:
        conn.execute("CREATE TABLE t (x)")

    for source, message in ((junk, "不是本程序的数据库文件"), (corrupt, "损坏"),
                            (too_new, "更新版本"), (foreign, "不是本程序的数据库备份"),
                            (tmp_path / "missing.sqlite3", "找不到备份文件")):
        with pytest.raises(StoreError, match=message):
            restore_from(source, db_path)
    assert sha256(db_path) == before
    assert not list((tmp_path / "backups").glob("*before-restore*"))


def test_restore_brings_back_a_good_backup(db_path):
    with Store(db_path) as store:
        rid = make_report(store)
        good = store.backup()
        store.set_value(rid, "income.basic", "1.00")
        store.delete_report(make_report(store, year=2020))
        wanted = {**VALUES}

    safety = restore_from(good, db_path)
    assert "before-restore" in safety.name
    assert query(safety, "SELECT value_json FROM value WHERE key = 'income.basic'") == [
        ('"1.00"',)]
    with Store(db_path) as store:
        assert store.values(rid) == wanted
        assert [info.id for info in store.reports()] == [rid]


def test_restore_over_a_damaged_database(db_path):
    with Store(db_path) as store:
        rid = make_report(store)
        good = store.backup()
    db_path.write_bytes(b"\x00garbage" * 1000)

    safety = restore_from(good, db_path)
    assert safety.read_bytes() == b"\x00garbage" * 1000
    with Store(db_path) as store:
        assert store.values(rid) == VALUES


def test_report_year_follows_its_value(tmp_path):
    with Store(tmp_path / "year.sqlite3") as store:
        rid = store.create_report(unit_name="某局", year=2022, form_id="f", form_edition="1")
        store.set_value(rid, "report.year", 2023)
        assert store.report(rid).year == 2023
    with Store(tmp_path / "year.sqlite3") as store:
        assert store.report(rid).year == 2023
