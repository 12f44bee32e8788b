"""Runtime hook of the bundle, in place of PyInstaller's own for PySide6: tells Qt where the
bundle keeps its plugins, without importing Qt at every start (the command line's commands, such
as score and verify, use no Qt; PyInstaller's hook imports QtCore for them all). PySide6's QtCore,
when the window imports it, finds the rest of Qt itself, relative to where it lies."""
import os
import sys


def _qt_paths() -> None:
    if sys.platform == "win32":
        qt = os.path.join(sys._MEIPASS, "PySide6")
        os.environ["PATH"] = sys._MEIPASS + os.pathsep + os.environ.get("PATH", "")
    else:
        qt = os.path.join(sys._MEIPASS, "PySide6", "Qt")
    os.environ["QT_PLUGIN_PATH"] = os.path.join(qt, "plugins")


_qt_paths()
del _qt_paths
