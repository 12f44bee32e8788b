"""``selfeval receive`` and ``selfeval registry``: the receiving desk on the command line."""
from __future__ import annotations

import json
import sys
from pathlib import Path

from ..export.certs import grouped
from .registry import ACCEPTED, FAILED, PENDING, Registry
from .summary import verdict_text

OK, FOUND_ERRORS, BAD_INPUT = 0, 1, 2


def add_parsers(command) -> None:
    """Add the two commands; ``command(name, help)`` makes a sub-parser (see cli.build_parser)."""
    p = command("receive", "受理：查找并验证文件夹或 U 盘中的全部报送包，登记单位证书，重新评分，可输出汇总表")
    p.epilog = ("每个单位第一次报送时登记其证书指纹；之后证书不同的报送包标为“证书变更”，"
                "须用 selfeval registry accept/reject 决定。全部受理且评分一致时退出码为 0。")
    p.add_argument("paths", nargs="+", metavar="路径", help="U 盘根目录、文件夹、报送包文件夹或 .zip")
    p.add_argument("--out", metavar="汇总表.xlsx", help="另把全部已收到的报送包写入汇总表（Excel）")
    p.add_argument("--form", action="append", default=[], metavar="表单文件",
                   help="用本机的表单文件重新评分（可多次给出；默认用程序自带的表单）")
    p.add_argument("--trust", action="append", default=[], metavar="证书",
                   help="信任的 CA 证书（PEM 或 DER），用于由 CA 签发的单位证书")
    p.add_argument("--registry", metavar="文件", help="受理数据库（默认在用户数据目录的 receive.sqlite3）")

    p = command("registry", "受理登记：单位证书、已收到的报送包、证书变更的决定")
    p.add_argument("--registry", metavar="文件", help="受理数据库（默认在用户数据目录的 receive.sqlite3）")
    sub = p.add_subparsers(dest="registry_command", metavar="操作", required=True)
    q = sub.add_parser("list", help="列出已收到的报送包")
    q.add_argument("--json", action="store_true", help="以 JSON 输出")
    sub.add_parser("units", help="列出登记的单位证书")
    q = sub.add_parser("show", help="显示一个报送包的检查结果和评分")
    q.add_argument("id", type=int, metavar="编号")
    q = sub.add_parser("import-cert", help="导入单位的公开证书（.cer/.pem），登记其指纹")
    q.add_argument("file", metavar="证书文件")
    q.add_argument("--unit", metavar="单位名称", help="默认取证书中的单位（O）")
    q.add_argument("--reason", default="", metavar="说明")
    for name, text in (("accept", "认可证书变更：以报送包的新证书作为该单位的证书，并受理该包"),
                       ("reject", "拒收证书变更的报送包")):
        q = sub.add_parser(name, help=text)
        q.add_argument("id", type=int, metavar="编号")
        q.add_argument("--reason", required=True, metavar="理由")
    q = sub.add_parser("trust-ca", help="信任 CA 根证书：由这些 CA 签发的单位证书（如 UKey）可通过验证；不给文件时列出",
                       description="把 CA 根证书（PEM 或 DER，一个文件可含多个）加入受理台信任的 CA 列表"
                                   "（受理数据库旁的 可信CA.pem）。自签名的单位证书不受影响，仍在首次报送时登记。")
    q.add_argument("files", nargs="*", metavar="CA证书")
    sub.add_parser("audit", help="查看受理记录（登记、变更、拒收）")
    q = sub.add_parser("rescore", help="用本机的表单文件把已存档的报送包全部重新评分")
    q.add_argument("--form", action="append", default=[], metavar="表单文件",
                   help="表单文件（可多次给出；默认用程序自带的表单）")
    q = sub.add_parser("summary", help="把全部已收到的报送包写入汇总表（Excel）")
    q.add_argument("--out", required=True, metavar="汇总表.xlsx")


def run(args) -> int:
    registry = Registry.open(args.registry)
    try:
        if args.command == "receive":
            return _receive(registry, args)
        return _REGISTRY[args.registry_command](registry, args)
    finally:
        registry.close()


def check_on_record(verdict, registry_file: str | None) -> None:
    """For ``selfeval verify``: when there is a receiving desk, compare with the unit's certificate on record."""
    from . import desk
    from .registry import default_path

    path = Path(registry_file) if registry_file else default_path()
    if not path.is_file():
        return
    registry = Registry.open(path)
    try:
        desk.check_on_record(verdict, registry)
    finally:
        registry.close()


def _bureau_forms(files: list[str]):
    from . import desk

    from ..formfile import load_form

    return desk.BureauForms([load_form(path) for path in files] if files else None)


def _receive(registry: Registry, args) -> int:
    from ..cli import CommandError
    from . import desk

    missing = [path for path in args.paths if not Path(path).exists()]
    if missing:
        raise CommandError("找不到：" + "、".join(missing))
    catalog = _bureau_forms(args.form)
    outcomes = desk.receive(registry, [Path(p) for p in args.paths], catalog=catalog,
                            trust=[Path(t) for t in args.trust] or None,
                            progress=lambda index, total, path: print(f"[{index + 1}/{total}] {path}",
                                                                      file=sys.stderr))
    if not outcomes:
        print("没有找到报送包（含 manifest.json 的文件夹或 .zip 文件）。")
        return FOUND_ERRORS
    for outcome in outcomes:
        number = f"第 {outcome.package.id} 号" if outcome.package else ""
        unit = outcome.package.unit if outcome.package else ""
        print(f"{number}　{unit}　{outcome.path.name}：{outcome.text}")
    states = [outcome.state for outcome in outcomes if not outcome.duplicate]  # a copy counts once, as 重复
    print(f"\n共 {len(outcomes)} 个：受理 {states.count(ACCEPTED)}，证书待决定 {states.count(PENDING)}，"
          f"验证未通过 {states.count(FAILED)}，重复 {len(outcomes) - len(states)}。")
    if args.out:
        from .summary import write_summary

        print(f"汇总表：{write_summary(args.out, registry.packages(), catalog)}")
    clean = all(o.state == ACCEPTED and o.package.rescore_ok for o in outcomes)
    return OK if clean else FOUND_ERRORS


def _list(registry: Registry, args) -> int:
    from .desk import BureauForms, report_label

    received = registry.packages()
    catalog = BureauForms()
    if args.json:
        keep = ("id", "unit", "year", "form_id", "total", "grade", "signer", "signed_at", "fingerprint", "state",
                "version", "newest", "source", "stored", "warnings")
        print(json.dumps([{key: getattr(item, key) for key in keep}
                          | {"report": report_label(item, catalog), "rescore_ok": item.rescore_ok}
                          for item in received], ensure_ascii=False, indent=2))
        return OK
    if not received:
        print("还没有收到报送包。")
    for item in received:
        version = f"第{item.version}版" + ("·最新" if item.newest else "") if item.version else ""
        print(f"{item.id}\t{item.unit}\t{item.year or ''}\t{report_label(item, catalog)}\t{item.total}\t{item.grade}\t{verdict_text(item)}\t"
              f"{version}\t{grouped(item.fingerprint, 4) if item.fingerprint else ''}")
    return OK


def _units(registry: Registry, args) -> int:
    units = registry.units()
    if not units:
        print("还没有登记任何单位的证书。")
    for unit in units:
        print(f"{unit.unit}\t{grouped(unit.fingerprint)}\t{unit.how}\t{unit.since}"
              + (f"\t{unit.reason}" if unit.reason else ""))
    return OK


def _show(registry: Registry, args) -> int:
    from . import desk

    print("\n".join(desk.details(registry, args.id).lines))
    return OK


def _import_cert(registry: Registry, args) -> int:
    from . import desk

    unit, digits, accepted = desk.import_certificate(registry, args.file, unit=args.unit, reason=args.reason)
    print(f"已登记 {unit} 的证书，指纹（SHA-256）：{grouped(digits)}")
    if accepted:
        print("以下待决定的报送包与该证书一致，已受理：" + "、".join(f"第 {i} 号" for i in accepted))
    return OK


def _accept(registry: Registry, args) -> int:
    from . import desk

    item = desk.accept_change(registry, args.id, args.reason)
    print(f"已认可 {item.unit} 的新证书（指纹 {grouped(item.fingerprint)}），第 {item.id} 号报送包已受理。")
    return OK


def _reject(registry: Registry, args) -> int:
    from . import desk

    item = desk.reject(registry, args.id, args.reason)
    print(f"第 {item.id} 号报送包（{item.unit}）已拒收。")
    return OK


def _trust_ca(registry: Registry, args) -> int:
    from ..export.certs import describe
    from . import desk

    roots = desk.trusted_cas(registry, args.files)
    print(f"受理台信任的 CA 根证书：{len(roots)} 个" + ("。" if roots else "（由 CA 签发的单位证书将无法通过验证）。"))
    for cert in roots:
        print("\n".join(["", *describe(cert)]))
    return OK


def _audit(registry: Registry, args) -> int:
    for entry in registry.audit_trail():
        package = f"第 {entry.package} 号" if entry.package else ""
        print(f"{entry.at}\t{entry.action}\t{entry.unit}\t{package}\t{entry.detail}"
              + (f"\t理由：{entry.reason}" if entry.reason else ""))
    return OK


def _rescore(registry: Registry, args) -> int:
    from . import desk

    changed = desk.rescore_stored(registry, _bureau_forms(args.form))
    for item in changed:
        state = "与签名一致" if item.rescore_ok else "；".join(item.rescore.get("problems", []))
        print(f"第 {item.id} 号\t{item.unit}\t{item.year or ''}\t重新评分：总分 {item.rescore.get('total')}，{state}")
    print(f"已重新评分，结果有变化的报送包：{len(changed)} 个。")
    return OK if all(item.rescore_ok for item in registry.packages() if item.state == ACCEPTED) else FOUND_ERRORS


def _summary(registry: Registry, args) -> int:
    from .summary import write_summary

    print(f"汇总表：{write_summary(args.out, registry.packages())}")
    return OK


_REGISTRY = {"list": _list, "units": _units, "show": _show, "import-cert": _import_cert, "accept": _accept,
             "reject": _reject, "trust-ca": _trust_ca, "audit": _audit, "rescore": _rescore, "summary": _summary}
