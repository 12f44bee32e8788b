"""A draft to look at and print at any stage: the report PDF and the Excel table
as they stand, marked 草稿 on every page and sheet, unsigned.

Drafts are written where asked (``selfeval preview``) or into the data
folder's ``drafts`` folder (the wizard's 预览), never into a submission package.
"""
from __future__ import annotations

from pathlib import Path

from ..files import write_atomic
from ..paths import data_dir, ensure_dir
from ..readiness import with_blocking
from ..workspace import Workspace
from .package import MANIFEST

DRAFTS = "drafts"


class DraftRefused(Exception):
    """A draft would have gone into a submission package."""


def draft_folder() -> Path:
    """Where the wizard's previews go: ``drafts`` in the data folder."""
    return ensure_dir(data_dir() / DRAFTS)


def _refuse_package(path: Path) -> None:
    folder = path.resolve().parent
    for place in (folder, *folder.parents):
        if (place / MANIFEST).is_file():
            raise DraftRefused(f"“{place}”是报送包，草稿不能放进报送包，请另选位置。")


def write_draft(workspace: Workspace, report_id: int, *, pdf: Path | None = None,
                xlsx: Path | None = None) -> list[Path]:
    """Write the report as it stands now as a draft PDF and/or Excel file; the paths written."""
    from .pdf import render_report
    from .xlsx import render_workbook

    report = workspace.open_report(report_id)
    evaluation = with_blocking(report.form, workspace.evaluate(report_id))
    written = []
    for path, render in ((pdf, render_report), (xlsx, render_workbook)):
        if path is None:
            continue
        path = Path(path)
        _refuse_package(path)
        write_atomic(path, render(report, evaluation, draft=True))
        written.append(path)
    return written
