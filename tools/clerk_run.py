"""Drive the real program in Xvfb the way a clerk does, through a whole report.

    tools/clerk_run.py [--display :91] [--size 1366x768] [--out /tmp/clerk-run] [--python PATH]

Starts its own X server (Xvfb) and a fresh data folder, runs ``selfeval gui``,
and with xdotool and xclip only (no hooks into the program):

- Ctrl+N, the unit's name pasted, the year typed, Enter: a new 2022 report;
- page by page, the demo report's values: figures typed as keys, Chinese texts
  pasted from the clipboard (xclip, Ctrl+V), each list's items pasted at once,
  yes/no answers and 加减分项 chosen with the arrow keys, Tab from field to
  field, 下一步 clicked for the next page; the totals the form sums by itself (``sum_of``)
  are left empty;
- 校验与定稿 reached with a mouse click on the page list, the warning explained
  (pasted), 定稿 pressed and confirmed with the keyboard;
- on 部门整体收支情况, the reported slip: a sum error under 收入合计, corrected with
  Enter, then a click where 基本支出 was seen while the message showed and 77
  typed: it must land in 基本支出 (the row positions are read from the screenshots);
- a screenshot of the whole screen (ImageMagick ``import -window root``) after
  every page, into the output folder.

Then it reads the report back with ``selfeval export-json`` and prints the
figures: fields typed, totals typed by hand, values that differ from the demo,
and the report's status, total and grade.  Look at the screenshots to review
the run as a clerk would.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "desktop"))

STEP = 0.15  # seconds for the program to take in a key press
EXPLANATION = "超编人员系历史遗留，编制调整文件尚未下达，已结合退休逐步消化。"


class Clerk:
    def __init__(self, env: dict, out: Path, python: str):
        self.env, self.out, self.python = env, out, python
        self.shots = 0
        self.pointer = None  # what the click after the message went away typed into 基本支出
        self.typed: list[str] = []  # fields typed into

    def run(self, *args: str, check: bool = True) -> str:
        done = subprocess.run(args, env=self.env, capture_output=True, text=True, check=False)
        if check and done.returncode != 0:
            raise SystemExit(f"{' '.join(args)}: {done.stderr.strip()}")
        return done.stdout

    def key(self, *keys: str, wait: float = STEP) -> None:
        self.run("xdotool", "key", "--clearmodifiers", *keys)
        time.sleep(wait)

    def type(self, text: str) -> None:
        self.run("xdotool", "type", "--delay", "20", text)
        time.sleep(STEP)

    def paste(self, text: str) -> None:
        """Put ``text`` on the clipboard with xclip and press Ctrl+V."""
        subprocess.run(["xclip", "-selection", "clipboard"], input=text.encode("utf-8"), env=self.env, check=True)
        time.sleep(0.05)
        self.key("ctrl+v", wait=STEP * 2)

    def enter(self, text: str) -> None:
        """Replace the focused box's text: ASCII typed, anything else pasted."""
        self.key("ctrl+a")
        if text.isascii() and "\n" not in text:
            self.type(text) if text else self.key("Delete")
        else:
            self.paste(text)

    def click(self, x: int, y: int) -> None:
        self.run("xdotool", "mousemove", "--sync", str(x), str(y), "click", "1")
        time.sleep(STEP * 2)

    def run_json(self, command: str) -> dict:
        """``selfeval <command> <the report> `` read back as JSON (the report is the only one)."""
        out = self.run(self.python, "-m", "selfeval", command, "1")
        return json.loads(out)

    def geometry(self) -> tuple[int, int, int, int]:
        """The main window's left, top, width and height on the screen."""
        text = self.run("xdotool", "getwindowgeometry", self.window)
        left, top = (int(n) for n in text.split("Position: ")[1].split(" ")[0].split(","))
        width, height = (int(n) for n in text.split("Geometry: ")[1].split()[0].split("x"))
        return left, top, width, height

    def click_next(self) -> None:
        left, top, width, height = self.geometry()
        self.click(left + width - 47, top + height - 20)
        time.sleep(0.6)

    def shot(self, name: str) -> Path:
        time.sleep(0.4)
        self.shots += 1
        path = self.out / f"{self.shots:02d}-{name}.png"
        self.run("import", "-window", "root", str(path))
        return path


def choose(clerk: Clerk, index: int, count: int) -> None:
    """Pick entry ``index`` of a closed combo box with the arrow keys."""
    clerk.key(*["Up"] * count, wait=0.05)
    if index:
        clerk.key(*["Down"] * index)


def fill_field(clerk: Clerk, form, fid: str, value) -> None:
    field = form.fields[fid]
    if field.sum_of or value is None:  # a total the form adds up, or nothing to type: left empty
        clerk.key("Tab")
        return
        clerk.key("Tab")
        return
    clerk.typed.append(fid)
    if field.type == "yesno":  # 未填, 是, 否
        choose(clerk, 1 if value else 2, 3)
        clerk.key("Tab")
    elif field.type == "lines":
        clerk.key("space")  # ＋ 添加一项: a row, with the cursor in it
        clerk.paste("\n".join(f"（{n}）{item}" for n, item in enumerate(value, 1)))  # numbered, as in Word
        clerk.key("Tab", "Tab")  # past ＋ 添加一项
    elif field.type == "adjustments":
        rules = form.adjustments
        for entry in value:
            clerk.key("space")  # ＋ 添加一项: the kind's box has the focus
            kinds = [k.name for k in rules.kinds]
            choose(clerk, kinds.index(entry["kind"]), len(kinds))
            clerk.key("Tab")
            levels = [name for name, _ in rules.kind(entry["kind"]).points]
            choose(clerk, levels.index(entry["level"]), len(levels))
            clerk.key("Tab")
            clerk.enter(entry["description"])
            clerk.key("Tab")  # to ＋ 添加一项
        clerk.key("Tab")
    else:
        clerk.enter(str(value))
        clerk.key("Tab")


def editor_rows(png: Path, x: int) -> list[tuple[int, int]]:
    """The white insides of the line edits crossing column ``x`` of a screenshot, top to bottom."""
    from PIL import Image

    image = Image.open(png).convert("RGB")
    rows, top = [], None
    for y in range(image.height):
        white = image.getpixel((x, y)) == (255, 255, 255)
        if white and top is None:
            top = y
        elif not white and top is not None:
            if 12 <= y - top <= 40:
                rows.append((top, y))
            top = None
    return rows


def pointer_check(clerk: Clerk, values: dict) -> None:
    """The reported slip, in the real window: a sum error under 收入合计, corrected, then a
    click where 基本支出 was seen while the message showed.  The typed 77 must land in 基本支出."""
    left, top, _, _ = clerk.geometry()
    column = left + 600  # inside the figures' boxes
    rows = editor_rows(clerk.shot("finance-typed"), column)
    middle = lambda row: (row[0] + row[1]) // 2  # noqa: E731
    clerk.click(column, middle(rows[2]))  # 收入合计
    clerk.enter("300")
    clerk.key("Tab")
    seen = editor_rows(clerk.shot("finance-sum-error"), column)
    aim = middle(seen[3])  # 基本支出, as the clerk sees it now
    clerk.click(column, middle(seen[2]))
    clerk.enter("")  # 收入合计 left to the form again: the message goes
    clerk.key("Return")
    clerk.shot("finance-sum-corrected")
    clerk.click(column, aim)
    clerk.enter("77")
    clerk.key("Tab")
    clerk.shot("finance-clicked-where-seen")
    clerk.pointer = dict(clerk.run_json("export-json"))["values"].get("expense.basic")
    clerk.click(column, aim)  # the demo's figure back
    clerk.enter(values["expense.basic"])
    clerk.key("Tab")


def start(args) -> tuple[subprocess.Popen, subprocess.Popen, Clerk]:
    out = Path(args.out)
    if out.exists():
        shutil.rmtree(out)
    (out / "home").mkdir(parents=True)
    width, _, height = args.size.partition("x")
    env = {**os.environ, "DISPLAY": args.display, "SELFEVAL_HOME": str(out / "home"),
           "PYTHONPATH": str(ROOT / "desktop"), "QT_QPA_PLATFORM": "xcb", "LANG": "zh_CN.UTF-8"}
    env.pop("SELFEVAL_FORMS", None)
    xvfb = subprocess.Popen(["Xvfb", args.display, "-screen", "0", f"{width}x{height}x24", "-nolisten", "tcp"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    clerk = Clerk(env, out, args.python)
    for _ in range(50):
        if subprocess.run(["xdotool", "getdisplaygeometry"], env=env, capture_output=True).returncode == 0:
            break
        time.sleep(0.1)
    gui = subprocess.Popen([args.python, "-m", "selfeval", "gui"], env=env,
                           stdout=open(out / "gui.log", "w"), stderr=subprocess.STDOUT)
    window = clerk.run("xdotool", "search", "--sync", "--onlyvisible", "--name", "部门整体支出绩效自评").split()[0]
    clerk.run("xdotool", "windowfocus", "--sync", window, check=False)
    time.sleep(1.5)
    clerk.window = window
    return xvfb, gui, clerk


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--display", default=":91")
    parser.add_argument("--size", default="1366x768")
    parser.add_argument("--out", default="/tmp/clerk-run")
    parser.add_argument("--python", default=sys.executable)
    args = parser.parse_args(argv[1:])

    from selfeval.catalog import FormCatalog, demo_report_path
    from selfeval.navigation import pages_of, side_list

    demo = json.loads(demo_report_path().read_text(encoding="utf-8"))
    values = demo["values"]
    form = FormCatalog().get(demo["form"])
    xvfb, gui, clerk = start(args)
    try:
        clerk.shot("start")
        clerk.key("ctrl+n", wait=1)
        clerk.paste(values["unit.name"])
        clerk.key("Tab", wait=0.05)  # 评价年度
        clerk.key("ctrl+a")
        clerk.type(str(values["report.year"]))
        clerk.shot("new-report")
        clerk.key("Return", wait=2)
        for page in pages_of(form):
            if page.is_review or page.is_export:
                break
            for fid in page.fields:
                fill_field(clerk, form, fid, values.get(fid))
            if page.id == "basic.finance":
                pointer_check(clerk, values)
            clerk.shot(page.id)
            if page.id == "basic.overview":
                clerk.click_next()  # 下一步 with the mouse: the next page, the cursor in its first field
            else:
                clerk.key("Next", wait=0.8)  # PgDn, the same
        # 校验与定稿 with the mouse: the page list's row of that name (chapters' titles are rows too)
        left, top, _, _ = clerk.geometry()
        row = [getattr(entry, "id", None) for entry in side_list(pages_of(form))].index("review")
        clerk.click(left + 60, top + 75 + 21 * row)
        clerk.shot("review")
        clerk.click(left + 730, top + 240)  # into the 出错说明 box of the one warning
        clerk.paste(EXPLANATION)
        clerk.key("Tab")  # to 定稿
        clerk.shot("review-explained")
        clerk.key("space", wait=1)  # 定稿 asks first, 否 chosen until told otherwise
        clerk.shot("finalise-asked")
        clerk.key("shift+Tab", wait=0.3)  # to 是
        clerk.key("space", wait=1.5)
        clerk.shot("finalised")
        clerk.click_next()
        clerk.shot("export")
    finally:
        gui.terminate()
        try:
            gui.wait(10)
        except subprocess.TimeoutExpired:
            gui.kill()
        xvfb.terminate()
        xvfb.wait(10)
    return report(args, clerk, form, values)


def report(args, clerk: Clerk, form, values: dict) -> int:
    env = clerk.env
    listed = subprocess.run([args.python, "-m", "selfeval", "list", "--json"], env=env, capture_output=True,
                            text=True, check=True).stdout
    reports = json.loads(listed)
    stored = json.loads(subprocess.run([args.python, "-m", "selfeval", "export-json", str(reports[-1]["id"])],
                                       env=env, capture_output=True, text=True, check=True).stdout)["values"]
    summed = [fid for fid, field in form.fields.items() if field.sum_of]
    def same(fid: str) -> bool:
        a, b = values.get(fid), stored.get(fid)
        if isinstance(a, str) and isinstance(b, str) and fid in form.fields and form.fields[fid].type in (
                "money", "percent", "score", "number"):
            return Decimal(a) == Decimal(b)  # "126.40" typed is stored as 126.4
        return a == b

    differ = sorted(fid for fid in set(values) | set(stored)
                    if fid not in summed and not fid.startswith("explanation.") and not same(fid))
    print(f"fields typed: {len(clerk.typed)}")
    print(f"totals left to the form (sum_of): {len([f for f in summed if f in values])}: {', '.join(summed)}")
    print(f"totals typed by hand: {len([f for f in clerk.typed if f in summed])}")
    print(f"values that differ from the demo: {len(differ)}")
    for fid in differ:
        print(f"  {fid}: demo {values.get(fid)!r}, stored {stored.get(fid)!r}")
    print(f"report: {json.dumps(reports[-1], ensure_ascii=False)}")
    print(f"77 typed after a click where 基本支出 was seen while a message showed: stored in 基本支出 "
          f"as {clerk.pointer!r} ({'landed right' if clerk.pointer == '77' else 'MISSED'})")
    print(f"screenshots: {clerk.shots} in {clerk.out}")
    return 0 if not differ and clerk.pointer == "77" else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
