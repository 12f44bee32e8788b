"""Regressions found by the finance bureau's review with reports the authors had not seen.

Every bad input must end in a Chinese message and exit status 2, never a traceback, and
must leave the database as it was.
"""
import json
import re
import sqlite3
from pathlib import Path

import pytest

from selfeval import cli as cli_module
from selfeval.cli import main

HERE = Path(__file__).resolve().parent
DEMO = HERE.parent / "resources" / "demo" / "gd-dept-overall-2022-demo.json"
CJK = re.compile(r"[\u4e00-\u9fff]")


def demo_values() -> dict:
    return json.loads(DEMO.read_text(encoding="utf-8"))


def write_json(tmp_path, name, document) -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path


def state(cli):
    code, out, _ = cli("list", "--json")
    assert code == 0
    reports = json.loads(out)
    exports = {}
    for item in reports:
        item.pop("updated_at", None)
        code, text, _ = cli("export-json", item["id"])
        assert code == 0
        exports[item["id"]] = text
    return reports, exports


def assert_bad_input(result, *words):
    code, _, err = result
    assert code == 2, err
    assert "Traceback" not in err
    assert CJK.search(err), err
    for word in words:
        assert word in err, err


@pytest.fixture
def report(cli):
    code, out, err = cli("import", DEMO)
    assert code == 0, err
    return int(out)


def test_import_with_a_lone_surrogate_is_rejected(cli, tmp_path):
    text = DEMO.read_text(encoding="utf-8").replace("政协乐昌市委员会机关", "政协\\ud800乐昌", 1)
    path = tmp_path / "surrogate.json"
    path.write_text(text, encoding="utf-8")
    assert_bad_input(cli("import", path), "unit.name")
    assert state(cli) == ([], {})


def test_import_of_deeply_nested_json_is_rejected(cli, tmp_path):
    path = tmp_path / "nested.json"
    path.write_text('{"form": "gd-dept-overall", "values": {"unit.duties": ' + "[" * 100000 + "]" * 100000 + "}}")
    assert_bad_input(cli("import", path), "JSON")
    assert state(cli) == ([], {})


@pytest.mark.parametrize("year", ["2021", "2027"])
def test_set_report_year_outside_the_forms_years_is_rejected(cli, report, year):
    # import refuses such a year (data-dictionary: the form covers 2022–2026); set must too
    before = state(cli)
    assert_bad_input(cli("set", report, "report.year", year), year, "2022–2026")
    assert state(cli) == before


def test_set_report_year_inside_the_forms_years_is_accepted(cli, report):
    assert cli("set", report, "report.year", "2026")[0] == 0


def test_set_with_invalid_utf8_from_the_command_line_is_rejected(cli, report):
    before = state(cli)
    assert_bad_input(cli("set", report, "unit.duties", "职责\udcff"), "部门主要职责")
    assert state(cli) == before


@pytest.mark.parametrize("text", ["①②", "³¹²", "312²", "𝟏𝟐", "⒈5"])
def test_odd_unicode_digits_are_not_read_as_numbers(cli, report, text):
    before = state(cli)
    assert_bad_input(cli("set", report, "income.basic", text), "基本支出收入")
    assert state(cli) == before


def test_full_width_digits_are_still_accepted(cli, report):
    code, out, err = cli("set", report, "income.basic", "４８１．３９")
    assert code == 0, err


@pytest.mark.parametrize("name", ["名" * 61, "甲\n乙"])
def test_new_with_an_invalid_unit_name_creates_nothing(cli, name):
    assert_bad_input(cli("new", "--unit", name, "--year", "2023"), "单位名称")
    assert state(cli) == ([], {})


def test_export_json_to_a_folder_is_bad_input(cli, report, tmp_path):
    assert_bad_input(cli("export-json", report, "--out", tmp_path), str(tmp_path))


def test_a_directory_as_db_is_named(cli, tmp_path):
    folder = tmp_path / "folder"
    folder.mkdir()
    assert_bad_input(cli("--db", folder, "list"), "文件夹")


def test_a_damaged_value_in_the_database_is_a_store_error(cli, tmp_path):
    db = tmp_path / "r.sqlite3"
    code, out, err = cli("--db", db, "import", DEMO)
    assert code == 0, err
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE value SET value_json = '{oops' WHERE key = 'income.basic'")
    conn.close()
    for command in (["score", "1", "--json"], ["check", "1"], ["export-json", "1"]):
        assert_bad_input(cli("--db", db, *command), "income.basic")


def test_a_closed_pipe_ends_quietly(cli, report, monkeypatch):
    def closed(_data):
        raise BrokenPipeError(32, "Broken pipe")

    monkeypatch.setattr(cli_module, "_print_json", closed)
    code, _, err = cli("list", "--json")
    assert code == 0
    assert "Traceback" not in err


def test_rounding_is_half_up_not_bankers(cli, tmp_path):
    """Hand-computed (domain.md §3): every score below ends in a 5 after an even digit."""
    document = demo_values()
    values = document["values"]
    values.update({
        "projects.total": 16, "projects.with_targets": 9,  # 2 × 0.5625 = 1.125
        "projects.planned_completion": 40, "projects.on_time": 11,  # 3 × 0.275 = 0.825
        "key_tasks.assigned": 8, "key_tasks.completed": 7,  # 3 × 0.875 = 2.625
        "targets.set": 200, "targets.achieved": 71,  # 3 × 0.355 = 1.065
        "assets.fixed_total": "100", "assets.fixed_in_use": "1.5",  # 3 × 0.015 = 0.045
        "procurement.planned": "200", "procurement.actual": "24.69",  # rate 0.12345
        "satisfaction.rate": "88.5",  # 5 − 0.25 × 1.5 = 4.625
        "budget.public": "40", "public_expense.actual": "40.5",  # 3 − 0.3 × 1.25 = 2.625
    })
    code, out, err = cli("import", write_json(tmp_path, "rounding.json", document))
    assert code == 0, err
    code, out, err = cli("score", int(out), "--json")
    got = {k: (v["rate"], v["score"]) for k, v in json.loads(out)["indicators"].items()}
    assert got["ts_coverage"] == ("0.5625", "1.13")
    assert got["ef_timeliness"] == ("0.2750", "0.83")
    assert got["ef_key_tasks"] == ("0.8750", "2.63")
    assert got["ef_target_completion"] == ("0.3550", "1.07")
    assert got["am_utilization"] == ("0.0150", "0.05")
    assert got["fm_procurement_rate"] == ("0.1235", "0.25")
    assert got["fair_satisfaction"] == ("0.8850", "4.63")
    assert got["ec_public_expense"] == ("1.0125", "2.63")


def test_a_key_given_twice_in_the_json_is_rejected(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("SELFEVAL_HOME", str(tmp_path / "home"))
    document = tmp_path / "twice.json"
    document.write_text('{"form": "gd-dept-overall", "values": {"unit.name": "某局", "report.year": 2022, '
                        '"income.basic": "1.00", "income.basic": "2.00"}}', encoding="utf-8")
    assert main(["import", str(document)]) == 2
    err = capsys.readouterr().err
    assert "income.basic" in err and "两次" in err
    assert main(["list", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []


def test_reopening_a_draft_says_so(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("SELFEVAL_HOME", str(tmp_path / "home"))
    assert main(["new", "--unit", "某局", "--year", "2023"]) == 0
    report_id = capsys.readouterr().out.strip()
    assert main(["reopen", report_id, "--reason", "试一下"]) == 0
    assert "尚未定稿" in capsys.readouterr().out
    assert main(["history", report_id]) == 0
    assert "重新打开" not in capsys.readouterr().out
