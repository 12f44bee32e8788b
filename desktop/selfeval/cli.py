"""The ``selfeval`` command line: the same core as the wizard, without a window.

Exit status: 0 success; 1 the command ran and found errors (``check``), or
did only part of what was asked (the message says what was written); 2 bad
usage or bad input (nothing is changed then).
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from . import __version__, argparse_zh, demo, errors, report_text
from .catalog import FormCatalog, UnknownForm
from .files import write_atomic
from .formfile import FormError, load_form
from .interchange import MAX_FILE_BYTES, InterchangeError, dumps
from .parsing import ParseError, show_invisible
from .store import StoreError, restore_from
from .streams import ensure_streams
from .values import ValueRejected, parse_explanation
from .workspace import NotReady, Workspace

OK, FOUND_ERRORS, BAD_INPUT = 0, 1, 2
PASSWORD_ENV = "SELFEVAL_PFX_PASSWORD"
PIN_ENV = "SELFEVAL_PKCS11_PIN"
# Raised by the export modules, which are imported only when a command needs them.
EXPORT_ERRORS = {"ExportRefused", "CertError", "SignError", "PackageError", "RegistryError", "DeskError"}


class CommandError(Exception):
    """Bad input detected by a command; printed to stderr, exit status 2."""


def _report_id(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"报告编号应为整数，收到“{text}”") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"报告编号应为正整数，收到“{text}”")
    return value


def _year(text: str) -> int:
    try:
        value = int(text.strip().rstrip("年"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"年度应为四位数字，收到“{text}”") from None
    if not 2000 <= value <= 2100:
        raise argparse.ArgumentTypeError(f"年度应在 2000 至 2100 之间，收到“{text}”")
    return value


def build_parser() -> argparse.ArgumentParser:
    argparse_zh.install()
    parser = argparse_zh.ArgumentParser(
        prog="selfeval",
        description="部门整体支出绩效自评报告：离线填报、校验、评分。",
        epilog="不带命令运行时显示本帮助。每个命令都可加 --help 查看用法。",
    )
    parser.add_argument("--version", action="version", version=f"selfeval {__version__}",
                        help="显示版本号并退出")
    parser.add_argument("--db", metavar="文件", help="数据库文件（默认在用户数据目录，或便携模式下程序旁）")
    parser.add_argument("--self-test", action="store_true",
                        help="自检：在临时目录中导入示例、评分、导出签名报送包并验证、打开主窗口和报告的各页面")
    sub = parser.add_subparsers(dest="command", metavar="命令", title="命令")

    def command(name: str, help_text: str) -> argparse.ArgumentParser:
        return sub.add_parser(name, help=help_text, description=help_text)

    p = command("import", "导入 JSON 格式的报告，输出新报告的编号")
    p.add_argument("file", metavar="文件.json", help="报告 JSON 文件（- 表示标准输入）")

    p = command("import-doc", "从上年的 Word 报告（.docx）或文本文件导入文字说明，并列出其中的数字供核对")
    p.epilog = ("按标题（一、（一）1. （1），指标名可带“（2分）”）把各段文字放入对应栏目，作为导入的草稿；"
                "数字（万元、元——换算为万元——、人数、百分比）连同所在的句子逐一列出"
                "（表格中行名和列名对应到栏目的数字也列出，例如“三公”经费表、预算表），默认不保存，"
                "核对后用 selfeval set 填写，或加 --accept-all 把对应到字段的数字全部写入。"
                "不给 --into 也不给 --unit/--year 时只显示导入结果，不保存任何内容。"
                "旧版 .doc 文件请先在 Word 中另存为 .docx。"
                "建议的用法：以上年年度新建上年的报告并导入上年的 Word 报告，"
                "再用 selfeval new --from-previous 新建本年报告，上年的文字和数字随之转入。")
    p.add_argument("file", metavar="文件.docx", help="Word 文档（.docx）或 UTF-8/GB18030 文本文件")
    p.add_argument("--into", type=_report_id, metavar="编号", help="写入这份报告（须为草稿）")
    p.add_argument("--unit", metavar="单位名称", help="不给 --into 时，为这个单位新建报告（与 --year 一起使用）")
    p.add_argument("--year", type=_year, metavar="年度", help="新建报告的年度")
    p.add_argument("--accept-all", action="store_true",
                   help="同时写入对应到字段的全部数字（同一字段取第一个）；不加时数字只列出，不保存")
    p.add_argument("--replace", action="store_true", help="覆盖已填写的栏目（默认保留原有内容）")
    p.add_argument("--json", action="store_true", help="以 JSON 输出")

    p = command("export-json", "以 JSON 格式导出报告")
    p.add_argument("id", type=_report_id, metavar="编号")
    p.add_argument("--out", metavar="文件", help="写入文件（默认输出到屏幕）")

    p = command("check", "校验报告，列出错误和警告；有错误时退出码为 1")
    p.add_argument("id", type=_report_id, metavar="编号")
    p.add_argument("--json", action="store_true", help="以 JSON 输出")

    p = command("score", "计算各项指标得分、总分和等级")
    p.add_argument("id", type=_report_id, metavar="编号")
    p.add_argument("--json", action="store_true", help="以 JSON 输出")

    p = command("count", "按本单位同一年度的其他报告（如项目支出绩效自评报告）计数，填入尚未填写的项目数")
    p.add_argument("id", type=_report_id, metavar="编号")

    p = command("list", "列出数据库中的全部报告")
    p.add_argument("--json", action="store_true", help="以 JSON 输出")

    p = command("new", "新建报告（空白，或从同一单位上年报告转入）")
    p.add_argument("--unit", required=True, metavar="单位名称")
    p.add_argument("--year", required=True, type=_year, metavar="年度")
    p.add_argument("--form", metavar="表单编号", help="默认使用适用于该年度的表单")
    p.add_argument("--from-previous", action="store_true",
                   help="转入上年报告的单位信息、职责和文字说明（不转入当年数据；上年的数字用于“与上年数据核对”）")

    p = command("set", "填写报告中的一项数据，例如：selfeval set 3 income.basic \"1,234.56\"")
    p.epilog = ("值按原样保存，其中的 \\n、\\t 等不当作换行或制表符（例如路径 C:\\new 原样保存）。"
                "多行的值（多行文字；列表和加减分项每行一项）：在命令行中输入真正的换行，"
                "例如 bash 中写 $'任务一\\n任务二'；或把内容存为 UTF-8 文本文件，"
                "用 --stdin 读入：selfeval set 3 conclusion --stdin < 自评结论.txt")
    p.add_argument("id", type=_report_id, metavar="编号")
    p.add_argument("field", metavar="字段编号")
    p.add_argument("value", nargs="?", metavar="值", help="按界面上的写法填写；空字符串表示清除")
    p.add_argument("--stdin", action="store_true", help="从标准输入读取值（UTF-8 文本），代替命令行上的值")

    p = command("explain", "为警告填写出错说明（空字符串表示删除）")
    p.add_argument("id", type=_report_id, metavar="编号")
    p.add_argument("check", metavar="校验编号")
    p.add_argument("text", metavar="说明")

    p = command("finalize", "定稿：没有错误且每条警告都已说明时才可定稿")
    p.add_argument("id", type=_report_id, metavar="编号")

    p = command("reopen", "重新打开已定稿的报告（记入修改记录）")
    p.add_argument("id", type=_report_id, metavar="编号")
    p.add_argument("--reason", required=True, metavar="原因")

    p = command("preview", "生成草稿（每页标有“草稿”，不签名），可随时预览和打印")
    p.add_argument("id", type=_report_id, metavar="编号")
    p.add_argument("--out", metavar="文件.pdf", help="草稿 PDF 的路径")
    p.add_argument("--xlsx", metavar="文件.xlsx", help="另生成草稿 Excel 自评表")

    p = command("history", "查看报告的修改记录")
    p.add_argument("id", type=_report_id, metavar="编号")

    p = command("backup", "备份数据库")
    p.add_argument("--to", metavar="文件", help="备份文件路径（默认放在备份目录）")

    p = command("restore", "用备份文件恢复数据库（恢复前自动备份当前数据库）")
    p.add_argument("file", metavar="备份文件")

    p = command("demo", "导入自带的示例报告并显示校验结果和评分")
    p.add_argument("--package", metavar="文件夹",
                   help="另在临时数据库中将示例定稿，用临时自签名证书签名，生成报送包并验证，写入该文件夹")

    command("gui", "打开图形界面")

    p = command("export", "导出已定稿的报告：签名的 PDF、Excel 自评表和清单，放入报送文件夹")
    p.add_argument("id", type=_report_id, metavar="编号")
    p.epilog = (f"用 .pfx 证书文件签名时，密码从环境变量 {PASSWORD_ENV} 读取或在提示时输入；"
                f"用 UKey 签名时，PIN 码从环境变量 {PIN_ENV} 读取或在提示时输入。程序不保存密码和 PIN 码。")
    p.add_argument("--pfx", metavar="证书文件", help="PKCS#12 证书（.pfx/.p12）")
    p.add_argument("--pkcs11-lib", metavar="驱动文件",
                   help="改用 USB 证书（UKey）签名：证书机构提供的 PKCS#11 驱动（.dll/.so）")
    p.add_argument("--token", metavar="名称", help="插有多个 UKey 时，用哪一个（UKey 的标签）")
    p.add_argument("--key", metavar="名称", help="UKey 中有多个证书时，用哪一个（证书或密钥的标签）")
    p.add_argument("--ca", action="append", default=[], metavar="证书",
                   help="UKey 中没有的 CA 证书（PEM 或 DER），嵌入签名的证书链，可多次给出")
    p.add_argument("--out", required=True, metavar="文件夹", help="报送包写入的文件夹（例如 U 盘）")
    p.add_argument("--zip", action="store_true", help="另外生成一个 .zip 压缩包")
    p.add_argument("--with-projects", action="store_true",
                   help="编号为部门整体支出绩效自评报告时，连同本单位同一年度的全部项目支出绩效自评报告放入同一个"
                        "报送包（每份报告的 PDF 各自签名，一个清单列出全部文件）；有项目报告未定稿或有错误时不导出")

    p = command("verify", "验证报送包（文件夹、zip 或 PDF）：签名、内嵌 Excel、清单；全部通过时退出码为 0")
    p.add_argument("path", metavar="路径")
    p.add_argument("--trust", action="append", default=[], metavar="证书",
                   help="信任的证书（PEM 或 DER），可多次给出")
    p.add_argument("--registry", metavar="文件",
                   help="受理数据库：核对签名证书是否为登记的单位证书（默认：用户数据目录中有受理数据库时）")

    p = command("cert", "证书：为没有数字证书的单位生成自签名证书")
    cert_sub = p.add_subparsers(dest="cert_command", metavar="操作", required=True)
    p = cert_sub.add_parser("new", help="生成有密码保护的自签名证书（.pfx）",
                            description="生成有密码保护的自签名证书（.pfx）。密码从环境变量 "
                                        f"{PASSWORD_ENV} 读取，或在提示时输入。")
    p.add_argument("--out", required=True, metavar="文件", help="证书文件路径，例如 单位证书.pfx")
    p.add_argument("--unit", required=True, metavar="单位名称")
    p.add_argument("--person", required=True, metavar="签署人姓名")
    p = cert_sub.add_parser("show", help="显示证书的单位、签署人、有效期和指纹（.pfx、.cer 或 .pem）",
                            description="显示证书的单位、签署人、有效期和 SHA-256 指纹。.pfx 的密码从环境变量 "
                                        f"{PASSWORD_ENV} 读取，或在提示时输入。")
    p.add_argument("file", metavar="证书文件")
    p = cert_sub.add_parser("export", help="从 .pfx 导出公开证书（.cer），交给财政部门登记",
                            description="从 .pfx 证书文件导出不含私钥的公开证书（DER 格式 .cer），"
                                        "交给财政部门登记。")
    p.add_argument("file", metavar="证书.pfx")
    p.add_argument("--out", required=True, metavar="文件", help="公开证书写入的文件，例如 单位证书.cer")

    from .receiving.commands import add_parsers as add_receiving_parsers

    add_receiving_parsers(command)

    p = command("forms", "列出可用的表单，或检查一个表单文件")
    p.add_argument("--check", metavar="文件", help="检查该表单文件能否正确载入")
    return parser


def main(argv: list[str] | None = None) -> int:
    ensure_streams()  # started without a console (pythonw, a windowed program) there are none
    for stream in (sys.stdout, sys.stderr):
        # also for UTF-8: a lone surrogate (from argv or JSON) in a message must not crash printing
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.self_test:
        from .selftest import run_self_test

        return run_self_test()
    if args.command is None:
        parser.print_help()
        return OK
    _log_to_file()
    try:
        if args.command == "forms":
            return cmd_forms(args)
        if args.command == "restore":
            return cmd_restore(args)
        if args.command == "verify":
            return cmd_verify(args)
        if args.command == "cert":
            return cmd_cert(args)
        if args.command in ("receive", "registry"):
            from .receiving.commands import run as run_receiving

            return run_receiving(args)
        if args.command == "gui":
            from .ui.app import run

            return run(Path(args.db) if args.db else None)
        workspace = Workspace.open(args.db)
        try:
            return COMMANDS[args.command](workspace, args)
        finally:
            workspace.close()
            if workspace.store.backup_problem:
                print(f"注意：{workspace.store.backup_problem}", file=sys.stderr)
    except (CommandError, InterchangeError, ParseError, ValueRejected, UnknownForm, StoreError,
            FormError) as error:
        print(str(error), file=sys.stderr)
        return BAD_INPUT
    except errors.PartlyDone as error:
        print(str(error), file=sys.stderr)
        return FOUND_ERRORS
    except BrokenPipeError:  # before ``Exception``, which would re-raise it
        try:  # nothing more reaches the closed pipe, not even the flush at exit
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        except (OSError, ValueError):
            pass
        return OK
    except OSError as error:  # a file the command wrote or read directly, e.g. a certificate
        print(errors.os_message(error, error.filename or ""), file=sys.stderr)
        return BAD_INPUT
    except UnicodeEncodeError:
        print("输入中含有无法识别的字符（不是有效的 UTF-8 文字），未作任何修改。", file=sys.stderr)
        return BAD_INPUT
    except Exception as error:
        if type(error).__name__ not in EXPORT_ERRORS:
            raise
        print(str(error), file=sys.stderr)
        return BAD_INPUT


def _log_to_file() -> None:
    """Keep the original of every error worded for the clerk in the data folder's log."""
    from . import paths

    try:
        errors.setup_logging(paths.log_dir())
    except OSError:
        pass  # no log then; the command itself may still work


def _print_json(data) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


def _read_input(name: str) -> bytes:
    """The file's bytes; at most MAX_FILE_BYTES + 1 are read, the importer refuses more."""
    if name == "-":
        return sys.stdin.buffer.read(MAX_FILE_BYTES + 1)
    try:
        with open(name, "rb") as file:
            return file.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        raise CommandError(errors.os_message(error, name, doing="读取")) from None


def _value_from_stdin() -> str:
    data = _read_input("-")
    if len(data) > MAX_FILE_BYTES:
        raise CommandError(f"标准输入的内容过长（超过 {MAX_FILE_BYTES // 1024 // 1024} MB），未作任何修改。")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CommandError("标准输入的内容不是 UTF-8 文本，请把文件另存为 UTF-8 编码后再读入。") from None


def cmd_import(ws: Workspace, args) -> int:
    data = _read_input(args.file)
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise CommandError(errors.not_utf8("标准输入" if args.file == "-" else args.file, error)) from None
    print(ws.import_json(data))
    return OK


def cmd_import_doc(ws: Workspace, args) -> int:
    from . import docimport

    if args.into and (args.unit or args.year):
        raise CommandError("--into 与 --unit/--year 只能二选一。")
    if bool(args.unit) != bool(args.year):
        raise CommandError("新建报告需要同时给出 --unit 和 --year。")
    try:
        blocks = docimport.read_blocks(args.file)
    except docimport.DocImportError as error:
        raise CommandError(str(error)) from None
    report_id = args.into
    form = ws.open_report(report_id).form if report_id else None
    if args.unit:
        report_id = ws.new_report(args.unit.strip(), args.year)
        form = ws.open_report(report_id).form
    form = form or ws.catalog.get(ws.catalog.default_form_id())
    plan = docimport.plan_import(form, blocks)
    accepted = [p for p in plan.proposals if p.field] if args.accept_all else []
    stored = None
    if report_id:
        stored = docimport.apply_import(ws, report_id, plan, accepted, replace=args.replace)
    if args.json:
        _print_json(docimport.plan_json(form, plan, report_id=report_id, stored=stored, accepted=accepted))
        return OK
    if report_id:
        print(f"报告编号：{report_id}")
    print(docimport.describe(form, plan, stored=stored, accepted=accepted))
    if not report_id:
        print("\n（只显示了导入结果，没有保存。用 --into 编号 写入已有报告，或用 --unit 和 --year 新建报告。）")
    elif not args.accept_all and plan.proposals:
        print("\n数字未保存：核对后用 selfeval set 编号 字段编号 值 填写，或加 --accept-all 全部写入。")
    return OK


def cmd_export_json(ws: Workspace, args) -> int:
    text = dumps(ws.export_dict(args.id))
    if args.out:
        try:
            write_atomic(Path(args.out), text.encode("utf-8"))
        except OSError as error:
            raise CommandError(errors.os_message(error, args.out)) from None
    else:
        sys.stdout.write(text)
    return OK


def cmd_check(ws: Workspace, args) -> int:
    from .readiness import with_blocking

    # an indicator a blank leaves unscored is an error here too, as in the window and for 定稿
    evaluation = with_blocking(ws.open_report(args.id).form, ws.evaluate(args.id))
    tampering = ws.tampering(args.id)
    if args.json:
        _print_json(evaluation.check_json())
    else:
        print(report_text.findings(evaluation))
    for problem in tampering:
        print(f"！{problem}", file=sys.stderr)
    return FOUND_ERRORS if evaluation.errors or tampering else OK


def cmd_score(ws: Workspace, args) -> int:
    report = ws.open_report(args.id)
    evaluation = ws.evaluate(args.id)
    if args.json:
        _print_json(evaluation.score_json())
    else:
        print(report_text.scores(report.form, report.values, evaluation))
    return OK


def cmd_count(ws: Workspace, args) -> int:
    from . import counting

    form = ws.open_report(args.id).form
    if not form.counted_from:
        raise CommandError(f"表单“{form.title}”没有可按其他报告计数的字段。")
    counted, filled = ws.fill_counts(args.id)
    if not counted:
        print(counting.nothing_to_count(form))
        return OK
    print("\n".join(counting.summary_lines(form, ws.open_report(args.id).values, counted, filled)))
    return OK


def cmd_list(ws: Workspace, args) -> int:
    reports = ws.store.reports()
    if args.json:
        _print_json([report_text.info_dict(info) for info in reports])
    else:
        print(report_text.report_list(reports))
    return OK


def cmd_new(ws: Workspace, args) -> int:
    print(ws.new_report(args.unit.strip(), args.year, form_id=args.form, from_previous=args.from_previous))
    return OK


def cmd_set(ws: Workspace, args) -> int:
    if args.stdin == (args.value is not None):
        raise CommandError("请给出要填写的值，或用 --stdin 从标准输入读取（二者选一）。")
    parsed = ws.set_text(args.id, args.field, _value_from_stdin() if args.stdin else args.value)
    report = ws.open_report(args.id)
    field = report.form.fields[args.field]
    shown = report_text.value_line(field, parsed.value)
    print(shown)
    if parsed.warning:
        print(f"注意：{parsed.warning}", file=sys.stderr)
    return OK


def cmd_explain(ws: Workspace, args) -> int:
    text = parse_explanation(ws.open_report(args.id).form, args.text)
    evaluation = ws.evaluate(args.id)
    if text and args.check not in {f.check for f in evaluation.warnings}:
        raise CommandError(f"报告 {args.id} 当前没有编号为“{show_invisible(args.check)}”的警告；用 selfeval check {args.id} 查看。")
    ws.set_explanation(args.id, args.check, text)
    return OK


def cmd_finalize(ws: Workspace, args) -> int:
    try:
        evaluation = ws.finalize(args.id)
    except NotReady as refusal:
        print(str(refusal), file=sys.stderr)
        return FOUND_ERRORS
    print(f"报告 {args.id} 已定稿：总分 {evaluation.total}，等级 {evaluation.grade}。")
    return OK


def cmd_reopen(ws: Workspace, args) -> int:
    if ws.reopen(args.id, args.reason):
        print(f"报告 {args.id} 已重新打开，可以修改。")
    else:
        print(f"报告 {args.id} 尚未定稿，本来就可以修改，无需重新打开。")
    return OK


def cmd_preview(ws: Workspace, args) -> int:
    from .export.draft import DraftRefused, write_draft

    if not args.out and not args.xlsx:
        raise CommandError("请用 --out 指定草稿 PDF 的路径，或用 --xlsx 指定草稿 Excel 的路径。")
    ws.store.report(args.id)
    try:
        written = write_draft(ws, args.id, pdf=Path(args.out) if args.out else None,
                              xlsx=Path(args.xlsx) if args.xlsx else None)
    except DraftRefused as refused:
        raise CommandError(str(refused)) from refused
    for path in written:
        print(f"草稿：{path}")
    return OK


def cmd_history(ws: Workspace, args) -> int:
    print(report_text.history(ws.store.audit_trail(args.id)))
    broken = ws.store.broken_history(args.id)
    if broken:
        print(f"！{report_text.broken_history(broken)}", file=sys.stderr)
        return FOUND_ERRORS
    return OK


def cmd_backup(ws: Workspace, args) -> int:
    print(ws.store.backup(args.to))
    return OK


def cmd_restore(args) -> int:
    from . import paths

    target = Path(args.db) if args.db else paths.database_path()
    safety = restore_from(Path(args.file), target)
    print(f"已恢复。恢复前的数据库已备份到：{safety}" if safety else "已恢复。")
    return OK


def cmd_demo(ws: Workspace, args) -> int:
    report_id, existing = demo.find_or_import_demo(ws)
    report = ws.open_report(report_id)
    evaluation = ws.evaluate(report_id)
    print(f"示例报告：编号 {report_id}，{report.info.unit_name} {report.info.year} 年度"
          f"（{'已在数据库中' if existing else '已导入'}）\n")
    print("【校验结果】")
    print(report_text.findings(evaluation))
    print("\n【评分】")
    print(report_text.scores(report.form, report.values, evaluation))
    if args.package:
        _demo_package(Path(args.package))
    return OK


def _demo_package(out_dir: Path) -> None:
    """Take a copy of the demo through finalising, signing, packaging and verifying."""
    import tempfile

    out_dir.mkdir(parents=True, exist_ok=True)
    print("\n【定稿、签名、报送包与验证】（在临时数据库中进行，不改动上面的报告）")
    with tempfile.TemporaryDirectory(prefix="selfeval-demo-") as folder:
        scratch = Workspace.open(Path(folder) / "demo.sqlite3")
        try:
            report_id, _ = demo.find_or_import_demo(scratch)
            demo.finalise(scratch, report_id)
            print(f"警告已附示例说明：{demo.DEMO_EXPLANATION}")
            result = demo.export_with_temporary_certificate(
                scratch, report_id, out_dir=out_dir, work_dir=Path(folder),
                progress=lambda index, total, text: print(f"[{index + 1}/{total}] {text}…"),
            )
        finally:
            scratch.close()
    print(f"报送包：{result.folder}")
    print(f"压缩包：{result.zip_path}")
    print(f"用时 {result.seconds:.2f} 秒")
    print(result.verdict.text())


def _password(confirm: bool = False) -> str:
    if os.environ.get(PASSWORD_ENV):
        return os.environ[PASSWORD_ENV]
    if not sys.stdin or not sys.stdin.isatty():
        raise CommandError(f"需要证书密码：请在提示时输入，或设置环境变量 {PASSWORD_ENV}。")
    import getpass

    password = getpass.getpass("证书密码：")
    if confirm and getpass.getpass("再次输入证书密码：") != password:
        raise CommandError("两次输入的密码不一致。")
    return password


def _pin() -> str:
    """The UKey's PIN, from the environment (for scripts) or typed; never stored."""
    if os.environ.get(PIN_ENV):
        return os.environ[PIN_ENV]
    if not sys.stdin or not sys.stdin.isatty():
        raise CommandError(f"需要 UKey 的 PIN 码：请在提示时输入，或设置环境变量 {PIN_ENV}。")
    import getpass

    return getpass.getpass("UKey PIN 码：")


def cmd_export(ws: Workspace, args) -> int:
    from .export.pipeline import UKeyChoice, YearRefused, export_report, export_year

    if bool(args.pfx) == bool(args.pkcs11_lib):
        raise CommandError("请给出 --pfx 证书文件，或用 --pkcs11-lib 指定 UKey 驱动（二者选一）。")
    if (args.token or args.key or args.ca) and not args.pkcs11_lib:
        raise CommandError("--token、--key 和 --ca 用于 UKey 签名，需同时给出 --pkcs11-lib。")
    ukey = UKeyChoice(Path(args.pkcs11_lib), args.token, args.key, tuple(map(Path, args.ca))) if args.pkcs11_lib else None
    out = Path(args.out)
    try:
        result = (export_year if args.with_projects else export_report)(
            ws, args.id, pfx=Path(args.pfx) if args.pfx else None, password=_pin() if ukey else _password(),
            out_dir=out, make_zip=args.zip, ukey=ukey,
            progress=lambda index, total, text: print(f"[{index + 1}/{total}] {text}…", file=sys.stderr),
        )
    except YearRefused as refused:
        raise CommandError(f"{refused}\n如只导出这一份报告，请去掉 --with-projects。") from None
    print(f"报送包：{result.folder}")
    if result.zip_path:
        print(f"压缩包：{result.zip_path}")
    for note in result.notes:
        print(f"注意：{note}", file=sys.stderr)
    print(result.verdict.text())
    for problem in result.problems:
        print(f"！{problem}", file=sys.stderr)
    return OK if result.verdict.ok and not result.problems else FOUND_ERRORS


def cmd_verify(args) -> int:
    from .export.verify import verify

    path = Path(args.path)
    if not path.exists():
        raise CommandError(f"找不到“{path}”。")
    verdict = verify(path, trust=[Path(t) for t in args.trust] or None)
    from .receiving.commands import check_on_record  # a bureau's desk knows each unit's certificate

    check_on_record(verdict, args.registry)
    print(verdict.text())
    return OK if verdict.ok else FOUND_ERRORS


def cmd_cert(args) -> int:
    from .export.certs import describe, needs_password, new_self_signed, public_der, read_certificate

    if args.cert_command in ("show", "export"):
        cert = read_certificate(args.file, _password() if needs_password(args.file) else None)
        if args.cert_command == "show":
            print("\n".join(describe(cert)))
            return OK
        target = Path(args.out)
        if target.exists():
            raise CommandError(f"“{target}”已存在，未覆盖。请换一个文件名。")
        try:
            write_atomic(target, public_der(cert))
        except OSError as error:
            raise CommandError(f"无法写入文件“{target}”：{error.strerror or error}") from None
        print(f"已导出公开证书（不含私钥）：{target}")
        print("\n".join(describe(cert)))
        return OK
    path = new_self_signed(Path(args.out), unit_name=args.unit.strip(), person=args.person.strip(),
                           password=_password(confirm=True))
    print(f"已生成自签名证书：{path}")
    print("请妥善保管证书文件和密码；程序不保存密码。自签名证书只能证明文件未被改动，不能证明签署人身份。")
    return OK


def cmd_forms(args) -> int:
    if args.check:
        form = load_form(args.check)
        print(f"表单文件正确：{form.id} {form.edition}，{len(form.fields)} 个字段，"
              f"{len(form.leaves)} 个评分指标，{len(form.checks)} 条校验。")
        return OK
    for form in FormCatalog().forms():
        years = f"{form.first_year}–{form.last_year or ''}"
        print(f"{form.id}\t{form.edition}\t{years}\t{form.title}")
    return OK


COMMANDS = {
    "import": cmd_import,
    "import-doc": cmd_import_doc,
    "export-json": cmd_export_json,
    "check": cmd_check,
    "score": cmd_score,
    "list": cmd_list,
    "count": cmd_count,
    "new": cmd_new,
    "set": cmd_set,
    "explain": cmd_explain,
    "finalize": cmd_finalize,
    "reopen": cmd_reopen,
    "history": cmd_history,
    "preview": cmd_preview,
    "backup": cmd_backup,
    "demo": cmd_demo,
    "export": cmd_export,
}


if __name__ == "__main__":
    sys.exit(main())
