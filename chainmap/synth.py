"""Generated, clearly fictional firms for the demo and the benchmarks.

Every generated firm's name starts with 示例 and its source says 虚构示例数据: nothing here may be
read as a fact about a real company. Output is deterministic for a given seed.

    python -m chainmap.synth demo      # rewrite data/demo/jiaocheng/ from the chain template
"""

from __future__ import annotations

import csv
import math
import random
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from chainmap.resources import resource_dir
from chainmap.uscc import ALPHABET, check_character

FICTIONAL_SOURCE = "虚构示例数据（chainmap 生成，非真实企业）"
NAME_PREFIX = "示例"

# Rough weights for where outside firms sit: more in big industrial provinces and in Shanxi's
# neighbours. Only shapes the fictional sample; not a statistic.
PROVINCE_WEIGHTS = {
    "山西省": 14,
    "山东省": 12,
    "河北省": 9,
    "江苏省": 9,
    "河南省": 8,
    "浙江省": 7,
    "广东省": 6,
    "安徽省": 5,
    "湖北省": 4,
    "四川省": 4,
    "陕西省": 4,
    "内蒙古自治区": 3,
    "北京市": 2,
    "天津市": 2,
    "上海市": 2,
    "辽宁省": 2,
    "湖南省": 2,
    "云南省": 2,
    "贵州省": 2,
    "新疆维吾尔自治区": 1,
    "青海省": 1,
    "福建省": 2,
    "江西省": 1,
}
_WORDS = (
    "恒达",
    "华盛",
    "金源",
    "鑫泰",
    "宏远",
    "瑞丰",
    "中科",
    "晋联",
    "德润",
    "嘉禾",
    "天成",
    "永盛",
    "博远",
    "兴农",
    "丰泽",
    "信诚",
    "锦程",
    "隆基",
    "海川",
    "润田",
)
_BADGE_ODDS = (
    ("高新技术企业", 0.12),
    ("专精特新", 0.08),
    ("小巨人", 0.02),
    ("单项冠军", 0.005),
    ("上市公司", 0.01),
)


@dataclass(frozen=True)
class Place:
    province: str
    city: str
    county: str
    code: str  # 6-digit county division code


def load_places() -> dict[str, list[Place]]:
    """Counties per province from the bundled 2023 division tables."""
    reference = resource_dir("data") / "reference"
    with (reference / "divisions_provinces.csv").open(encoding="utf-8") as f:
        provinces = {row["code"]: row["name"] for row in csv.DictReader(f)}
    with (reference / "divisions_cities.csv").open(encoding="utf-8") as f:
        cities = {row["code"]: row["name"] for row in csv.DictReader(f)}
    places: dict[str, list[Place]] = {}
    with (reference / "divisions_counties.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            province = provinces[row["provinceCode"]]
            city = cities.get(row["cityCode"], "")
            if city == "市辖区":  # municipalities: the province is the city
                city = province
            places.setdefault(province, []).append(Place(province, city, row["name"], row["code"]))
    return places


def fictional_uscc(rng: random.Random, county_code: str) -> str:
    """An 18-character code with a valid check character, for benchmarks only (never shown)."""
    body = "91" + county_code + "".join(rng.choice(ALPHABET) for _ in range(9))
    return body + check_character(body)


def _revenue(rng: random.Random, stage: str) -> float:
    median = {"上游": 30000, "中游": 20000, "下游": 8000}[stage]
    return round(math.exp(rng.gauss(math.log(median), 1.1)), 1)


def _badges(rng: random.Random) -> str:
    return ";".join(badge for badge, odds in _BADGE_ODDS if rng.random() < odds)


_PROVINCE_SHORTS = {
    "北京",
    "天津",
    "河北",
    "山西",
    "内蒙古",
    "辽宁",
    "吉林",
    "黑龙江",
    "上海",
    "江苏",
    "浙江",
    "安徽",
    "福建",
    "江西",
    "山东",
    "河南",
    "湖北",
    "湖南",
    "广东",
    "广西",
    "海南",
    "重庆",
    "四川",
    "贵州",
    "云南",
    "西藏",
    "陕西",
    "甘肃",
    "青海",
    "宁夏",
    "新疆",
}


def _place_word(place: Place) -> str:
    """The place a fictional name starts with: the county, unless the county's short name is a
    province's (天津市河北区 → 示例河北… would read as a Hebei firm): then the city."""
    county = place.county.rstrip("县区市旗") or place.county
    if county in _PROVINCE_SHORTS or len(county) < 2:
        return place.city.rstrip("市") or place.city
    return county


def fictional_name(
    rng: random.Random, place_word: str, link: dict[str, Any], used: set[str]
) -> str:
    """示例 + place + a trade word + the link's product + 有限公司, unique among `used`: the
    name says what the firm makes, so it reads true on the link it sits on."""
    product = link["name"]
    for attempt in range(50):
        word = rng.choice(_WORDS) if attempt < 20 else rng.choice(_WORDS) + rng.choice(_WORDS)
        name = f"{NAME_PREFIX}{place_word}{word}{product}有限公司"
        if name not in used:
            used.add(name)
            return name
    name = f"{NAME_PREFIX}{place_word}{rng.choice(_WORDS)}{product}第{len(used)}有限公司"
    used.add(name)
    return name


def outside_firms(
    links: list[dict[str, Any]],
    count: int,
    *,
    seed: int,
    id_prefix: str = "DEMO-",
    uscc: bool = False,
    places: dict[str, list[Place]] | None = None,
    used_names: set[str] | None = None,
) -> Iterator[tuple[dict[str, Any], list[dict[str, Any]]]]:
    """Yield (firm row, firm_link rows) for `count` fictional firms outside any town; names
    are unique (also against `used_names`) and name the firm's first link's product."""
    rng = random.Random(seed)
    used = used_names if used_names is not None else set()
    places = places or load_places()
    provinces = [p for p in PROVINCE_WEIGHTS if p in places]
    weights = [PROVINCE_WEIGHTS[p] for p in provinces]
    for number in range(count):
        province = rng.choices(provinces, weights)[0]
        place = rng.choice(places[province])
        link = rng.choice(links)
        stage = link["stage"]
        firm_id = fictional_uscc(rng, place.code) if uscc else f"{id_prefix}{number + 1:07d}"
        name = fictional_name(rng, _place_word(place), link, used)
        firm = {
            "firm_id": firm_id,
            "name": name,
            "province": place.province,
            "city": place.city,
            "county": place.county,
            "town_id": "",
            "revenue_wan": _revenue(rng, stage),
            "employees": rng.randint(20, 3000),
            "founded_year": rng.randint(1990, 2023),
            "badges": _badges(rng),
            "leading": "",
            "source": FICTIONAL_SOURCE,
        }
        made = [link]
        if rng.random() < 0.3:
            # A second product of the same stage: a maker of one fertiliser makes another.
            other = rng.choice([candidate for candidate in links if candidate["stage"] == stage])
            if other["link_id"] != link["link_id"]:
                made.append(other)
        yield (
            firm,
            [{"firm_id": firm_id, "link_id": m["link_id"], "product": m["name"]} for m in made],
        )


# --- the demo town -------------------------------------------------------------------------

# Local fictional firms per link of the 交城 nitro fertiliser chain, chosen so that the demo
# shows every status and gap kind (硝酸铵 and 硝酸钾 sit between covered links: 补链):
# (count, how many of them are leading).
JIAOCHENG_LOCAL = {
    "nf_coke_gas": (3, 1),
    "nf_ammonia": (2, 1),
    "nf_nitric_acid": (2, 0),
    "nf_calcium_nitrate": (3, 0),
    "nf_can": (2, 0),
    "nf_nitro_compound": (4, 1),
    "nf_water_soluble": (1, 0),
    "nf_packaging": (1, 0),
    "nf_wholesale": (2, 0),
    "nf_logistics": (1, 0),
}
# Real firms of the town: only what the cited pages state (their products). Revenue, badges and
# the leading flag are not stated, so they stay empty.
JIAOCHENG_REAL = (
    (
        "jc-huaxin",
        "山西华鑫肥业股份有限公司",
        "nf_can",
        "硝酸铵钙",
        "主打产品硝酸铵钙（科技日报 2025-04-08）：https://edu.yunnan.cn/system/2025/04/08/033442254.shtml",
    ),
    (
        "jc-jinlan",
        "山西金兰化工股份有限公司",
        "nf_mg_nitrate",
        "硝酸镁",
        "硝酸镁；全国唯一的高塔造粒硝酸镁生产企业（科技日报 2025-04-08）："
        "https://edu.yunnan.cn/system/2025/04/08/033442254.shtml",
    ),
)
TOWN_ID = "jiaocheng_nitro"


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _write_csv(path: Path, rows: list[dict[str, Any]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def build_jiaocheng_demo(out: Path, *, outside: int = 400, seed: int = 2024) -> None:
    """Write firms, firm_links, supply_ties and projects of the 交城 demo into `out`."""
    data = resource_dir("data")
    links = _read_csv(data / "chains" / "nitro_fertilizer" / "links.csv")
    flows = _read_csv(data / "chains" / "nitro_fertilizer" / "link_flows.csv")
    by_id = {link["link_id"]: link for link in links}
    rng = random.Random(seed)
    places = load_places()
    jiaocheng = next(p for p in places["山西省"] if p.county == "交城县")
    firms: list[dict[str, Any]] = []
    firm_links: list[dict[str, Any]] = []
    local_by_link: dict[str, list[str]] = {}
    used_names: set[str] = set()
    for firm_id, name, link_id, product, source in JIAOCHENG_REAL:
        firms.append(
            {
                "firm_id": firm_id,
                "name": name,
                "province": "山西省",
                "city": jiaocheng.city,
                "county": "交城县",
                "town_id": TOWN_ID,
                "revenue_wan": "",
                "employees": "",
                "founded_year": "",
                "badges": "",
                "leading": "",
                "source": source,
            }
        )
        firm_links.append({"firm_id": firm_id, "link_id": link_id, "product": product})
        local_by_link.setdefault(link_id, []).append(firm_id)
    number = 0
    for link_id, (count, leading) in JIAOCHENG_LOCAL.items():
        link = by_id[link_id]
        for index in range(count):
            number += 1
            firm_id = f"DEMO-JC{number:03d}"
            firms.append(
                {
                    "firm_id": firm_id,
                    "name": fictional_name(rng, "交城", link, used_names),
                    "province": "山西省",
                    "city": jiaocheng.city,
                    "county": "交城县",
                    "town_id": TOWN_ID,
                    "revenue_wan": _revenue(rng, link["stage"]) * (4 if index < leading else 1),
                    "employees": rng.randint(30, 2000),
                    "founded_year": rng.randint(1995, 2022),
                    "badges": _badges(rng),
                    "leading": "是" if index < leading else "否",
                    "source": FICTIONAL_SOURCE,
                }
            )
            firm_links.append({"firm_id": firm_id, "link_id": link_id, "product": link["name"]})
            local_by_link.setdefault(link_id, []).append(firm_id)
    outside_by_link: dict[str, list[str]] = {}
    for firm, made in outside_firms(
        links, outside, seed=seed + 1, places=places, used_names=used_names
    ):
        firms.append(firm)
        firm_links.extend(made)
        for row in made:
            outside_by_link.setdefault(row["link_id"], []).append(firm["firm_id"])
    # Supply ties follow the chain's flows: a firm of the supplying link sells to a firm of the
    # link it feeds. Some outside firms already sell to local ones (以商招商 leads).
    ties: dict[tuple[str, str], dict[str, Any]] = {}
    for flow in flows:
        source, target = flow["from_link_id"], flow["to_link_id"]
        suppliers = outside_by_link.get(source, []) + local_by_link.get(source, [])
        customers = local_by_link.get(target, []) + outside_by_link.get(target, [])
        for _ in range(3):
            if not suppliers or not customers:
                break
            supplier, customer = rng.choice(suppliers), rng.choice(customers)
            if supplier == customer or (supplier, customer) in ties:
                continue
            ties[(supplier, customer)] = {
                "supplier_id": supplier,
                "customer_id": customer,
                "product": by_id[source]["name"],
                "value_wan": round(rng.uniform(50, 5000), 1),
            }
    projects = _jiaocheng_projects(outside_by_link, local_by_link)
    out.mkdir(parents=True, exist_ok=True)
    _write_csv(out / "firms.csv", firms)
    _write_csv(out / "firm_links.csv", firm_links)
    _write_csv(out / "supply_ties.csv", list(ties.values()))
    _write_csv(out / "projects.csv", projects)
    for table, rows in _jiaocheng_after_target(outside_by_link).items():
        _write_csv(out / f"{table}.csv", rows)


def _jiaocheng_projects(
    outside_by_link: dict[str, list[str]], local_by_link: dict[str, list[str]]
) -> list[dict[str, Any]]:
    def project(
        pid: str,
        name: str,
        link: str,
        status: str,
        investment: float,
        signed: str = "",
        started: str = "",
        producing: str = "",
        terminated: str = "",
    ) -> dict[str, Any]:
        return {
            "project_id": pid,
            "name": f"{NAME_PREFIX}{name}",
            "town_id": TOWN_ID,
            "link_id": link,
            "investor_firm_id": outside_by_link[link][0],
            "investor_name": "",
            "investment_wan": investment,
            "status": status,
            "signed_on": signed,
            "started_on": started,
            "producing_on": producing,
            "effective_on": "",
            "terminated_on": terminated,
            "owner_unit": "县工科局",
            "notes": FICTIONAL_SOURCE,
            "talks_on": "",
            "referrer_firm_id": "",
            "referrer_name": "",
        }

    projects = [
        project(
            "DEMO-P01",
            "年产20万吨大量元素水溶肥项目",
            "nf_water_soluble",
            "签约",
            35000,
            "2026-03-18",
        ),
        project("DEMO-P02", "磷酸一铵配套项目", "nf_phosphate_fert", "在谈", 60000),
        project(
            "DEMO-P03", "硝酸钾扩产项目", "nf_k_nitrate", "开工", 28000, "2025-09-02", "2026-04-10"
        ),
        project(
            "DEMO-P04",
            "危化品仓储物流园项目",
            "nf_logistics",
            "投产",
            18000,
            "2024-11-20",
            "2025-03-15",
            "2026-06-30",
        ),
        project(
            "DEMO-P05",
            "高塔造粒装备制造项目",
            "nf_equipment",
            "终止",
            12000,
            "2025-05-08",
            terminated="2025-11-20",
        ),
        project("DEMO-P06", "测土配方农化服务中心", "nf_agronomy", "签约", 3000, "2026-08-26"),
        project("DEMO-P07", "复合肥包装材料配套项目", "nf_packaging", "谋划", 8000),
    ]
    # 以企引企: a local supplier brought in the 硝酸钾 investor; a person the 水溶肥 one.
    projects[2]["referrer_firm_id"] = local_by_link["nf_nitric_acid"][0]
    projects[0]["referrer_name"] = "示例引荐人张某"
    projects[6]["investor_firm_id"] = ""
    return projects


def _jiaocheng_after_target(outside_by_link: dict[str, list[str]]) -> dict[str, list[dict]]:
    """Fictional follow-ups, funds, problems and tasks of the 交城 demo (all marked 示例)."""

    def firm(link: str, index: int = 1) -> str:
        return outside_by_link[link][index]

    leads = [
        (firm("nf_phosphate_fert", 0), "nf_phosphate_fert", "在谈", "2026-07-15", "县投促中心"),
        (firm("nf_water_soluble", 0), "nf_water_soluble", "签约", "2026-03-18", "县工科局"),
        (firm("nf_k_nitrate"), "nf_k_nitrate", "已接洽", "2026-09-10", "县投促中心"),
        (firm("nf_agronomy"), "nf_agronomy", "暂缓", "2026-10-08", "县农业农村局"),
        (firm("nf_logistics"), "nf_logistics", "放弃", "2026-06-20", "县投促中心"),
    ]
    follow_ups = [
        (
            leads[0][0],
            "2026-05-20",
            "拜访",
            "赴企业总部介绍园区配套",
            "寄送项目建议书",
            "2026-06-10",
        ),
        (
            leads[0][0],
            "2026-07-15",
            "来访",
            "企业来镇考察，进入在谈",
            "商定投资协议条款",
            "2026-11-30",
        ),
        (leads[1][0], "2026-02-26", "会议", "推介会上达成意向", "签订投资协议", "2026-03-20"),
        (leads[2][0], "2026-09-10", "电话", "初次联系，愿意了解园区", "上门拜访", "2026-10-31"),
        (leads[3][0], "2026-10-08", "拜访", "企业年内无投资计划", "明年一季度回访", "2027-03-31"),
        (leads[4][0], "2026-06-20", "电话", "企业已在外省落地，不再考虑", "", ""),
    ]
    return {
        "fundings": [
            {
                "project_id": "DEMO-P03",
                "received_on": "2025-10-15",
                "amount_wan": 8000,
                "notes": FICTIONAL_SOURCE,
            },
            {
                "project_id": "DEMO-P03",
                "received_on": "2026-05-20",
                "amount_wan": 6500,
                "notes": FICTIONAL_SOURCE,
            },
            {
                "project_id": "DEMO-P04",
                "received_on": "2025-04-01",
                "amount_wan": 18000,
                "notes": FICTIONAL_SOURCE,
            },
            {
                "project_id": "DEMO-P01",
                "received_on": "2026-06-30",
                "amount_wan": 5000,
                "notes": FICTIONAL_SOURCE,
            },
        ],
        "leads": [
            {
                "town_id": TOWN_ID,
                "firm_id": f,
                "link_id": link,
                "status": status,
                "status_on": on,
                "owner_unit": unit,
                "notes": FICTIONAL_SOURCE,
            }
            for f, link, status, on, unit in leads
        ],
        "follow_ups": [
            {
                "town_id": TOWN_ID,
                "firm_id": f,
                "followed_on": on,
                "way": way,
                "contact": "示例联系人",
                "result": result,
                "next_step": step,
                "next_on": next_on,
                "owner_unit": "县投促中心",
            }
            for f, on, way, result, step, next_on in follow_ups
        ],
        "problems": [
            {
                "problem_id": "DEMO-WT01",
                "town_id": TOWN_ID,
                "project_id": "DEMO-P01",
                "firm_id": "",
                "raised_on": "2026-04-10",
                "description": "示例：项目用地指标未落实",
                "owner_unit": "县自然资源局",
                "due_on": "2026-09-30",
                "status": "解决中",
                "resolved_on": "",
                "notes": FICTIONAL_SOURCE,
            },
            {
                "problem_id": "DEMO-WT02",
                "town_id": TOWN_ID,
                "project_id": "DEMO-P03",
                "firm_id": "",
                "raised_on": "2026-05-06",
                "description": "示例：施工用电增容",
                "owner_unit": "县供电公司",
                "due_on": "2026-06-30",
                "status": "已解决",
                "resolved_on": "2026-06-18",
                "notes": FICTIONAL_SOURCE,
            },
            {
                "problem_id": "DEMO-WT03",
                "town_id": TOWN_ID,
                "project_id": "",
                "firm_id": "",
                "raised_on": "2026-10-12",
                "description": "示例：园区危化品专用停车场不足",
                "owner_unit": "县交通运输局",
                "due_on": "2027-03-31",
                "status": "待解决",
                "resolved_on": "",
                "notes": "",
            },
        ],
        "tasks": [
            {
                "task_id": "DEMO-RW01",
                "town_id": TOWN_ID,
                "year": 2026,
                "item": "示例：编制硝基复合肥产业链招商图谱",
                "owner_unit": "县投促中心",
                "due_on": "2026-06-30",
                "progress": "已印发",
                "status": "已完成",
                "done_on": "2026-06-25",
            },
            {
                "task_id": "DEMO-RW02",
                "town_id": TOWN_ID,
                "year": 2026,
                "item": "示例：建成化肥检验检测公共服务平台",
                "owner_unit": "县工科局",
                "due_on": "2026-10-31",
                "progress": "设备采购中",
                "status": "推进中",
                "done_on": "",
            },
            {
                "task_id": "DEMO-RW03",
                "town_id": TOWN_ID,
                "year": 2026,
                "item": "示例：引进磷酸一铵配套项目 1 个",
                "owner_unit": "县投促中心",
                "due_on": "2026-12-31",
                "progress": "在谈",
                "status": "推进中",
                "done_on": "",
            },
        ],
    }


if __name__ == "__main__":
    if sys.argv[1:] != ["demo"]:
        sys.exit("usage: python -m chainmap.synth demo")
    target = resource_dir("data") / "demo" / "jiaocheng"
    build_jiaocheng_demo(target)
    print(f"wrote {target}")
