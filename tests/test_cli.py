"""The headless command line, against the contract in data-dictionary.md."""
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from selfeval.cli import build_parser

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DEMO = ROOT / "resources" / "demo" / "gd-dept-overall-2022-demo.json"
SAMPLE = HERE / "data" / "lechang-2022.json"
VENV_SELFEVAL = ROOT / ".venv" / "bin" / "selfeval"
UNIT = "政协乐昌市委员会机关"
CJK = re.compile(r"[\u4e00-\u9fff]")

# The demo's scores, by hand from its values (domain.md §3).
DEMO_SCORES = {
    "bp_rationality": (None, "5.00"),
    "bp_compliance": (None, "5.00"),
    "bp_planning": (None, "4.00"),
    "bp_scientific": (None, "3.00"),
    "ts_coverage": ("1.0000", "2.00"),  # 12 / 12
    "ts_rationality": (None, "4.00"),
    "ts_clarity": (None, "3.50"),
    "fm_execution_rate": ("1.0000", "3.00"),  # 628.76 / 628.76
    "fm_carryover_rate": ("0.0000", "3.00"),  # 0 / 628.76
    "fm_treasury_stock": (None, "3.00"),
    "fm_procurement_rate": ("0.9849", "1.97"),  # 93.12 / 94.55; 1.9698
    "fm_compliance": (None, "4.00"),
    "fm_transfer_legality": (None, "3.00"),
    "fm_disclosure": (None, "4.00"),  # four yes
    "pm_procedure": (None, "2.00"),
    "pm_supervision": (None, "4.50"),
    "am_allocation": (None, "2.00"),
    "am_inventory": (None, "1.50"),
    "am_utilization": ("0.9513", "2.85"),  # 204.87 / 215.36; 3 × 0.95129 = 2.8539
    "sm_staff_control": ("1.1053", "0.95"),  # 21 / 19; 2 − 0.1 × 10.526
    "sys_management": (None, "4.00"),
    "ec_public_expense": ("0.9452", "3.00"),  # 34.5 / 36.5
    "ec_sangong": ("0.0064", "3.00"),  # 0.06 / 9.4
    "ef_key_tasks": ("1.0000", "3.00"),  # 9 / 9
    "ef_target_completion": ("0.9667", "2.90"),  # 29 / 30
    "ef_timeliness": ("1.0000", "3.00"),  # 12 / 12
    "effect": (None, "9.50"),
    "fair_satisfaction": ("1.0000", "5.00"),  # 100 ≥ 90
}
# manual 58.00 + computed 37.67 = 95.67; two 县级 commendations 2 × 0.5 = 1.00


def imported(cli, path=DEMO):
    code, out, err = cli("import", path)
    assert code == 0, err
    return int(out.strip())


def exported(cli, report_id):
    code, out, err = cli("export-json", report_id)
    assert code == 0, err
    return json.loads(out)


def listed(cli):
    code, out, err = cli("list", "--json")
    assert code == 0, err
    return json.loads(out)


def load(path):
    return json.loads(Path(path).read_text(encoding="utf-8"))


# ------------------------------------------------------- import and export


def test_import_prints_the_new_id(cli):
    assert imported(cli) == 1
    assert imported(cli, SAMPLE) == 2


@pytest.mark.parametrize("path", [DEMO, SAMPLE], ids=["demo", "sample"])
def test_export_json_round_trips_exactly(cli, path):
    report_id = imported(cli, path)
    assert exported(cli, report_id) == load(path)


def test_export_json_to_a_file(cli, tmp_path):
    report_id = imported(cli)
    target = tmp_path / "out.json"
    code, out, err = cli("export-json", report_id, "--out", target)
    assert code == 0, err
    assert load(target) == load(DEMO)
    assert not list(tmp_path.glob("*.part"))


def test_export_of_an_unknown_report(cli):
    code, out, err = cli("export-json", 99)
    assert code == 2
    assert "99" in err and CJK.search(err)


# ------------------------------------------------------------------ score


def test_score_json_of_the_demo(cli):
    report_id = imported(cli)
    code, out, err = cli("score", report_id, "--json")
    assert code == 0, err
    data = json.loads(out)
    assert {"indicators", "base", "adjustments", "total", "grade", "complete"} <= set(data)
    assert set(data["indicators"]) == set(DEMO_SCORES)
    for leaf, (rate, score) in DEMO_SCORES.items():
        entry = data["indicators"][leaf]
        assert entry["rate"] == rate, leaf
        assert entry["score"] == score, leaf
        assert isinstance(entry["score"], str)
    assert data["base"] == "95.67"
    assert data["adjustments"] == "1.00"
    assert data["total"] == "96.67"
    assert data["grade"] == "优"
    assert data["complete"] is True


def test_score_json_of_the_sample_is_incomplete(cli):
    report_id = imported(cli, SAMPLE)
    code, out, err = cli("score", report_id, "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["complete"] is False
    assert data["indicators"]["effect"]["score"] is None
    assert data["indicators"]["fm_procurement_rate"] == {"rate": "0.9849", "score": "1.97", "weight": "2"}
    assert data["total"] == "14.92"


def test_score_text(cli):
    report_id = imported(cli)
    code, out, err = cli("score", report_id)
    assert code == 0, err
    assert "96.67" in out and "优" in out


# ------------------------------------------------------------------ check


def test_check_json_of_the_demo_has_one_warning_and_exit_0(cli):
    report_id = imported(cli)
    code, out, err = cli("check", report_id, "--json")
    assert code == 0, err
    data = json.loads(out)
    assert isinstance(data, list)
    assert [item["check"] for item in data] == ["staff_control_over"]
    item = data[0]
    assert {"check", "severity", "message", "fields"} <= set(item)
    assert item["severity"] == "warning"
    assert "110.53%" in item["message"]
    assert isinstance(item["fields"], list) and "staff.in_service_total" in item["fields"]


def test_check_exit_1_when_errors_exist(cli):
    report_id = imported(cli, SAMPLE)
    code, out, err = cli("check", report_id, "--json")
    assert code == 1
    data = json.loads(out)
    errors = {item["check"] for item in data if item["severity"] == "error"}
    assert {e for e in errors if not e.startswith("unscored.")} == {"required.report.fill_date",
                                                                     "required.expense.total"}
    # the indicators left unscored by blanks block 定稿, so they are errors here too
    assert "unscored.fm_execution_rate" in errors and "unscored.effect" in errors
    assert all(item["severity"] in ("error", "warning") for item in data)
    code, out, err = cli("check", report_id)
    assert code == 1
    assert "错误" in out


def test_check_exit_codes_follow_errors_not_warnings(cli):
    report_id = imported(cli)
    assert cli("explain", report_id, "staff_control_over", "超编 2 人，随退休逐步消化。")[0] == 0
    code, out, err = cli("check", report_id, "--json")
    assert code == 0
    assert json.loads(out)[0]["explanation"] == "超编 2 人，随退休逐步消化。"
    assert cli("set", report_id, "report.fill_date", "")[0] == 0
    code, out, err = cli("check", report_id, "--json")
    assert code == 1
    assert "required.report.fill_date" in {item["check"] for item in json.loads(out)}
    assert cli("set", report_id, "report.fill_date", "2023-01-20")[0] == 0
    assert cli("check", report_id, "--json")[0] == 0


# ------------------------------------------------------------------- list


def test_list(cli):
    code, out, err = cli("list")
    assert code == 0 and CJK.search(out)
    first = imported(cli)
    second = imported(cli, SAMPLE)
    code, out, err = cli("list")
    assert code == 0
    assert UNIT in out and "96.67" in out
    rows = listed(cli)
    assert {row["id"] for row in rows} == {first, second}
    row = next(r for r in rows if r["id"] == first)
    assert row["unit"] == UNIT and row["year"] == 2022
    assert row["total"] == "96.67" and row["grade"] == "优" and row["complete"] is True
    assert row["status"] == "draft"


def test_list_shows_no_grade_before_every_indicator_is_scored(cli):
    code, _, err = cli("new", "--unit", "乐昌市财政局", "--year", "2023")
    assert code == 0, err
    code, out, _ = cli("list")
    (line,) = [line for line in out.splitlines() if "乐昌市财政局" in line]
    assert "0*" in line and "待评分" in line and "差" not in line
    assert "评价等级待全部指标评分后确定" in out
    imported(cli)
    code, out, _ = cli("list")
    head, *rows = out.splitlines()[:3]
    from selfeval.argparse_zh import display_width

    for word in ("总分", "等级", "单位"):  # the columns line up in a terminal, a Chinese character two wide
        column = display_width(head[:head.index(word)])
        for row in rows:  # each row's value starts in that column
            at = [i for i in range(len(row) + 1) if display_width(row[:i]) == column]
            assert at and row[at[0] - 1] == " " and row[at[0]] != " ", (word, out)


# -------------------------------------------------------------------- new


def test_new_empty_report(cli):
    code, out, err = cli("new", "--unit", "某县财政局", "--year", "2023")
    assert code == 0, err
    report_id = int(out.strip())
    data = exported(cli, report_id)
    assert data["form"] == "gd-dept-overall"
    assert data["values"] == {"unit.name": "某县财政局", "report.year": 2023}


def test_new_from_previous_carries_facts_not_figures(cli):
    previous = load(SAMPLE)["values"]
    imported(cli, SAMPLE)
    code, out, err = cli("new", "--unit", UNIT, "--year", "2023", "--from-previous")
    assert code == 0, err
    values = exported(cli, int(out.strip()))["values"]
    assert values["report.year"] == 2023
    for key in ("unit.name", "unit.region", "unit.duties", "unit.subordinates",
                "staff.authorized_admin", "staff.authorized_service", "staff.authorized_worker",
                "goals.summary", "conclusion", "achievements", "problems", "suggestions",
                "narrative.bp_rationality", "narrative.effect", "narrative.fm_disclosure"):
        assert values[key] == previous[key], key
    for key in ("income.total", "income.basic", "budget.initial_total", "staff.in_service_total",
                "staff.retired", "procurement.actual", "satisfaction.rate", "disclosure.budget",
                "goals.tasks", "adjustments", "carryover.year_end", "sangong.actual.vehicle"):
        assert key in previous and key not in values, key
    assert not [key for key in values if key.startswith(("score.", "reason.", "explanation."))]


def test_new_from_previous_without_a_previous_report(cli):
    code, out, err = cli("new", "--unit", "没有上年报告的单位", "--year", "2023", "--from-previous")
    assert code == 2
    assert "没有上年报告的单位" in err and CJK.search(err)
    assert listed(cli) == []


# -------------------------------------------------------------------- set


SET_ACCEPTED = [
    ("income.basic", "１２３４．５６", "1234.56"),
    ("income.project", "1,234.56", "1234.56"),
    ("income.total", "628.76万元", "628.76"),
    ("expense.basic", "１,２３４.５ 万元", "1234.5"),
    ("expense.project", "12,345,678.90", "12345678.90"),
    ("staff.retired", "２５", 25),
    ("staff.in_service_total", "1,025", 1025),
    ("satisfaction.rate", "９５.５%", "95.5"),
    ("report.fill_date", "2023年1月15日", "2023-01-15"),
    ("disclosure.sangong", "是", True),
    ("score.effect", "９.５", "9.5"),
    ("goals.tasks", "任务一\n\n 任务二 ", ["任务一", "任务二"]),
    ("adjustments", "表彰/地市级/优秀单位\n批评问责／县级／通报批评",
     [{"kind": "表彰", "level": "地市级", "description": "优秀单位"},
      {"kind": "批评问责", "level": "县级", "description": "通报批评"}]),
]


def test_set_accepts_what_a_clerk_types_and_stores_it_canonically(cli):
    report_id = imported(cli, SAMPLE)
    for field, typed, _ in SET_ACCEPTED:
        code, out, err = cli("set", report_id, field, typed)
        assert code == 0, (field, typed, err)
    values = exported(cli, report_id)["values"]
    for field, typed, stored in SET_ACCEPTED:
        assert values[field] == stored, (field, typed)


def test_set_prints_the_label_and_value(cli):
    report_id = imported(cli, SAMPLE)
    code, out, err = cli("set", report_id, "income.basic", "1,234.56")
    assert code == 0
    assert "基本支出收入" in out and "1,234.56" in out


def test_set_empty_clears(cli):
    report_id = imported(cli, SAMPLE)
    assert cli("set", report_id, "unit.region", "")[0] == 0
    assert "unit.region" not in exported(cli, report_id)["values"]


SET_REJECTED = [
    ("income.basic", "abc", "基本支出收入"),
    ("income.basic", "12.345", "基本支出收入"),
    ("income.basic", "-5", "基本支出收入"),
    ("income.basic", "481.39元", "基本支出收入"),
    ("income.basic", "1,23.4", "基本支出收入"),
    ("staff.retired", "3.5", "退休人员"),
    ("report.fill_date", "2023-02-30", "填报日期"),
    ("report.fill_date", "2023年1月", "填报日期"),
    ("score.effect", "11", "效果性自评得分"),
    ("satisfaction.rate", "101", "服务对象满意度"),
    ("unit.credit_code", "12345", "统一社会信用代码"),
    ("disclosure.budget", "也许", "部门预算已公开"),
    ("unit.name", "第一行\n第二行", "单位名称"),
    ("adjustments", "表彰/乡镇级/某奖", "加减分项"),
    ("adjustments", "只有一段", "加减分项"),
]


def test_set_rejects_bad_input_and_changes_nothing(cli):
    report_id = imported(cli, SAMPLE)
    before = exported(cli, report_id)
    history = cli("history", report_id)[1]
    for field, typed, label in SET_REJECTED:
        code, out, err = cli("set", report_id, field, typed)
        assert code == 2, (field, typed)
        assert label in err, (field, typed, err)
        assert CJK.search(err.replace(label, ""))
    assert exported(cli, report_id) == before
    assert cli("history", report_id)[1] == history


def test_set_unknown_field(cli):
    report_id = imported(cli)
    before = exported(cli, report_id)
    code, out, err = cli("set", report_id, "income.bogus", "1")
    assert code == 2
    assert "income.bogus" in err and CJK.search(err)
    assert exported(cli, report_id) == before


# ------------------------------------------------------------- bad import


def bad_document(change):
    document = load(DEMO)
    change(document["values"])
    return json.dumps(document, ensure_ascii=False)


BAD_IMPORTS = [
    ("unknown id", lambda v: v.update({"income.bogus": "1"}), "income.bogus"),
    ("float for money", lambda v: v.update({"income.basic": 481.39}), "income.basic"),
    ("string for count", lambda v: v.update({"staff.retired": "25"}), "staff.retired"),
    ("bad credit code", lambda v: v.update({"unit.credit_code": "123456789012345679"}),
     "unit.credit_code"),
    ("three decimals", lambda v: v.update({"income.total": "628.765"}), "income.total"),
    ("bool for money", lambda v: v.update({"expense.total": True}), "expense.total"),
    ("missing unit.name", lambda v: v.pop("unit.name"), "unit.name"),
    ("bad adjustment level", lambda v: v.update({"adjustments": [
        {"kind": "表彰", "level": "乡镇级", "description": "某奖"}]}), "adjustments"),
    ("explanation of an unknown check", lambda v: v.update({"explanation.nope": "x"}), "nope"),
]


def test_bad_import_is_rejected_whole(cli, tmp_path):
    imported(cli)
    before = listed(cli)
    for case, change, named in BAD_IMPORTS:
        path = tmp_path / "bad.json"
        path.write_text(bad_document(change), encoding="utf-8")
        code, out, err = cli("import", path)
        assert code == 2, case
        assert named in err, (case, err)
        assert CJK.search(err), case
        assert out == "", case
    assert listed(cli) == before


def test_invalid_json_is_rejected(cli, tmp_path):
    imported(cli)
    before = listed(cli)
    path = tmp_path / "broken.json"
    path.write_text('{"form": "gd-dept-overall", "values": {', encoding="utf-8")
    code, out, err = cli("import", path)
    assert code == 2
    assert "JSON" in err and CJK.search(err)
    assert listed(cli) == before


def test_import_of_a_missing_file(cli, tmp_path):
    code, out, err = cli("import", tmp_path / "nowhere.json")
    assert code == 2
    assert "nowhere.json" in err and CJK.search(err)


def test_several_problems_are_all_listed(cli, tmp_path):
    def change(values):
        values.update({"income.bogus": "1", "staff.retired": "25", "income.basic": 1.5})

    path = tmp_path / "bad.json"
    path.write_text(bad_document(change), encoding="utf-8")
    code, out, err = cli("import", path)
    assert code == 2
    for named in ("income.bogus", "staff.retired", "income.basic"):
        assert named in err
    assert listed(cli) == []


# ----------------------------------------------- finalise, reopen, history


def test_explain_finalize_reopen_history(cli):
    report_id = imported(cli)
    code, out, err = cli("finalize", report_id)
    assert code == 1  # the command ran and found what blocks finalising
    assert "警告" in err and "110.53%" in err

    code, out, err = cli("explain", report_id, "staff_control_over", "编制由编办核定，超编人员随退休消化。")
    assert code == 0, err
    code, out, err = cli("finalize", report_id)
    assert code == 0, err
    assert "96.67" in out and "优" in out
    assert listed(cli)[0]["status"] == "final"

    before = exported(cli, report_id)
    code, out, err = cli("set", report_id, "income.basic", "1")
    assert code == 2
    assert "定稿" in err
    assert exported(cli, report_id) == before
    code, out, err = cli("explain", report_id, "staff_control_over", "改写")
    assert code == 2

    code, out, err = cli("reopen", report_id, "--reason", "财政局退回补充材料")
    assert code == 0, err
    assert listed(cli)[0]["status"] == "draft"
    code, out, err = cli("set", report_id, "income.basic", "481.40")
    assert code == 0, err

    code, out, err = cli("history", report_id)
    assert code == 0, err
    assert "定稿" in out
    assert "重新打开" in out and "财政局退回补充材料" in out
    assert out.index("定稿") < out.index("重新打开")


def test_reopen_needs_a_reason(cli):
    report_id = imported(cli)
    code, out, err = cli("reopen", report_id)
    assert code == 2
    assert CJK.search(err)


def test_explain_of_a_check_that_is_not_a_warning(cli):
    report_id = imported(cli)
    code, out, err = cli("explain", report_id, "income_sum", "说明")
    assert code == 2
    assert "income_sum" in err


# ------------------------------------------------------- backup, restore


def test_backup_then_restore(cli, tmp_path):
    first = imported(cli)
    target = tmp_path / "manual-backup.sqlite3"
    code, out, err = cli("backup", "--to", target)
    assert code == 0, err
    assert target.is_file()
    assert str(target) in out
    imported(cli, SAMPLE)
    assert len(listed(cli)) == 2

    code, out, err = cli("restore", target)
    assert code == 0, err
    assert CJK.search(out)
    rows = listed(cli)
    assert [row["id"] for row in rows] == [first]
    assert exported(cli, first) == load(DEMO)


def test_backup_to_the_default_folder(cli, home):
    imported(cli)
    code, out, err = cli("backup")
    assert code == 0, err
    made = Path(out.strip())
    assert made.is_file()
    assert home in made.parents


def test_restore_of_a_file_that_is_not_a_backup(cli, tmp_path):
    imported(cli)
    bogus = tmp_path / "not-a-backup.sqlite3"
    bogus.write_bytes(b"hello")
    code, out, err = cli("restore", bogus)
    assert code == 2
    assert CJK.search(err)
    assert len(listed(cli)) == 1


# ------------------------------------------------------------- help, usage


def command_names():
    parser = build_parser()
    for action in parser._subparsers._group_actions:
        return sorted(action.choices)
    return []


@pytest.mark.parametrize("command", command_names())
def test_help_of_every_command(cli, command):
    code, out, err = cli(command, "--help")
    assert code == 0
    assert "用法" in out
    assert CJK.search(out.replace("用法", ""))


def test_top_level_help(cli):
    code, out, err = cli("--help")
    assert code == 0
    assert "用法" in out and "命令" in out
    code, out, err = cli()
    assert code == 0
    assert "用法" in out


def test_unknown_command(cli):
    code, out, err = cli("frobnicate")
    assert code == 2
    assert "frobnicate" in err
    assert "错误" in err


def test_bad_report_id(cli):
    code, out, err = cli("score", "abc")
    assert code == 2
    assert "abc" in err and CJK.search(err)


def test_expected_commands_exist():
    assert {"import", "export-json", "check", "score", "list", "new", "set", "explain", "finalize",
            "reopen", "history", "backup", "restore"} <= set(command_names())


# ------------------------------------------------------ separate processes


def run_process(home, *args):
    env = dict(os.environ, SELFEVAL_HOME=str(home))
    env.pop("SELFEVAL_FORMS", None)
    return subprocess.run([*args], capture_output=True, text=True, encoding="utf-8", env=env,
                          timeout=60)


def selfeval_command():
    if VENV_SELFEVAL.is_file():
        return [str(VENV_SELFEVAL)]
    return [sys.executable, "-m", "selfeval.cli"]


def test_subprocess_import_score_check(tmp_path):
    home = tmp_path / "home"
    done = run_process(home, sys.executable, "-m", "selfeval.cli", "import", str(DEMO))
    assert done.returncode == 0, done.stderr
    report_id = done.stdout.strip()
    assert report_id == "1"

    done = run_process(home, *selfeval_command(), "score", report_id, "--json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert (data["total"], data["grade"], data["complete"]) == ("96.67", "优", True)

    done = run_process(home, *selfeval_command(), "check", report_id, "--json")
    assert done.returncode == 0, done.stderr
    assert [item["check"] for item in json.loads(done.stdout)] == ["staff_control_over"]


def test_subprocess_usage_errors(tmp_path):
    home = tmp_path / "home"
    done = run_process(home, *selfeval_command(), "--help")
    assert done.returncode == 0 and "用法" in done.stdout
    done = run_process(home, *selfeval_command(), "frobnicate")
    assert done.returncode == 2 and "错误" in done.stderr


def test_demo_package_is_signed_and_verified_without_touching_the_listed_demo(cli, tmp_path):
    from selfeval.export.verify import verify

    code, out, err = cli("demo", "--package", tmp_path / "out")
    assert code == 0, err
    assert "96.67" in out and "验证通过" in out
    (folder,) = [p for p in (tmp_path / "out").iterdir() if p.is_dir()]
    assert verify(folder).ok
    assert verify(tmp_path / "out" / f"{folder.name}.zip").ok
    (entry,) = listed(cli)
    assert entry["status"] == "draft"  # the report in the user's database stays editable


def test_gui_starts_without_the_command_lines_imports_and_says_when_the_list_is_shown(tmp_path):
    """``selfeval gui`` (the Linux bundle's selfeval-gui) goes straight to the window; with
    --startup-check it quits once the list is shown, for an install check or a start-up measure."""
    home = tmp_path / "home"
    assert run_process(home, sys.executable, "-m", "selfeval", "import", str(DEMO)).returncode == 0
    code = ("import sys\n"
            "from selfeval.launch import main\n"
            "status = main(['gui', '--startup-check'])\n"
            "print('命令行已导入' if 'selfeval.cli' in sys.modules else '命令行未导入')\n"
            "sys.exit(status)\n")
    env_process = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, encoding="utf-8",
                          env=dict(env_process, SELFEVAL_HOME=str(home)), timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["已显示报告列表", "命令行未导入"]
    done = run_process(home, sys.executable, "-m", "selfeval", "gui", "--help")
    assert done.returncode == 0 and "--startup-check" in done.stdout and "用法" in done.stdout
