"""tools/slim_icu.py: the bundle's cut-down ICU data still serves what Qt Core asks of it."""
from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _load_tool():
    spec = importlib.util.spec_from_file_location("slim_icu", ROOT / "tools" / "slim_icu.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


slim_icu = _load_tool()


def test_only_other_locales_and_unused_trees_are_left_out():
    items = ["zh.res", "zh_Hans_CN.res", "en_GB.res", "root.res", "fr.res", "de_.res", "res_index.res",
             "pool.res", "supplementalData.res", "likelySubtags.res", "gb18030.cnv", "unames.icu",
             "coll/zh.res", "coll/de.res", "coll/ucadata.icu", "coll/res_index.res", "zone/ja.res",
             "zone/zh_Hant.res", "brkitr/cjdict.dict", "brkitr/root.res", "translit/root.res",
             "rbnf/zh.res", "unit/en.res", "curr/fr.res", "curr/zh.res"]
    assert slim_icu.unwanted(items) == ["fr.res", "de_.res", "coll/de.res", "zone/ja.res",
                                        "brkitr/cjdict.dict", "brkitr/root.res", "translit/root.res",
                                        "rbnf/zh.res", "unit/en.res", "curr/fr.res"]


def test_a_file_that_is_not_a_library_is_refused(tmp_path):
    with pytest.raises(slim_icu.SlimError):
        slim_icu.data_symbol(b"MZ not an ELF file" + bytes(64))


def _wheel_icu_data() -> Path | None:
    try:
        import PySide6
    except ImportError:
        return None
    found = sorted((Path(PySide6.__file__).parent / "Qt" / "lib").glob("libicudata.so.*"))
    return found[0] if found else None


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the Linux wheel carries ICU")
def test_the_cut_down_library_keeps_pinyin_order_and_every_code_page(tmp_path):
    library = _wheel_icu_data()
    if library is None or not (shutil.which("icupkg") and shutil.which("gcc")):
        pytest.skip("needs PySide6's ICU, icupkg (icu-devtools) and gcc")
    slimmed = slim_icu.slim(library, tmp_path)
    assert slimmed.name == library.name
    assert slimmed.stat().st_size < library.stat().st_size / 2
    symbol, _offset, size = slim_icu.data_symbol(slimmed.read_bytes())
    assert symbol.startswith("icudt") and size > 1_000_000
    # the same check the frozen program's self-test runs, with Qt loading the cut-down data
    code = ("from selfeval.ui.smoke import check_text_data\n"
            "print(check_text_data())\n")
    env = dict(os.environ, LD_PRELOAD=str(slimmed), QT_QPA_PLATFORM="offscreen",
               PYTHONPATH=str(ROOT / "desktop"))
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "中文按拼音排序" in done.stdout
    loaded = subprocess.run([sys.executable, "-c", "import PySide6.QtCore; print(open('/proc/self/maps').read())"],
                            env=env, capture_output=True, text=True, timeout=120)
    assert str(slimmed) in loaded.stdout  # Qt really used the cut-down library
