"""The desktop wizard (PySide6).  Widgets only render and collect input; parsing,
scoring and storage live in :mod:`selfeval.values`, :mod:`selfeval.engine`
and :mod:`selfeval.workspace`."""
