"""Rebuild resources/places/divisions.tsv from the adcodes table of the cpca package.

    pip download --no-deps -d /tmp/cpca cpca==0.5.5
    python tools/build_places.py /tmp/cpca/cpca-0.5.5-py3-none-any.whl

Keeps the province-, prefecture- and county-level names (code and name, one a line,
sorted by code); the placeholders 市辖区, 县 and 省直辖县级行政区划 are left out.
Nothing else of cpca (nor pandas) is shipped.
"""
from __future__ import annotations

import csv
import io
import sys
import zipfile
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "resources" / "places" / "divisions.tsv"
PLACEHOLDERS = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划", "直辖县级行政区划"}


def rows(wheel: Path):
    with zipfile.ZipFile(wheel) as archive:
        text = archive.read("cpca/resources/adcodes.csv").decode("utf-8")
    for row in csv.DictReader(io.StringIO(text)):
        code, name = row["adcode"].strip(), row["name"].strip()
        if len(code) == 12 and code.endswith("000000") and name and name not in PLACEHOLDERS:
            yield code[:6], name


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__)
        return 2
    found = sorted(set(rows(Path(argv[0]))))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", encoding="utf-8", newline="\n") as out:
        out.write("# code\tname — from cpca 0.5.5 adcodes.csv (MIT); see README.md\n")
        for code, name in found:
            out.write(f"{code}\t{name}\n")
    print(f"{len(found)} names written to {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
