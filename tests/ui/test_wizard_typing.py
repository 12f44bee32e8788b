"""Type the whole demo report through the wizard with key and mouse events,
then reopen the database with a fresh Workspace and compare every value."""
from __future__ import annotations

import json
import unicodedata

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from selfeval import paths
from selfeval.catalog import demo_report_path
from selfeval.ui.new_report import NewReport
from selfeval.values import from_json
from selfeval.workspace import Workspace

from human_input import replace_text, type_text


def full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if c.isdigit() or c == "." else c for c in text)


def as_typed(field, raw, n: int) -> str:
    """What a clerk types for ``raw``, varied the way people type."""
    if field.type == "money":
        return [raw, full_width(raw), f"{raw}万元"][n % 3]
    if field.type in ("count", "year"):
        return full_width(str(raw)) if n % 2 else str(raw)
    if field.type == "date":
        year, month, day = raw.split("-")
        return f"{year}年{int(month)}月{int(day)}日"
    return str(raw)


def click_page(qtbot, wizard, page_id: str) -> None:
    row = wizard.page_list.page_rows[wizard.navigator.index_of(page_id)]
    item = wizard.page_list.item(row)
    wizard.page_list.scrollToItem(item)
    QTest.mouseClick(wizard.page_list.viewport(), Qt.MouseButton.LeftButton,
                     pos=wizard.page_list.visualItemRect(item).center())
    assert wizard.navigator.current.id == page_id


def choose(combo, index: int) -> None:
    """Pick an entry of a closed combo box with the arrow keys."""
    combo.setFocus(Qt.FocusReason.TabFocusReason)
    for _ in range(combo.count()):
        QTest.keyClick(combo, Qt.Key.Key_Up)
    for _ in range(index):
        QTest.keyClick(combo, Qt.Key.Key_Down)
    assert combo.currentIndex() == index


def leave(qtbot, where="") -> None:
    focused = QApplication.focusWidget()
    assert focused is not None, f"nothing has the keyboard focus after {where}"
    QTest.keyClick(focused, Qt.Key.Key_Tab)
    qtbot.wait(1)


def fill(qtbot, wizard, field_id: str, raw, n: int) -> None:
    page = wizard.navigator.page_of_field(field_id)
    if wizard.navigator.current.id != page.id:
        click_page(qtbot, wizard, page.id)
    editor = wizard.editor(field_id)
    field = editor.field
    if field.type == "yesno":
        choose(editor.combo, 1 if raw else 2)
    elif field.type == "lines":
        for item in raw:
            QTest.mouseClick(editor.add_button, Qt.MouseButton.LeftButton)
            type_text(editor.rows[-1].line, item)
    elif field.type == "adjustments":
        rules = wizard.session.form.adjustments
        for entry in raw:
            QTest.mouseClick(editor.add_button, Qt.MouseButton.LeftButton)
            row = editor.rows[-1]
            kind = rules.kind(entry["kind"])
            choose(row.kind, [k.name for k in rules.kinds].index(entry["kind"]))
            choose(row.level, [name for name, _ in kind.points].index(entry["level"]))
            replace_text(row.description, entry["description"])
    else:
        replace_text(editor.focusProxy(), as_typed(field, raw, n))
    leave(qtbot, field_id)
    assert field_id not in wizard.session.parse_errors, wizard.session.parse_errors[field_id]


def test_type_the_whole_demo_report_then_reopen(qtbot, window, monkeypatch):
    raw_values = json.loads(demo_report_path().read_text(encoding="utf-8"))["values"]
    monkeypatch.setattr("selfeval.ui.new_report.ask_new_report",
                        lambda _parent, _ws: NewReport("gd-dept-overall", raw_values["unit.name"], 2022, False))
    QTest.mouseClick(window.report_list.findChild(type(window.report_list.buttons["new"]), "empty-new"),
                     Qt.MouseButton.LeftButton)
    wizard = window.wizard
    assert wizard is not None
    form = wizard.session.form
    # in page order, as a clerk goes through the wizard
    order = [fid for page in wizard.navigator.pages for fid in page.fields if fid in raw_values]
    for n, field_id in enumerate(order):
        fill(qtbot, wizard, field_id, raw_values[field_id], n)
    qtbot.waitUntil(lambda: wizard.score_panel.total.text() == "96.67", timeout=2000)
    assert wizard.score_panel.grade.text() == "优"
    report_id = wizard.session.report_id
    window.close()

    fresh = Workspace.open(paths.database_path())
    try:
        stored = fresh.open_report(report_id).values
    finally:
        fresh.store.close(backup=False)
    expected = {fid: from_json(form, form.fields[fid], raw) for fid, raw in raw_values.items()}
    expected = {fid: value for fid, value in expected.items() if value is not None}
    assert set(stored) == set(expected)
    for field_id, value in expected.items():
        assert stored[field_id] == value, field_id


def test_full_width_digits_are_normalised_on_leaving(qtbot, window, asked):
    window.do_action("demo")
    wizard = window.wizard
    click_page(qtbot, wizard, "basic.finance")
    line = wizard.editor("income.total").focusProxy()
    replace_text(line, unicodedata.normalize("NFC", full_width("12345.6")))
    leave(qtbot)
    assert line.text() == "12,345.60"
