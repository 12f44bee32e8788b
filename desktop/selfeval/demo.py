"""The bundled demo report taken through the whole job, for ``selfeval demo --package`` and the self-test.

The demo's one warning is explained with a note that says it is a demonstration, the
report is finalised, and a package is exported with a temporary self-signed
certificate whose password exists only in memory.
"""
from __future__ import annotations

import json
import secrets
from pathlib import Path

from .catalog import demo_report_path
from .workspace import Workspace

DEMO_EXPLANATION = "（示例）已核对：编制调整文件尚未下达，超编人员将随退休逐步消化。"


def find_or_import_demo(workspace: Workspace) -> tuple[int, bool]:
    """The id of the demo report in ``workspace`` (imported unless an unchanged copy exists)."""
    text = demo_report_path().read_text(encoding="utf-8")
    wanted = json.loads(text)
    for info in workspace.store.reports():
        if workspace.export_dict(info.id) == wanted:
            return info.id, True
    return workspace.import_json(text), False


def finalise(workspace: Workspace, report_id: int) -> None:
    """Explain every unexplained warning with the demo note, then finalise."""
    for finding in workspace.evaluate(report_id).unexplained_warnings:
        workspace.set_explanation(report_id, finding.check, DEMO_EXPLANATION)
    workspace.finalize(report_id)


def export_with_temporary_certificate(workspace: Workspace, report_id: int, *, out_dir: Path,
                                      work_dir: Path, make_zip: bool = True, progress=None):
    """Export with a new self-signed certificate kept in ``work_dir``; returns the ExportResult."""
    from .export.certs import new_self_signed
    from .export.pipeline import export_report

    info = workspace.store.report(report_id)
    password = secrets.token_urlsafe(12)
    pfx = new_self_signed(work_dir / f"demo-{secrets.token_hex(4)}.pfx", unit_name=info.unit_name,
                          person="示例签署人", password=password)
    return export_report(workspace, report_id, pfx=pfx, password=password, out_dir=out_dir,
                         make_zip=make_zip, progress=progress)
