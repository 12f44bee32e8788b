"""Chinese messages for argparse's own texts (usage, errors, help headings), and help laid out by the
columns a terminal gives each character: a Chinese character takes two, where argparse counts one."""
from __future__ import annotations

import argparse
import unicodedata

MESSAGES = {
    "usage: ": "用法：",
    "positional arguments": "参数",
    "options": "选项",
    "show this help message and exit": "显示本帮助并退出",
    "%(prog)s: error: %(message)s\n": "%(prog)s：错误：%(message)s\n",
    "the following arguments are required: %s": "缺少必需的参数：%s",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的选择：%(value)r（可选：%(choices)s）",
    "invalid %(type)s value: %(value)r": "无效的值：%(value)r",
    "expected one argument": "需要一个值",
    "expected at most one argument": "最多一个值",
    "expected at least one argument": "至少需要一个值",
    "ambiguous option: %(option)s could match %(matches)s": "选项 %(option)s 不明确，可能是 %(matches)s",
    "not allowed with argument %s": "不能与参数 %s 同时使用",
    "one of the arguments %s is required": "参数 %s 必须给出其中之一",
}
# never at the start of a line (they stay with what comes before), never at the end (with what follows)
_CLOSING = set("，。、；：？！）》」』】〕”’,.;:?!)]}…%％")
_OPENING = set("（《「『【〔“‘([{")


def _translate(message: str) -> str:
    return MESSAGES.get(message, message)


def install() -> None:
    """Route argparse's gettext lookups through our table (idempotent)."""
    argparse._ = _translate


def display_width(text: str) -> int:
    """The columns ``text`` takes in a terminal: two for a wide (Chinese) character, none for a combining mark."""
    return sum(0 if unicodedata.combining(char) else 2 if unicodedata.east_asian_width(char) in "WF" else 1
               for char in text)


def _pieces(text: str) -> list[str]:
    """``text`` cut where a line may break: at spaces (kept as pieces of their own), and between two
    Chinese characters; closing punctuation stays with what it follows, opening with what follows it."""
    pieces: list[str] = []
    for char in text:
        wide = display_width(char) == 2
        last = pieces[-1] if pieces else ""
        if char == " ":
            pieces.append(" ")
        elif last and last != " " and (char in _CLOSING or last[-1] in _OPENING
                                       or not wide and display_width(last[-1]) == 1):
            pieces[-1] = last + char
        else:
            pieces.append(char)
    return pieces


def wrap(text: str, width: int) -> list[str]:
    """``text`` (one paragraph, spaces already single) in lines of at most ``width`` columns."""
    width = max(width, 2)
    lines: list[str] = []
    line = ""
    for piece in _pieces(text):
        if piece == " " and not line:
            continue
        while display_width(piece) > width:  # a word longer than a line: cut it
            cut = len(piece)
            while display_width(piece[:cut]) > width - display_width(line) and cut > 1:
                cut -= 1
            if line and display_width(line + piece[:cut]) > width:
                lines.append(line.rstrip())
                line = ""
                continue
            lines.append((line + piece[:cut]).rstrip())
            line, piece = "", piece[cut:]
        if display_width(line + piece) > width and line.strip():
            lines.append(line.rstrip())
            line = "" if piece == " " else piece
        else:
            line += piece
    if line.strip():
        lines.append(line.rstrip())
    return lines


class HelpFormatter(argparse.HelpFormatter):
    """argparse's help formatter measuring text by the columns it takes, so that the help of each
    option starts in one column and lines fit the terminal also with Chinese option values (文件,
    编号) and help texts; section headings end with a Chinese colon, as 用法： does."""

    def start_section(self, heading):
        super().start_section(heading)
        self._headings = getattr(self, "_headings", set()) | {heading}

    def format_help(self):
        text = super().format_help()
        for heading in getattr(self, "_headings", ()):
            if isinstance(heading, str) and heading and display_width(heading) != len(heading):
                text = text.replace(f"{heading}:\n", f"{heading}：\n")
        return text

    def add_argument(self, action):
        if action.help is argparse.SUPPRESS:
            return
        invocations = [self._format_action_invocation(action)]
        invocations += [self._format_action_invocation(sub) for sub in self._iter_indented_subactions(action)]
        length = max(map(display_width, invocations)) + self._current_indent
        self._action_max_length = max(self._action_max_length, length)
        self._add_item(self._format_action, [action])

    def _format_action(self, action):
        help_position = min(self._action_max_length + 2, self._max_help_position)
        help_width = max(self._width - help_position, 11)
        action_width = help_position - self._current_indent - 2
        header = self._format_action_invocation(action)
        indent = " " * self._current_indent
        if not action.help:
            parts = [f"{indent}{header}\n"]
            indent_first = None
        elif display_width(header) <= action_width:
            parts = [f"{indent}{header}{' ' * (action_width - display_width(header))}  "]
            indent_first = 0
        else:
            parts = [f"{indent}{header}\n"]
            indent_first = help_position
        if action.help and action.help.strip():
            help_text = self._expand_help(action)
            if help_text:
                lines = self._split_lines(help_text, help_width)
                parts.append(" " * indent_first + lines[0] + "\n")
                parts += [" " * help_position + line + "\n" for line in lines[1:]]
        elif not parts[0].endswith("\n"):
            parts.append("\n")
        for sub in self._iter_indented_subactions(action):
            parts.append(self._format_action(sub))
        return self._join_parts(parts)

    def _split_lines(self, text, width):
        return wrap(self._whitespace_matcher.sub(" ", text).strip(), width) or [""]

    def _fill_text(self, text, width, indent):
        lines = wrap(self._whitespace_matcher.sub(" ", text).strip(), width - len(indent))
        return "\n".join(indent + line for line in lines)

    def _format_usage(self, usage, actions, groups, prefix):
        """argparse's usage, its wrapped lines lined up under the first by columns, asked for narrower
        until every line fits the terminal."""
        width = self._width
        try:
            text = self._usage(usage, actions, groups, prefix)
            while any(display_width(line) > width for line in text.splitlines()) and self._width > 30:
                self._width -= 2
                text = self._usage(usage, actions, groups, prefix)
        finally:
            self._width = width
        return text

    def _usage(self, usage, actions, groups, prefix):
        text = super()._format_usage(usage, actions, groups, prefix)
        head = argparse._("usage: ") if prefix is None else prefix
        prog = self._prog % {"prog": self._prog} if "%(prog)" in self._prog else self._prog
        # argparse indents a wrapped line by the characters of "用法：selfeval …", not its columns
        shifts = {len(head) + len(prog) + 1: display_width(head) + display_width(prog) + 1,
                  len(head): display_width(head)}
        lines = text.split("\n")
        for number, line in enumerate(lines[1:], 1):
            indent = len(line) - len(line.lstrip(" "))
            if line.strip() and indent in shifts:
                lines[number] = " " * shifts[indent] + line[indent:]
        return "\n".join(lines)


class ArgumentParser(argparse.ArgumentParser):
    """An argument parser laying out its help with :class:`HelpFormatter`, as do its sub-commands'
    (argparse makes them of the parser's own class)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", HelpFormatter)
        super().__init__(*args, **kwargs)
