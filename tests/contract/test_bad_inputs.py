"""The bad-input corpus: one defect per dataset, as clerks and exports make them.

Every case is imported into a store that already holds the good dataset, through the CLI as a
user runs it. Each must be refused with a clear Chinese message — a dataset issue naming table,
row, column and value, or a file-level message — with no traceback, and the whole graph (a full
dump, not counts) must be as it was.
"""

from __future__ import annotations

import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import Workbook

from chainmap.cli import cli
from chainmap.errors import DatasetInvalid, SourceError
from chainmap.importer.load import import_dataset
from tests.conftest import DATA, snapshot


def _edit(name: str, old: str, new: str) -> Callable[[Path], Path]:
    def edit(folder: Path) -> Path:
        path = folder / name
        text = path.read_text(encoding="utf-8")
        assert old in text, (name, old)
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
        return folder

    return edit


def _append(name: str, line: str) -> Callable[[Path], Path]:
    def append(folder: Path) -> Path:
        with (folder / name).open("a", encoding="utf-8") as f:
            f.write(line + "\n")
        return folder

    return append


def _raw(name: str, data: bytes) -> Callable[[Path], Path]:
    def write(folder: Path) -> Path:
        (folder / name).write_bytes(data)
        return folder

    return write


def _as_workbook(change: Callable[[Workbook], None]) -> Callable[[Path], Path]:
    """The small dataset as an XLSX workbook (sheet per table), then changed as a clerk would."""

    def build(folder: Path) -> Path:
        import csv

        book = Workbook()
        book.remove(book.active)
        for path in sorted(folder.glob("*.csv")):
            sheet = book.create_sheet(path.stem)
            with path.open(encoding="utf-8") as f:
                for row in csv.reader(f):
                    sheet.append(row)
        change(book)
        out = folder.parent / "dataset.xlsx"
        book.save(out)
        return out

    return build


def _zip_of(members: dict[str, bytes]) -> Callable[[Path], Path]:
    def build(folder: Path) -> Path:
        out = folder.parent / "dataset.zip"
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in members.items():
                archive.writestr(name, data)
        return out

    return build


def _truncated_xlsx(folder: Path) -> Path:
    whole = _as_workbook(lambda book: None)(folder)
    data = whole.read_bytes()
    whole.write_bytes(data[: len(data) // 2])
    return whole


def _zip_bomb(folder: Path) -> Path:
    out = folder.parent / "bomb.zip"
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        # 64 MB of one byte packs to ~60 KB: refused from the archive's directory, unread.
        header = b"firm_id,name,province\n"
        archive.writestr("firms.csv", header + b"A" * (64 * 1024 * 1024))
    return out


def _merged_sheet(book: Workbook) -> None:
    sheet = book["firms"]
    sheet["A2"] = "91350100M000100Y43"
    sheet.merge_cells("C3:C4")  # merged 省份: fine, filled down; the defect is elsewhere
    sheet["K5"] = "也许"  # leading: not 是/否


def _renamed_sheet(book: Workbook) -> None:
    book["firms"].title = "企业名单"


def _name_for_id(book: Workbook) -> None:
    sheet = book["firm_links"]
    sheet["B3"] = "硝酸"


def _formula_without_value(book: Workbook) -> None:
    book["firms"]["B3"] = '=CONCAT("本地","甲")'
    book["firms"]["C3"] = "=A1"  # no cached value: empty; the province comes from the city


GOOD_FIRM = "91350100M000100Y43,本地龙头,山西省,吕梁市,交城县,t_test,50000,800,2001"

# name -> (how to break the small dataset, what the refusal must say)
# Expectation: (table label, row, column, value, reason part) or ("file", message part).
CASES: dict[str, tuple[Callable[[Path], Path], tuple]] = {
    "bad USCC": (
        _append("firms.csv", "911100001000000000,坏代码企业,北京市,,,,,,,,,"),
        ("firms.csv", 7, "firm_id", "911100001000000000", "校验不通过"),
    ),
    "lower-case USCC duplicates the upper-case one": (
        _append("firms.csv", "91350100m000100y43,小写代码,山西省,,,,,,,,,"),
        ("firms.csv", 7, "firm_id", "91350100M000100Y43", "与第 2 行重复"),
    ),
    "full-width USCC duplicates": (
        _append("firms.csv", "９１３５０１００Ｍ０００１００Ｙ４３,全角代码,山西省,,,,,,,,,"),
        ("firms.csv", 7, "firm_id", "91350100M000100Y43", "与第 2 行重复"),
    ),
    "ids differing by a zero-width space": (
        _append("firms.csv", "L\u200b2,零宽字符,山西省,,,,,,,,,"),
        ("firms.csv", 7, "firm_id", "L2", "与第 3 行重复"),
    ),
    "dangling link reference": (
        _append("firm_links.csv", "O1,tc_nowhere,"),
        ("firm_links.csv", 8, "link_id", "tc_nowhere", "引用的产业链环节不存在"),
    ),
    "link name typed for its id": (
        _append("firm_links.csv", "O1,硝酸,"),
        ("firm_links.csv", 8, "link_id", "硝酸", "对应环节编号 tc_acid"),
    ),
    "town name typed for its id": (
        _edit(
            "firms.csv",
            "L2,本地甲,山西省,吕梁市,交城县,t_test",
            "L2,本地甲,山西省,吕梁市,交城县,测试镇",
        ),
        ("firms.csv", 3, "town_id", "测试镇", "对应镇编号 t_test"),
    ),
    "id in the wrong case": (
        _append("firm_links.csv", "O1,TC_ACID,"),
        ("firm_links.csv", 8, "link_id", "TC_ACID", "tc_acid"),
    ),
    "one firm under two ids": (
        _append("firms.csv", "O9,外地丙,江苏省,,,,,,,,,"),
        ("firms.csv", 7, "name", "外地丙", "与第 5 行同名且同在江苏省"),
    ),
    "duplicate firm id": (
        _append("firms.csv", "L2,重复企业,山西省,,,,,,,,,"),
        ("firms.csv", 7, "firm_id", "L2", "与第 3 行重复"),
    ),
    "bad stage": (
        _edit("links.csv", "tc_acid,tc,硝酸,中游", "tc_acid,tc,硝酸,中下游"),
        ("links.csv", 4, "stage", "中下游", "环节位置应为"),
    ),
    "text in a number column": (
        _edit("firms.csv", "O2,外地丁,河南省,郑州市,,,800", "O2,外地丁,河南省,郑州市,,,八百"),
        ("firms.csv", 6, "revenue_wan", "八百", "不是有效数字"),
    ),
    "negative revenue": (
        _edit("firms.csv", "O2,外地丁,河南省,郑州市,,,800", "O2,外地丁,河南省,郑州市,,,-800"),
        ("firms.csv", 6, "revenue_wan", "-800", "不能为负数"),
    ),
    "weight above 1": (
        _edit(
            "links.csv",
            "tc_gas,tc,焦炉煤气,上游,2521,焦炉煤气;煤气,0.9",
            "tc_gas,tc,焦炉煤气,上游,2521,焦炉煤气;煤气,9",
        ),
        ("links.csv", 2, "weight", "9", "权重应在 0–1 之间"),
    ),
    "bad industry code": (
        _edit("links.csv", "上游,2521,", "上游,C25-21,"),
        ("links.csv", 2, "industry_codes", "C25-21", "格式不对"),
    ),
    "bad boolean": (
        _edit("firms.csv", "专精特新；小巨人,是,", "专精特新；小巨人,也许,"),
        ("firms.csv", 2, "leading", "也许", "应为 是/否"),
    ),
    "unknown badge": (
        _edit("firms.csv", "专精特新；小巨人", "专精特新；隐形冠军"),
        ("firms.csv", 2, "badges", "专精特新；隐形冠军", "企业称号应为"),
    ),
    "missing required column": (
        _raw("chains.csv", "chain_id,description\ntc,测试\n".encode()),
        ("chains.csv", 1, "name（产业链名称）", "", "缺少必填列"),
    ),
    "required cell empty": (
        _edit("firms.csv", "L2,本地甲,", "L2,,"),
        ("firms.csv", 3, "name", "", "必填项为空"),
    ),
    "project dates backwards": (
        _edit("projects.csv", "2025-01-10,2025/6/1", "2025-07-10,2025/6/1"),
        ("projects.csv", 2, "started_on", "2025-06-01", "开工日期早于签约日期"),
    ),
    "project date in the future": (
        _edit("projects.csv", "2025-01-10,2025/6/1", "2025-01-10,2099-06-01"),
        ("projects.csv", 2, "started_on", "2099-06-01", "晚于今天"),
    ),
    "impossible date": (
        _edit("projects.csv", "2025-01-10,2025/6/1", "2025-01-10,2025-02-30"),
        ("projects.csv", 2, "started_on", "2025-02-30", "不是有效日期"),
    ),
    "unknown project status": (
        _edit("projects.csv", "50000,开工,", "50000,施工中,"),
        ("projects.csv", 2, "status", "施工中", "项目状态应为"),
    ),
    "province not a province": (
        _edit("firms.csv", "O2,外地丁,河南省", "O2,外地丁,中原"),
        ("firms.csv", 6, "province", "中原", "不是省级行政区名称"),
    ),
    "province in pinyin": (
        _edit("firms.csv", "O2,外地丁,河南省", "O2,外地丁,Henan"),
        ("firms.csv", 6, "province", "Henan", "是否为：河南省"),
    ),
    "city in another province": (
        _edit("firms.csv", "O2,外地丁,河南省,郑州市", "O2,外地丁,河南省,杭州市"),
        ("firms.csv", 6, "city", "杭州市", "在浙江省"),
    ),
    "town province 未知": (
        _edit("towns.csv", "t_test,测试镇,山西省", "t_test,测试镇,未知"),
        ("towns.csv", 2, "province", "未知", "专业镇的省份必须填写"),
    ),
    "NUL byte in a cell": (
        _edit("firms.csv", "O1,外地丙", "O1,外地\x00丙"),
        ("firms.csv", 5, "name", None, "控制字符"),
    ),
    "terminal escape in a name": (
        _edit("firms.csv", "O1,外地丙", "O1,外地\x1b[31m丙"),
        ("firms.csv", 5, "name", None, "控制字符 U+001B"),
    ),
    "a 200,000-character cell": (
        _edit("firms.csv", "O1,外地丙", "O1," + "丙" * 200_000),
        ("firms.csv", 5, "name", None, "内容过长"),
    ),
    "self loop flow": (
        _append("link_flows.csv", "tc_gas,tc_gas"),
        ("link_flows.csv", 7, "to_link_id", "tc_gas", "环节不能流向自身"),
    ),
    "flows in a loop": (
        _append("link_flows.csv", "tc_fert,tc_ammonia"),
        (
            "link_flows.csv",
            7,
            "to_link_id",
            "tc_ammonia",
            "环节流向成环：tc_ammonia → tc_acid → tc_fert → tc_ammonia",
        ),
    ),
    "a supply tie to a firm nowhere": (
        _append("supply_ties.csv", "O1,O9,,"),
        ("supply_ties.csv", 4, "customer_id", "O9", "引用的企业不存在"),
    ),
    "a supply tie from a firm nowhere": (
        _append("supply_ties.csv", "O8,O2,,"),
        ("supply_ties.csv", 4, "supplier_id", "O8", "引用的企业不存在"),
    ),
    "a firm link for a firm nowhere": (
        _append("firm_links.csv", "O7,tc_acid,"),
        ("firm_links.csv", 8, "firm_id", "O7", "引用的企业不存在"),
    ),
    "self supply": (
        _append("supply_ties.csv", "O1,O1,,"),
        ("supply_ties.csv", 4, "customer_id", "O1", "企业不能向自身供货"),
    ),
    "empty CSV file": (_raw("firms.csv", b""), ("file", "文件是空的")),
    "BOM in the middle of a file": (
        _raw(
            "firm_links.csv",
            "firm_id,link_id,product\nO1,tc_ammonia,\n\ufefffirm_id,link_id,product\n".encode(),
        ),
        ("file", "字节顺序标记"),
    ),
    "a quote never closed": (
        _edit("firms.csv", "O1,外地丙,江苏省", 'O1,"外地丙,江苏省'),
        ("file", "第 5 行的引号没有闭合"),
    ),
    "a stray quote swallowing rows": (
        _raw(
            "firms.csv",
            (
                "firm_id,name,province,city\n"
                'O1,"外地丙,江苏省,苏州市\n'
                "O2,外地丁,河南省,郑州市\n"
                'O3,外地戊",江苏省,苏州市\n'
            ).encode(),
        ),
        ("file", "未闭合的引号"),
    ),
    "a row with more cells than the header": (
        _append("firm_links.csv", "O1,tc_acid,硝酸,多余,又多余"),
        ("file", "第 8 行有 5 列"),
    ),
    "undecodable bytes": (
        _raw("firm_links.csv", b"firm_id,link_id\n\xff\xfe\xfa\x80,x\n"),
        ("file", "编码"),
    ),
    "merged sheet with a bad value elsewhere": (
        _as_workbook(_merged_sheet),
        ("工作表「firms」", 5, "leading", "也许", "应为 是/否"),
    ),
    "renamed sheet": (
        _as_workbook(_renamed_sheet),
        ("工作表「企业名单」", 1, "", "工作表「企业名单」", "请改名为“企业”"),
    ),
    "name for id in a workbook": (
        _as_workbook(_name_for_id),
        ("工作表「firm_links」", 3, "link_id", "硝酸", "tc_acid"),
    ),
    "formula without a cached value": (
        _as_workbook(_formula_without_value),
        ("工作表「firms」", 3, "name", "", "必填项为空"),
    ),
    "truncated XLSX": (_truncated_xlsx, ("file", "文件已损坏或不完整")),
    "unreadable .xls workbook": (
        lambda folder: (
            _raw("x.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)(folder) / "x.xls"
        ),
        ("file", "另存为"),
    ),
    "zip bomb": (_zip_bomb, ("file", "压缩")),
    # After the target (issue 15).
    "unknown lead status": (
        _append("leads.csv", "t_test,L2,,洽谈中,,,"),
        ("leads.csv", 4, "status", "洽谈中", "跟进状态应为"),
    ),
    "follow-up for a firm that does not exist": (
        _append("follow_ups.csv", "t_test,O9,2025-03-01,电话,,,,,"),
        ("follow_ups.csv", 4, "firm_id", "O9", "引用的企业不存在"),
    ),
    "follow-up next step before the follow-up": (
        _append("follow_ups.csv", "t_test,O2,2025-03-01,电话,,,再联系,2025-02-28,"),
        ("follow_ups.csv", 4, "next_on", "2025-02-28", "下一步日期早于跟进日期"),
    ),
    "unknown follow-up way": (
        _append("follow_ups.csv", "t_test,O2,2025-03-01,飞鸽传书,,,,,"),
        ("follow_ups.csv", 4, "way", "飞鸽传书", "跟进方式应为"),
    ),
    "problem due before it was raised": (
        _append("problems.csv", "W3,t_test,,,2025-04-01,道路未通,县交通局,2025-03-01,,,"),
        ("problems.csv", 4, "due_on", "2025-03-01", "办结时限早于提出日期"),
    ),
    "resolved problem without its date": (
        _append("problems.csv", "W3,t_test,,,2025-04-01,道路未通,县交通局,,已解决,,"),
        ("problems.csv", 4, "resolved_on", "", "须填写解决日期"),
    ),
    "unknown problem status": (
        _append("problems.csv", "W3,t_test,,,2025-04-01,道路未通,,,搁置,,"),
        ("problems.csv", 4, "status", "搁置", "问题状态应为"),
    ),
    "problem of a project that does not exist": (
        _append("problems.csv", "W3,t_test,P9,,2025-04-01,道路未通,,,,,"),
        ("problems.csv", 4, "project_id", "P9", "引用的项目不存在"),
    ),
    "task done date on an open task": (
        _append("tasks.csv", "R3,t_test,2025,修路,,,,推进中,2025-05-01"),
        ("tasks.csv", 4, "status", "推进中", "状态应为已完成"),
    ),
    "funds of zero": (
        _append("fundings.csv", "P1,2025-10-01,0,"),
        ("fundings.csv", 4, "amount_wan", "0", "应大于 0"),
    ),
    "funds received in the future": (
        _append("fundings.csv", "P1,2099-10-01,100,"),
        ("fundings.csv", 4, "received_on", "2099-10-01", "晚于今天"),
    ),
    "funds of a project that does not exist": (
        _append("fundings.csv", "P7,2025-10-01,100,"),
        ("fundings.csv", 4, "project_id", "P7", "引用的项目不存在"),
    ),
    "two firms.csv in one zip": (
        lambda folder: _zip_of(
            {
                "a/firms.csv": (folder / "firms.csv").read_bytes(),
                "b/firms.csv": (folder / "firms.csv").read_bytes(),
            }
        )(folder),
        ("file", "都对应数据表 firms"),
    ),
}


def test_the_corpus_is_large_enough():
    assert len(CASES) >= 30


@pytest.mark.parametrize("case", list(CASES))
def test_bad_input_is_refused_located_and_changes_nothing(store, tmp_path, case):
    good = tmp_path / "good"
    shutil.copytree(DATA / "small", good)
    import_dataset(store, good)
    before = snapshot(store)
    broken_folder = tmp_path / "broken" / "small"
    shutil.copytree(DATA / "small", broken_folder)
    # A valid change that must not land either.
    _edit("firms.csv", ",3000,", ",3100,")(broken_folder)
    break_it, expected = CASES[case]
    source = break_it(broken_folder)
    with pytest.raises((DatasetInvalid, SourceError)) as caught:
        import_dataset(store, source)
    if expected[0] == "file":
        assert isinstance(caught.value, SourceError), caught.value
        assert expected[1] in str(caught.value)
    else:
        assert isinstance(caught.value, DatasetInvalid), caught.value
        table, row, column, value, reason = expected
        found = [
            i
            for i in caught.value.issues
            if i.table == table
            and i.row == row
            and i.column == column
            and (value is None or i.value == value)
            and reason in i.reason
        ]
        assert found, caught.value.issues
    assert snapshot(store) == before


@pytest.mark.parametrize("case", ["renamed sheet", "truncated XLSX", "NUL byte in a cell"])
def test_the_cli_says_it_in_chinese_without_a_traceback(tmp_path, case):
    folder = tmp_path / "broken" / "small"
    shutil.copytree(DATA / "small", folder)
    source = CASES[case][0](folder)
    result = CliRunner().invoke(cli, ["import", str(source), "--db", str(tmp_path / "db")])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert not (tmp_path / "db").exists()
