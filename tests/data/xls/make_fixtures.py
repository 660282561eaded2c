"""Makes the .xls fixtures: each workbook is written as .xlsx with openpyxl, then saved as Excel
97-2003 by LibreOffice, as a clerk's "另存为 .xls" in WPS or Excel would. Both files are kept, so
the tests read one workbook in both formats. Run by hand when the fixtures change:

    python tests/data/xls/make_fixtures.py      # needs soffice (LibreOffice) on PATH

password.xlsx is register.xlsx with the opening password "abc", encrypted as Office does it by
msoffcrypto-tool (`pip install msoffcrypto-tool`; not a dependency of chainmap): it is made only
when that package is there.
"""

from __future__ import annotations

import csv
import datetime as dt
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3]))  # the repository, for tests/

from openpyxl import Workbook

from chainmap.uscc import check_character
from tests.test_register import QCC_HEADER

HERE = Path(__file__).resolve().parent
SMALL = HERE.parent / "small"


def _uscc(first17: str) -> str:
    return first17 + check_character(first17)


# The 企查查 export's columns, as the register tests write them, and a note column of the
# clerk's own.
REGISTER_HEADER = [*QCC_HEADER, "备注"]
REGISTER_ROWS = [
    [
        "示例交城硝酸有限公司",
        "存续",
        "张三",
        "5000万元人民币",
        dt.datetime(2008, 3, 1),
        _uscc("91141122MA0K00012"),
        "山西省",
        "吕梁市",
        "交城县",
        "有限责任公司",
        "制造业>化学原料和化学制品制造业>基础化学原料制造>无机酸制造",
        "山西省吕梁市交城县夏家营镇示例路1号",
        "硝酸、硝酸铵生产销售",
        120,
        None,
    ],
    # The province below is merged down over this row and the next two, as clerks do.
    [
        "示例文水复合肥有限公司",
        "在业",
        "李四",
        "1200万元人民币",
        dt.datetime(2012, 7, 15),
        _uscc("91141121MA0K00023"),
        "山西省",
        "吕梁市",
        "文水县",
        "有限责任公司（自然人投资或控股）",
        "制造业>化学原料和化学制品制造业>肥料制造>复混肥料制造",
        "山西省吕梁市文水县示例工业园2号",
        "复合肥料、掺混肥料生产",
        86,
        "=1/0",
    ],
    [
        "示例汾阳合成氨有限公司",
        "存续",
        "王五",
        "800万元人民币",
        dt.datetime(1999, 12, 31),
        "",
        None,
        "吕梁市",
        "汾阳市",
        "其他有限责任公司",
        "",
        "山西省汾阳市示例街3号",
        "合成氨生产",
        12.5,
        None,
    ],
    [
        "示例孝义注销化工有限公司",
        "注销",
        "赵六",
        "100万元人民币",
        dt.datetime(2001, 1, 1),
        "",
        None,
        "吕梁市",
        "孝义市",
        "有限责任公司",
        "",
        None,
        "化工产品销售",
        None,
        None,
    ],
    [
        "示例清徐硝基肥有限公司",
        "存续",
        "钱七",
        "3000万元人民币",
        dt.datetime(2016, 5, 20),
        "",
        "山西",
        "太原市",
        "清徐县",
        "有限责任公司",
        "",
        "山西省太原市清徐县示例路5号",
        "硝基复合肥生产销售",
        230,
        True,
    ],
]


def _register(path: Path) -> None:
    book = Workbook()
    old = book.active
    old.title = "旧名录"  # a hidden sheet first: the visible one is the register
    old.append(["企业名称", "所属省份"])
    old.append(["示例旧表企业", "山西省"])
    old.sheet_state = "hidden"
    sheet = book.create_sheet("企业列表")
    sheet.append(["企查查 企业列表导出（2026-11-30）"])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(REGISTER_HEADER))
    sheet.append(REGISTER_HEADER)
    for row in REGISTER_ROWS:
        sheet.append(row)
    sheet.merge_cells("G4:G6")  # 所属省份
    for cell in sheet["E"][2:]:
        cell.number_format = "yyyy-mm-dd"
    book.save(path)


def _dataset(path: Path) -> None:
    book = Workbook()
    book.remove(book.active)
    for table in sorted(SMALL.glob("*.csv")):
        sheet = book.create_sheet(table.stem)
        with table.open(encoding="utf-8", newline="") as f:
            for row in csv.reader(f):
                sheet.append([cell or None for cell in row])
    book.save(path)


def _as_xls(xlsx: Path) -> None:
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [
                "soffice",
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--convert-to",
                "xls",
                "--outdir",
                str(xlsx.parent),
                str(xlsx),
            ],
            check=True,
            capture_output=True,
            timeout=180,
        )


def _with_password(xlsx: Path, out: Path) -> None:
    try:
        from msoffcrypto.format.ooxml import OOXMLFile
    except ImportError:
        print(f"msoffcrypto-tool is not installed: {out.name} left as it is")
        return
    with xlsx.open("rb") as source, out.open("wb") as target:
        OOXMLFile(source).encrypt("abc", target)


def main() -> None:
    _register(HERE / "register.xlsx")
    _dataset(HERE / "small.xlsx")
    for name in ("register.xlsx", "small.xlsx"):
        _as_xls(HERE / name)
    _with_password(HERE / "register.xlsx", HERE / "password.xlsx")


if __name__ == "__main__":
    main()
