"""``selfeval --self-test``: prove that an installed or frozen program works end to end.

It uses a temporary data folder, imports the bundled demo report, scores it,
finalises it, exports a signed package with a temporary self-signed
certificate, verifies the package, opens the main window and shows every page
of the report in the wizard (offscreen when there is no display).  Each step prints one line; the exit
status is 0 only when every step passed.
"""
from __future__ import annotations

import os
import sys
import tempfile
import time
import traceback
from pathlib import Path
from typing import Callable

from . import __version__, demo


class _Steps:
    def __init__(self, out):
        self.out = out
        self.failed = 0

    def run(self, title: str, action: Callable[[], str | None]) -> None:
        started = time.perf_counter()
        try:
            detail = action()
        except Exception as error:  # the self-test reports every failure and goes on
            self.failed += 1
            print(f"[失败] {title}：{error}", file=self.out)
            traceback.print_exc(file=self.out)
            return
        seconds = time.perf_counter() - started
        print(f"[通过] {title}（{seconds:.2f} 秒）" + (f"：{detail}" if detail else ""), file=self.out)


def run_self_test(out=None, *, with_gui: bool = True) -> int:
    out = out or sys.stdout
    print(f"selfeval {__version__} 自检，Python {sys.version.split()[0]}，"
          f"{'打包版' if getattr(sys, 'frozen', False) else '源码版'}", file=out)
    steps = _Steps(out)
    with tempfile.TemporaryDirectory(prefix="selfeval-selftest-") as folder:
        home = Path(folder)
        os.environ["SELFEVAL_HOME"] = str(home / "data")
        state: dict = {}

        def forms():
            from .catalog import FormCatalog

            catalog = FormCatalog()
            return "、".join(f"{f.id} {f.edition}" for f in catalog.forms())

        def import_demo():
            from .workspace import Workspace

            state["ws"] = Workspace.open(home / "data" / "selfeval.sqlite3")
            state["id"], _ = demo.find_or_import_demo(state["ws"])
            return f"报告编号 {state['id']}"

        def score():
            evaluation = state["ws"].evaluate(state["id"])
            if not evaluation.complete:
                raise RuntimeError(f"有 {len(evaluation.unscored)} 个指标未评分")
            return f"总分 {evaluation.total}，等级 {evaluation.grade}"

        def finalise():
            demo.finalise(state["ws"], state["id"])
            return "已定稿"

        def export():
            out_dir = home / "out"
            out_dir.mkdir()
            state["export"] = demo.export_with_temporary_certificate(
                state["ws"], state["id"], out_dir=out_dir, work_dir=home)
            return f"{state['export'].folder.name}（{state['export'].seconds:.2f} 秒）"

        def verify():
            from .export.verify import verify as check

            verdict = check(state["export"].zip_path)
            if not verdict.ok:
                raise RuntimeError(verdict.text())
            return "签名、内嵌 Excel 与清单均一致"

        def word_import():
            from . import docimport

            return docimport.self_check(home)

        def text_data():
            from .ui.smoke import check_text_data

            return check_text_data()

        def window():
            from .ui.smoke import open_and_close_main_window

            return open_and_close_main_window(home / "data" / "selfeval.sqlite3")

        steps.run("载入表单", forms)
        steps.run("导入示例报告", import_demo)
        if "ws" in state:
            steps.run("评分", score)
            steps.run("定稿", finalise)
            steps.run("导出签名报送包", export)
            if "export" in state:
                steps.run("验证报送包", verify)
            state["ws"].close()
        steps.run("读取 Word 文档", word_import)
        if with_gui:
            steps.run("Qt 的排序与编码数据", text_data)
            steps.run("打开主窗口和报告的全部页面", window)
    verdict = "自检通过" if not steps.failed else f"自检失败：{steps.failed} 项未通过"
    print(verdict, file=out)
    return 0 if not steps.failed else 1
