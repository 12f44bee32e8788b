"""A smaller ICU data library for the bundle: only the data Qt Core uses, for the locales we show.

    python tools/slim_icu.py LIBICUDATA OUT_DIR     → OUT_DIR/<same file name>, and prints sizes

The PySide6 wheel for Linux ships ICU's full data library (``libicudata.so.73``, about 31 MB:
every locale's names of languages, currencies, units and time zones, break-iterator
dictionaries, transliterators). Qt Core calls ICU for four things only: collation (``ucol_*``,
used by the file dialog's sorting), code-page conversion (``ucnv_*``), case mapping and the
names of time zones (``ucal_*``). So this keeps

- every item that is not locale data (conversion tables, collation base, Unicode names,
  likely subtags, the time-zone database, …),
- the locale data of ``root``, ``en`` and ``zh`` (with their regional variants), in every tree
  that Qt reaches (the top level, ``coll``, ``zone``, ``region``, ``lang``, ``curr``),

and leaves out the other locales and the trees Qt never opens (``brkitr``, ``translit``,
``rbnf``, ``unit``). The items are removed with ICU's own ``icupkg`` (Debian: icu-devtools),
and the data is linked back into a shared library of the same name exporting the same symbol
(``icudt73_dat``), so ``libicuuc`` finds it as before.
"""
from __future__ import annotations

import re
import shutil
import struct
import subprocess
import sys
import tempfile
from pathlib import Path

# trees whose data Qt Core never reads (no ubrk_, utrans_, unum_ or number-formatting calls)
UNUSED_TREES = ("brkitr", "translit", "rbnf", "unit")
LOCALE_ITEM = re.compile(r"^(?:[a-z]{2,3}|root)(?:_[A-Za-z0-9]*)*\.res$")
KEPT_LOCALE = re.compile(r"^(?:root|en|zh)(?:_[A-Za-z0-9]*)*\.res$")
NOT_A_LOCALE = {"res_index.res"}  # each tree's index of its locales
DATA_SYMBOL = re.compile(rb"^icudt\d+_dat$")


class SlimError(Exception):
    pass


def data_symbol(library: bytes) -> tuple[str, int, int]:
    """The ICU data symbol of an ELF64 little-endian shared library: name, file offset, size."""
    if library[:4] != b"\x7fELF" or library[4] != 2 or library[5] != 1:
        raise SlimError("not a 64-bit little-endian ELF library")
    (shoff,) = struct.unpack_from("<Q", library, 0x28)
    shentsize, shnum = struct.unpack_from("<HH", library, 0x3A)
    sections = [struct.unpack_from("<IIQQQQIIQQ", library, shoff + i * shentsize) for i in range(shnum)]
    # (name, type, flags, addr, offset, size, link, info, addralign, entsize)
    for section in sections:
        if section[1] != 11:  # SHT_DYNSYM
            continue
        strings = sections[section[6]]
        for start in range(section[4], section[4] + section[5], section[9]):
            name_at, _info, _other, index, value, size = struct.unpack_from("<IBBHQQ", library, start)
            end = library.index(b"\0", strings[4] + name_at)
            name = library[strings[4] + name_at:end]
            if DATA_SYMBOL.match(name) and 0 < index < len(sections):
                holder = sections[index]
                return name.decode(), value - holder[3] + holder[4], size
    raise SlimError("no icudt*_dat symbol")


def unwanted(items: list[str]) -> list[str]:
    """The items to leave out of the data, by the rules in this module's docstring."""
    dropped = []
    for item in items:
        tree, _, name = item.rpartition("/")
        if tree in UNUSED_TREES:
            dropped.append(item)
        elif LOCALE_ITEM.match(name) and name not in NOT_A_LOCALE and not KEPT_LOCALE.match(name):
            dropped.append(item)
    return dropped


def _run(*argv: str, cwd: Path) -> str:
    try:
        done = subprocess.run(argv, cwd=cwd, capture_output=True, text=True)
    except FileNotFoundError as error:
        raise SlimError(f"{argv[0]} is missing: install icu-devtools and gcc") from error
    if done.returncode != 0:
        raise SlimError(f"{' '.join(argv)} failed: {done.stderr.strip()}")
    return done.stdout


def slim(library: Path, out_dir: Path) -> Path:
    """Write the slimmed copy of ``library`` into ``out_dir`` (same file name) and return its path."""
    blob = library.read_bytes()
    symbol, offset, size = data_symbol(blob)
    soname = library.name
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        package = symbol.removesuffix("_dat") + "l.dat"  # icupkg wants the package's own name: icudt73l
        for folder in ("full", "slim"):
            (work / folder).mkdir()
        (work / "full" / package).write_bytes(blob[offset:offset + size])
        items = [line.strip() for line in _run("icupkg", "-l", f"full/{package}", cwd=work).splitlines()
                 if line.strip()]
        drop = unwanted(items)
        if len(drop) >= len(items):
            raise SlimError("nothing would be left of the ICU data")
        (work / "drop.txt").write_text("\n".join(drop) + "\n", encoding="ascii")
        _run("icupkg", "-r", "drop.txt", f"full/{package}", f"slim/{package}", cwd=work)
        kept = _run("icupkg", "-l", f"slim/{package}", cwd=work).split()
        if len(kept) != len(items) - len(drop):
            raise SlimError(f"icupkg kept {len(kept)} items, expected {len(items) - len(drop)}")
        (work / "data.S").write_text(
            "\t.section .rodata\n"
            f"\t.globl {symbol}\n"
            f"\t.type {symbol}, @object\n"
            "\t.balign 16\n"
            f"{symbol}:\n"
            f'\t.incbin "slim/{package}"\n'
            f"\t.size {symbol}, . - {symbol}\n"
            '\t.section .note.GNU-stack,"",@progbits\n',
            encoding="ascii")
        _run("gcc", "-shared", "-nostdlib", f"-Wl,-soname,{soname}", "-o", soname, "data.S", cwd=work)
        built = work / soname
        if data_symbol(built.read_bytes())[0] != symbol:
            raise SlimError("the rebuilt library does not export the data symbol")
        target = out_dir / soname
        shutil.copyfile(built, target)
    return target


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__)
        return 2
    source = Path(argv[0])
    try:
        target = slim(source, Path(argv[1]))
    except (OSError, SlimError) as error:
        print(f"slim_icu: {error}", file=sys.stderr)
        return 1
    print(f"{source.name}: {source.stat().st_size / 1e6:.1f} MB → {target.stat().st_size / 1e6:.1f} MB ({target})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
