"""Province, city and county names as users write them, checked against the bundled divisions.

Registers and hand-filled sheets write 山西 for 山西省, 杭州 for 杭州市, a city in the province
column, or nothing at all. A place is resolved to the full 2023 division names, and every change
is said; what cannot be recognised is an error with a suggestion, never a silent zero in scoring.
Where a firm gives no place, it is derived from its USCC (characters 3–8 are the division code of
the registering authority) or from a province or city name leading the firm's name.
"""

from __future__ import annotations

import csv
import difflib
from dataclasses import dataclass, field
from functools import cache

from chainmap.resources import resource_dir

UNKNOWN = "未知"
_PROVINCE_SUFFIXES = (
    "维吾尔自治区",
    "壮族自治区",
    "回族自治区",
    "特别行政区",
    "自治区",
    "省",
    "市",
)
_CITY_SUFFIXES = ("市", "地区", "盟", "自治州")
# Romanised province names as they appear in English-language exports; only ever a suggestion.
_PINYIN = {
    "beijing": "北京市",
    "tianjin": "天津市",
    "hebei": "河北省",
    "shanxi": "山西省",
    "neimenggu": "内蒙古自治区",
    "innermongolia": "内蒙古自治区",
    "liaoning": "辽宁省",
    "jilin": "吉林省",
    "heilongjiang": "黑龙江省",
    "shanghai": "上海市",
    "jiangsu": "江苏省",
    "zhejiang": "浙江省",
    "anhui": "安徽省",
    "fujian": "福建省",
    "jiangxi": "江西省",
    "shandong": "山东省",
    "henan": "河南省",
    "hubei": "湖北省",
    "hunan": "湖南省",
    "guangdong": "广东省",
    "guangxi": "广西壮族自治区",
    "hainan": "海南省",
    "chongqing": "重庆市",
    "sichuan": "四川省",
    "guizhou": "贵州省",
    "yunnan": "云南省",
    "xizang": "西藏自治区",
    "tibet": "西藏自治区",
    "shaanxi": "陕西省",
    "gansu": "甘肃省",
    "qinghai": "青海省",
    "ningxia": "宁夏回族自治区",
    "xinjiang": "新疆维吾尔自治区",
    "hongkong": "香港特别行政区",
    "macao": "澳门特别行政区",
    "macau": "澳门特别行政区",
}
_SPECIAL = {"香港": "香港特别行政区", "澳门": "澳门特别行政区", "台湾": "台湾省"}


def _strip(name: str, suffixes: tuple[str, ...]) -> str:
    for suffix in suffixes:
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name


@dataclass
class Place:
    province: str | None
    city: str | None
    county: str | None
    notes: list[str] = field(default_factory=list)
    error: str | None = None
    column: str = "province"  # where the error lies


class Divisions:
    def __init__(self) -> None:
        reference = resource_dir("data") / "reference"
        self.provinces: dict[str, str] = {}  # code -> name
        with (reference / "divisions_provinces.csv").open(encoding="utf-8") as f:
            for row in csv.DictReader(f):
                self.provinces[row["code"]] = row["name"]
        for code, name in (("71", "台湾省"), ("81", "香港特别行政区"), ("82", "澳门特别行政区")):
            self.provinces.setdefault(code, name)
        self.province_by_name = {name: code for code, name in self.provinces.items()}
        self.province_short: dict[str, str] = {}
        for name in self.provinces.values():
            short = _strip(name, _PROVINCE_SUFFIXES)
            self.province_short[short] = name
            if short == "内蒙古":
                self.province_short["内蒙"] = name
        self.province_short.update(_SPECIAL)
        self.cities: dict[str, tuple[str, str]] = {}  # code -> (province code, name)
        with (reference / "divisions_cities.csv").open(encoding="utf-8") as f:
            for row in csv.DictReader(f):
                self.cities[row["code"]] = (row["provinceCode"], row["name"])
        self.counties: dict[str, tuple[str, str]] = {}  # code -> (city code, name)
        with (reference / "divisions_counties.csv").open(encoding="utf-8") as f:
            for row in csv.DictReader(f):
                self.counties[row["code"]] = (row["cityCode"], row["name"])
        real_cities = {c: v for c, v in self.cities.items() if v[1] not in ("市辖区", "县")}
        self.city_names: dict[str, list[str]] = {}  # full or short city name -> city codes
        for code, (_, name) in real_cities.items():
            for key in {name, _strip(name, _CITY_SUFFIXES)}:
                self.city_names.setdefault(key, []).append(code)
        self.county_names: dict[str, list[str]] = {}
        for code, (_, name) in self.counties.items():
            if name == "市辖区":
                continue
            for key in {name, _strip(name, ("县", "区", "市", "旗"))}:
                self.county_names.setdefault(key, []).append(code)

    # --- single names ------------------------------------------------------------------------

    def province_named(self, text: str) -> tuple[str | None, bool]:
        """(full province name, whether it was written short) for a province name."""
        if text in self.province_by_name:
            return text, False
        full = self.province_short.get(text) or self.province_short.get(
            _strip(text, _PROVINCE_SUFFIXES)
        )
        return (full, True) if full else (None, False)

    def city_in(self, province_code: str | None, text: str) -> str | None:
        codes = self.city_names.get(text) or self.city_names.get(_strip(text, _CITY_SUFFIXES), [])
        if province_code:
            codes = [c for c in codes if self.cities[c][0] == province_code]
        return codes[0] if len(codes) == 1 else None

    def county_in(self, parent: str | None, text: str) -> str | None:
        codes = self.county_names.get(text) or self.county_names.get(
            _strip(text, ("县", "区", "市", "旗")), []
        )
        if parent:
            codes = [c for c in codes if c.startswith(parent)]
        return codes[0] if len(codes) == 1 else None

    def suggestion(self, text: str) -> str | None:
        key = "".join(ch for ch in text.lower() if ch.isalpha())
        if key in _PINYIN:
            return _PINYIN[key]
        names = list(self.provinces.values()) + list(self.province_short)
        close = difflib.get_close_matches(text, names, n=1, cutoff=0.5)
        if close:
            return self.province_named(close[0])[0]
        return None

    def from_code(self, code: str) -> tuple[str | None, str | None, str | None]:
        """Province, city and county names of a 6-digit division code (as precise as it is)."""
        province = self.provinces.get(code[:2])
        city_entry = self.cities.get(code[:4])
        city = city_entry[1] if city_entry and city_entry[1] not in ("市辖区", "县") else None
        if city is None and province and province.endswith("市") and city_entry:
            city = province  # municipalities: the city is the province
        county_entry = self.counties.get(code[:6])
        county = county_entry[1] if county_entry and county_entry[1] != "市辖区" else None
        return province, city, county

    def leading_place(self, name: str) -> tuple[str | None, str | None]:
        """(province, city) named at the start of a firm name: 江苏华昌化工 → 江苏省."""
        for length in (4, 3, 2):
            head = name[:length]
            province, _ = self.province_named(head)
            if province:
                return province, None
        for length in (4, 3, 2):
            code = self.city_in(None, name[:length])
            if code:
                province_code, city = self.cities[code]
                return self.provinces[province_code], city
        return None, None

    # --- a row's place -----------------------------------------------------------------------

    def resolve(
        self,
        province: str | None,
        city: str | None,
        county: str | None,
        *,
        allow_unknown: bool,
        firm_id: str | None = None,
        name: str | None = None,
    ) -> Place:
        place = Place(province, city, county)
        if province == UNKNOWN:
            if not allow_unknown:
                place.error = "专业镇的省份必须填写（“未知”只用于名录企业）"
            return place
        if province:
            full, short = self.province_named(province)
            if full is None:
                # A city written in the province column: 杭州 → 浙江省 杭州市.
                code = self.city_in(None, province)
                if code and not city:
                    place.province = self.provinces[self.cities[code][0]]
                    place.city = self.cities[code][1]
                    place.notes.append(
                        f"省份“{province}”是地市名，已记为 {place.province} {place.city}"
                    )
                else:
                    hint = self.suggestion(province)
                    place.error = "不是省级行政区名称" + (
                        f"，是否为：{hint}？" if hint else "（请写全称，如 山西省）"
                    )
                    return place
            else:
                place.province = full
                if short:
                    place.notes.append(f"省份“{province}”已按全称记为 {full}")
        if not place.province:
            self._derive(place, firm_id, name)
            if not place.province:
                place.error = (
                    "必填项为空（无法从地市、统一社会信用代码或企业名称判断省份；"
                    "名录企业不知所在地的可填“未知”）"
                    if allow_unknown
                    else "必填项为空"
                )
                return place
        province_code = self.province_by_name.get(place.province)
        if place.city:
            self._check_city(place, province_code)
        if place.county and not place.error:
            parent = None
            if place.city and province_code:
                parent = self.city_in(province_code, place.city)
            code = self.county_in(parent or province_code, place.county)
            if code and self.counties[code][1] != place.county:
                place.notes.append(f"县区“{place.county}”已按全称记为 {self.counties[code][1]}")
                place.county = self.counties[code][1]
        return place

    def _check_city(self, place: Place, province_code: str | None) -> None:
        assert place.city is not None
        if place.city == place.province:  # 北京市 北京市: municipalities
            return
        code = self.city_in(province_code, place.city)
        if code:
            full = self.cities[code][1]
            if full != place.city:
                place.notes.append(f"地市“{place.city}”已按全称记为 {full}")
                place.city = full
            return
        elsewhere = self.city_in(None, place.city)
        if elsewhere:
            other = self.provinces[self.cities[elsewhere][0]]
            place.error = f"{place.city}不在{place.province}，而在{other}：请核对省份或地市"
        elif self.county_in(province_code, place.city):
            return  # a county-level city written in the city column: keep as written
        else:
            place.error = f"{place.province}没有名为“{place.city}”的地市"
        place.column = "city"

    def _derive(self, place: Place, firm_id: str | None, name: str | None) -> None:
        if place.city:
            full, _ = self.province_named(place.city)
            if full is not None and full.endswith("市"):
                # A municipality written as the city (北京市, 上海): it is the province too.
                place.notes.append(f"省份按地市“{place.city}”补为 {full}")
                place.province = place.city = full
                return
            code = self.city_in(None, place.city)
            if code:
                place.province = self.provinces[self.cities[code][0]]
                place.notes.append(f"省份按地市“{place.city}”补为 {place.province}")
                return
        if firm_id and len(firm_id) == 18 and firm_id[2:8].isdigit():
            province, city, county = self.from_code(firm_id[2:8])
            if province:
                place.province = province
                place.city = place.city or city
                place.county = place.county or county
                place.notes.append(
                    f"省份按统一社会信用代码的登记机关代码 {firm_id[2:8]} 补为 {province}"
                )
                return
        if name:
            province, city = self.leading_place(name)
            if province:
                place.province = province
                place.city = place.city or city
                place.notes.append(f"省份按企业名称“{name}”补为 {province}")


@cache
def divisions() -> Divisions:
    return Divisions()
