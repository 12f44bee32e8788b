"""Help on the command line lined up by the columns a terminal gives each character (a Chinese one
takes two), for every command: options' help in one column, no line wider than the terminal."""
from __future__ import annotations

import argparse
import re
import unicodedata

import pytest

from selfeval.cli import build_parser

CLOSING = "，。、；：？！）》」』”"


def display_width(text: str) -> int:
    """The columns a terminal gives ``text``: two for each wide (Chinese) character."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def every_parser() -> list[argparse.ArgumentParser]:
    from selfeval.ui.app import build_parser as gui_parser

    found, todo = [], [build_parser(), gui_parser()]
    while todo:
        parser = todo.pop(0)
        found.append(parser)
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                todo += list(dict.fromkeys(action.choices.values()))
    return found


def help_columns(text: str) -> list[int]:
    """Where the help of each option given on its own line starts ("  --db 文件    数据库文件…")."""
    starts = []
    for line in text.splitlines():
        found = re.match(r"^( {2,}\S.*?\S?)( {2,})(\S)", line)
        if found and line.lstrip().startswith("-"):
            starts.append(display_width(found.group(1) + found.group(2)))
    return starts


@pytest.mark.parametrize("columns", [100, 80, 60])
def test_every_commands_help_lines_up_and_fits_the_terminal(monkeypatch, columns):
    monkeypatch.setenv("COLUMNS", str(columns))
    parsers = every_parser()
    assert len(parsers) > 30  # every command, the receiving desk's registry commands, the window's
    for parser in parsers:
        text = parser.format_help()
        too_wide = [line for line in text.splitlines() if display_width(line) > columns - 2]
        assert not too_wide, (parser.prog, too_wide)
        for section in text.split("\n\n"):
            starts = help_columns(section)
            assert len(set(starts)) <= 1, (parser.prog, section)
        assert not [line for line in text.splitlines() if line.lstrip()[:1] in set(CLOSING)], parser.prog


def test_the_options_of_the_main_command_line_up():
    text = build_parser().format_help()
    lines = {line.split()[0]: line for line in text.splitlines() if line.startswith("  -")}
    column = {display_width(line[:line.index(text)]) for line, text in (
        (lines["--db"], "数据库文件"), (lines["--version"], "显示版本号"), (lines["-h,"], "显示本帮助"))}
    assert len(column) == 1
    assert "选项：" in text and "选项:" not in text


def test_a_wrapped_usage_lines_up_under_the_first_line(monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    (parser,) = [p for p in every_parser() if p.prog == "selfeval import-doc"]
    first, second = parser.format_usage().splitlines()[:2]
    assert display_width(second) - len(second.lstrip()) == display_width("用法：selfeval import-doc ")
    assert first.startswith("用法：selfeval import-doc [")


@pytest.mark.parametrize("width", [10, 21, 40])
def test_wrap_counts_columns_and_keeps_punctuation_with_its_word(width):
    from selfeval.argparse_zh import wrap

    text = "自检：在临时目录中导入示例、评分、导出签名报送包并验证（selfeval --self-test），打开主窗口和报告的各页面。"
    lines = wrap(text, width)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    assert all(display_width(line) <= width for line in lines)
    assert not [line for line in lines[1:] if line[0] in CLOSING]
    assert "--self-test" in " ".join(lines) or width < 12
