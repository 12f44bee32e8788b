"""Our own interface strings, written in Chinese, with an English table.

``tr("新建报告")`` returns the text in the chosen language; Chinese is the
source language, so a string missing from the table simply stays Chinese.
Qt's own strings (OK, Cancel, the calendar) come from Qt's translations.
"""
from __future__ import annotations

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication

LANGUAGES = {"zh_CN": "中文", "en": "English"}
DEFAULT_LANGUAGE = "zh_CN"

ENGLISH = {
    "部门整体支出绩效自评": "Departmental Performance Self-Evaluation",
    "新建报告": "New report",
    "打开": "Open",
    "复制": "Duplicate",
    "删除": "Delete",
    "导入 JSON": "Import JSON",
    "导出 JSON": "Export JSON",
    "备份数据库": "Back up database",
    "恢复数据库": "Restore database",
    "受理报送包…": "Receive packages…",
    "受理报送包": "Receive packages",
    "扫描文件夹或 U 盘…": "Scan a folder or USB stick…",
    "导入单位证书…": "Import a unit's certificate…",
    "认可新证书…": "Accept new certificate…",
    "拒收…": "Reject…",
    "导出汇总表…": "Export summary table…",
    "打开存档": "Open archive",
    "打开示例报告": "Open the sample report",
    "还没有任何报告。": "There are no reports yet.",
    "单位": "Unit",
    "年度": "Year",
    "表单": "Form",
    "状态": "Status",
    "总分": "Total",
    "等级": "Grade",
    "最后修改": "Last change",
    "草稿": "Draft",
    "已定稿": "Final",
    "上一步": "Back",
    "下一步": "Next",
    "返回报告列表": "Back to reports",
    "总分：": "Total:",
    "等级：": "Grade:",
    "未评分指标：": "Unscored indicators:",
    "错误：": "Errors:",
    "警告：": "Warnings:",
    "未说明的警告：": "Unexplained warnings:",
    "预览草稿": "Preview draft",
    "查找": "Find",
    "定稿": "Finalise",
    "重新打开": "Reopen",
    "本报告已定稿，只读。": "This report is final and read-only.",
    "重新打开的原因：": "Reason for reopening:",
    "转到": "Go to",
    "出错说明": "Explanation",
    "没有发现错误或警告。": "No errors or warnings.",
    "可以定稿。": "Ready to finalise.",
    "暂不能定稿：": "Cannot finalise yet:",
    "语言": "Language",
    "重启程序后生效。": "Takes effect after restarting the program.",
    "设置": "Settings",
    "文件": "File",
    "退出": "Quit",
    "添加一项": "Add item",
    "上移": "Move up",
    "下移": "Move down",
    "选择日期": "Pick a date",
    "日历": "Calendar",
    "未填": "Not set",
    "是": "Yes",
    "否": "No",
    "字": "chars",
    "满分": "full marks",
    "分": "pts",
    "得分": "Score",
    "尚未评分": "Not scored yet",
    "程序出错": "Program error",
    "操作未能完成": "The operation could not be completed",
    "详细信息已写入日志文件：": "Details were written to the log file:",
    "上次运行时程序意外退出。": "The program stopped unexpectedly last time.",
    "确定要删除这份报告吗？删除前会自动备份数据库。": "Delete this report? The database is backed up first.",
    "已删除。删除前的备份：": "Deleted. Backup taken before deleting:",
    "已备份到：": "Backed up to:",
    "已恢复。恢复前的数据库保存在：": "Restored. The previous database was kept at:",
    "从上年报告转入": "Carry over from last year's report",
    "单位名称": "Unit name",
    "评价年度": "Evaluation year",
    "请填写单位名称。": "Please enter the unit name.",
    "已保存": "Saved",
    "保存失败：": "Saving failed:",
    "本页的问题：": "Problems on this page:",
    "校验与定稿": "Checks and finalising",
    "导出与报送": "Export and submission",
    "导出": "Export",
    "1. 签名证书": "1. Signing certificate",
    "2. 保存位置": "2. Where to save",
    "3. 导出内容": "3. What to export",
    "连同本单位本年度的项目报告一起导出": "Export together with the unit's project reports of the year",
    "现在只能导出本报告。": "Only this report can be exported now.",
    "包中的报告：": "Reports in the package:",
    "无法读取本单位本年度的项目报告：": "The unit's project reports of the year cannot be read: ",
    "证书文件": "Certificate file",
    "证书密码": "Certificate password",
    "选择…": "Choose…",
    "没有证书？生成自签名证书": "No certificate? Make a self-signed one",
    "生成自签名证书": "Make a self-signed certificate",
    "生成证书": "Make certificate",
    "签署人姓名": "Signer's name",
    "再次输入密码": "Password again",
    "保存到": "Save to",
    "注意：": "Note: ",
    "刷新": "Refresh",
    "其他文件夹…": "Other folder…",
    "同时生成 .zip 压缩包": "Also make a .zip file",
    "还需要：": "Still needed: ",
    "导出结果": "Result",
    "报送包文件夹：": "Package folder:",
    "压缩包：": "Zip file: ",
    "打开文件夹": "Open folder",
    "完成": "Done",
    "导出失败：": "Export failed: ",
    "两次输入的密码不一致。": "The two passwords differ.",
    "请选择证书保存位置。": "Please choose where to save the certificate.",
    "上一页": "Previous page",
    "下一页": "Next page",
    "定稿后如需修改，先重新打开报告（需填写原因）": "To change a final report, reopen it first (a reason is asked for)",
    "从上年报告转入，尚未修改": "Carried over from last year's report, not changed yet",
    "本报告已定稿，只读。可在“导出与报送”页签名并导出报送包。如需修改，请点窗口右上角的“重新打开”按钮，并填写重新打开的原因。":
        "This report is final and read-only. Sign and export it on the “Export and submission” page. "
        "To change it, press “Reopen” at the top right of the window and give the reason.",
}

_language = DEFAULT_LANGUAGE
_translators: list[QTranslator] = []


def tr(text: str) -> str:
    if _language == "en":
        return ENGLISH.get(text, text)
    return text


def language() -> str:
    return _language


def set_language(code: str) -> None:
    global _language
    _language = code if code in LANGUAGES else DEFAULT_LANGUAGE


class _QtGaps(QTranslator):
    """Qt strings that Qt's shipped Chinese file lacks, because Qt changed them after it was made
    (the file dialog's "&Look in:" had been "Look in:")."""

    TEXTS = {
        ("QFileDialog", "&Look in:"): "查找范围(&L)：",
        ("QFileDialog", "Files of &type:"): "文件类型(&T)：",
    }

    def translate(self, context, source, disambiguation=None, n=-1):
        return self.TEXTS.get((context, source))  # None: not ours, Qt asks the next translator

    def isEmpty(self) -> bool:
        return False


def install_qt_translations(app: QApplication) -> bool:
    """Load Qt's own Chinese strings (dialog buttons, calendar, context menus)."""
    for old in _translators:
        app.removeTranslator(old)
    _translators.clear()
    if _language != "zh_CN":
        QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
        return False
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    translator = QTranslator(app)
    if not translator.load("qtbase_zh_CN", folder):
        return False
    gaps = _QtGaps(app)
    for installed in (translator, gaps):  # the last installed is asked first
        app.installTranslator(installed)
        _translators.append(installed)
    return True
