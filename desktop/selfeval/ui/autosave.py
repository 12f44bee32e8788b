"""Write accepted edits within about a second, and whenever asked to."""
from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal

from ..store import StoreError
from .session import ReportSession

AUTOSAVE_MS = 500
RETRY_MS = 3000  # after a failed write (database locked by another program, disk full)


class Autosave(QObject):
    saved = Signal()
    failed = Signal(str)

    def __init__(self, session: ReportSession, parent: QObject | None = None, interval_ms: int = AUTOSAVE_MS):
        super().__init__(parent)
        self.session = session
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.flush)
        self.retry = QTimer(self)  # while writing fails: what was typed stays in the session
        self.retry.setSingleShot(True)
        self.retry.setInterval(RETRY_MS)
        self.retry.timeout.connect(self.flush)
        self.failing = False

    def schedule(self) -> None:
        """Called after every accepted edit; does not postpone an already planned write."""
        if not self.timer.isActive():
            self.timer.start()

    def flush(self) -> bool:
        self.timer.stop()
        self.retry.stop()
        try:
            written = self.session.flush()
        except StoreError as error:
            self.failing = True
            self.failed.emit(str(error))
            self.retry.start()
            return False
        if written or self.failing:
            self.failing = False
            self.saved.emit()
        return written

    def stop(self) -> None:
        self.timer.stop()
        self.retry.stop()
