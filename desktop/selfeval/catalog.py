"""Where the shipped data lives, and the catalogue of form files.

Forms and resources sit beside the source tree in a checkout, inside the
package when installed from a wheel, and inside the bundle when frozen by
PyInstaller.  ``SELFEVAL_FORMS`` points elsewhere (used
by tests and by a finance bureau trying out a new form).
"""
from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the forms are read when first asked for, so the paths below import nothing heavy
    from .form import Form
    from .formfile import FormFile


def app_root() -> Path:
    """The folder holding ``forms/`` and ``resources/``."""
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen)
    package = Path(__file__).resolve().parent
    if (package / "forms").is_dir():  # installed: selfeval/forms, selfeval/resources
        return package
    return package.parents[1]  # a checkout: desktop/selfeval → the repository


def forms_dir() -> Path:
    return Path(os.environ.get("SELFEVAL_FORMS") or app_root() / "forms")


def resources_dir() -> Path:
    return app_root() / "resources"


def demo_report_path() -> Path:
    return resources_dir() / "demo" / "gd-dept-overall-2022-demo.json"


class UnknownForm(LookupError):
    """No form file matches; the message is Chinese."""


class FormCatalog:
    """All form files of one folder, each read once and built into a form when first needed."""

    def __init__(self, folder: Path | str | None = None):
        self.folder = Path(folder) if folder else forms_dir()
        self._files: list[FormFile] | None = None
        self._forms: list[Form] | None = None

    def files(self) -> list[FormFile]:
        """Every form file read, not yet built; each id and edition comes once."""
        from .formfile import FormError, read_form_file

        if self._files is None:
            paths = sorted(self.folder.glob("*.yaml"))
            if not paths:
                raise FormError(str(self.folder), None, None, "表单目录中没有任何表单文件（*.yaml）")
            files = [read_form_file(path) for path in paths]
            seen = set()
            for file in files:
                key = (file.id, file.edition)
                if key in seen:
                    raise FormError(file.path, None, "edition", f"表单 {file.id} 版本 {file.edition} 重复")
                seen.add(key)
            self._files = files
        return self._files

    def forms(self) -> list[Form]:
        from .formfile import build_form

        if self._forms is None:
            forms = [build_form(file) for file in self.files()]
            _check_counted(forms)
            self._forms = forms
        return self._forms

    def heading(self, form_id: str, edition: str) -> FormFile:
        """The file of form ``form_id`` in ``edition``, read but not built: its title and
        subject field for the report list, which so builds no form."""
        for file in self.files():
            if (file.id, file.edition) == (form_id, edition):
                return file
        raise UnknownForm(f"没有编号为“{form_id}”、版本为“{edition}”的表单")

    def get(self, form_id: str, edition: str | None = None, *, year: int | None = None) -> Form:
        """The form ``form_id`` in ``edition``, or the newest edition covering ``year``."""
        candidates = [f for f in self.forms() if f.id == form_id]
        if not candidates:
            known = "、".join(sorted({f.id for f in self.forms()}))
            raise UnknownForm(f"没有编号为“{form_id}”的表单（现有：{known}）")
        if edition is not None:
            for form in candidates:
                if form.edition == edition:
                    return form
            editions = "、".join(f.edition for f in candidates)
            raise UnknownForm(f"表单“{form_id}”没有“{edition}”版（现有：{editions}）")
        if year is not None:
            candidates = [f for f in candidates if f.applies_to(year)]
            if not candidates:
                raise UnknownForm(f"表单“{form_id}”没有适用于 {year} 年度的版本")
        return max(candidates, key=lambda f: _edition_key(f.edition))

    def default_form_id(self) -> str:
        return self.files()[0].id


def _edition_key(edition: str) -> tuple:
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in edition.replace("-", ".").split("."))


def _check_counted(forms: list[Form]) -> None:
    """Each form's counting conditions (``counted``) read right against the form they count."""
    from .counting import compile_conditions
    from .expr import ExprError
    from .formfile import FormError

    for form in forms:
        for other in (f for f in forms if form.counted_from and f.id == form.counted_from):
            try:
                compile_conditions(form, other)
            except ExprError as error:
                raise FormError(form.source, None, "counted", f"按“{other.id}”计数的条件有误：{error}") from None
