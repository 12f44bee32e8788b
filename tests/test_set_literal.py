"""``selfeval set`` stores what it is given: no backslash escapes; line breaks are
real ones on the command line, or come from standard input with --stdin."""
from __future__ import annotations

import io
import sys

from test_cli import exported, imported


def test_set_stores_backslashes_as_typed(cli):
    report_id = imported(cli)
    assert cli("set", report_id, "problems", r"C:\new\table 路径")[0] == 0
    assert exported(cli, report_id)["values"]["problems"] == "C:\\new\\table 路径"
    assert cli("set", report_id, "goals.tasks", r"任务一\n任务二")[0] == 0
    assert exported(cli, report_id)["values"]["goals.tasks"] == ["任务一\\n任务二"]


def test_set_takes_real_line_breaks_and_stdin(cli, monkeypatch):
    report_id = imported(cli)
    assert cli("set", report_id, "goals.tasks", "任务一\n任务二")[0] == 0
    assert exported(cli, report_id)["values"]["goals.tasks"] == ["任务一", "任务二"]
    stdin = io.TextIOWrapper(io.BytesIO("\ufeff第一段\r\n第二段 C:\\new\r\n".encode("utf-8")))
    monkeypatch.setattr(sys, "stdin", stdin)
    assert cli("set", report_id, "problems", "--stdin")[0] == 0
    assert exported(cli, report_id)["values"]["problems"] == "第一段\n第二段 C:\\new"


def test_set_wants_a_value_or_stdin_not_both(cli, monkeypatch):
    report_id = imported(cli)
    code, _, err = cli("set", report_id, "problems")
    assert code == 2 and "--stdin" in err
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"x")))
    assert cli("set", report_id, "problems", "甲", "--stdin")[0] == 2
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO("甲".encode("gbk"))))
    code, _, err = cli("set", report_id, "problems", "--stdin")
    assert code == 2 and "UTF-8" in err


def test_set_help_says_how_to_enter_line_breaks(cli):
    code, out, _ = cli("set", "--help")
    assert code == 0 and "原样保存" in out and "--stdin" in out
