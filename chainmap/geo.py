"""Where places are: division names and codes to coordinates, and the relocation regions.

Coordinates come from the bundled division centroids (data/reference/division_centroids.csv, about
2018 vintage): a firm is placed at its county's centroid, else its city's, else its province's.
Good enough to tell 30 km from 1,500 km; not a street address.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache

from chainmap.resources import resource_dir

# 产业梯度转移 source regions (domain notes, seed 003). The Greater Bay Area is Guangdong's nine
# Pearl River Delta cities plus Hong Kong and Macao, not all of Guangdong.
REGIONS: dict[str, dict[str, tuple[str, ...]]] = {
    "京津冀": {"provinces": ("北京市", "天津市", "河北省"), "cities": ()},
    "长三角": {"provinces": ("上海市", "江苏省", "浙江省", "安徽省"), "cities": ()},
    "粤港澳大湾区": {
        "provinces": ("香港特别行政区", "澳门特别行政区"),
        "cities": (
            "广州市",
            "深圳市",
            "珠海市",
            "佛山市",
            "惠州市",
            "东莞市",
            "中山市",
            "江门市",
            "肇庆市",
        ),
    },
}


def region_of(province: str | None, city: str | None) -> str | None:
    for region, members in REGIONS.items():
        if province in members["provinces"] or (city and city in members["cities"]):
            return region
    return None


@dataclass(frozen=True)
class Point:
    lon: float
    lat: float
    level: str  # 县区 / 地市 / 省份: how precisely the place was found


class Gazetteer:
    """Division names → codes → centroids."""

    def __init__(self) -> None:
        reference = resource_dir("data") / "reference"
        self.centroids: dict[str, tuple[float, float]] = {}
        with (reference / "division_centroids.csv").open(encoding="utf-8") as f:
            for row in csv.DictReader(f):
                if row["longitude"] and row["latitude"]:  # 市辖区 rows carry no coordinates
                    self.centroids[row["adcode"][:6]] = (
                        float(row["longitude"]),
                        float(row["latitude"]),
                    )
        self.province_code: dict[str, str] = {}
        with (reference / "divisions_provinces.csv").open(encoding="utf-8") as f:
            for row in csv.DictReader(f):
                self.province_code[row["name"]] = row["code"]
        self.city_code: dict[tuple[str, str], str] = {}
        with (reference / "divisions_cities.csv").open(encoding="utf-8") as f:
            for row in csv.DictReader(f):
                self.city_code[(row["provinceCode"], row["name"])] = row["code"]
        self.county_code: dict[tuple[str, str], str] = {}
        county_in_province: dict[tuple[str, str], set[str]] = {}
        with (reference / "divisions_counties.csv").open(encoding="utf-8") as f:
            for row in csv.DictReader(f):
                self.county_code[(row["cityCode"], row["name"])] = row["code"]
                county_in_province.setdefault((row["provinceCode"], row["name"]), set()).add(
                    row["code"]
                )
        # A county named without its city is found only where the name is unique in the province.
        self.county_by_province = {
            key: next(iter(codes)) for key, codes in county_in_province.items() if len(codes) == 1
        }

    def _centroid(self, code: str) -> tuple[float, float] | None:
        return self.centroids.get(code.ljust(6, "0")[:6])

    def locate(
        self, province: str | None, city: str | None = None, county: str | None = None
    ) -> Point | None:
        province_code = self.province_code.get(province or "")
        if province_code is None:
            return None
        city_code = self.city_code.get((province_code, city or ""))
        if city_code is None and city == province:  # municipalities: 市辖区
            city_code = self.city_code.get((province_code, "市辖区"))
        if county:
            county_code = (
                self.county_code.get((city_code, county)) if city_code else None
            ) or self.county_by_province.get((province_code, county))
            if county_code and (point := self._centroid(county_code)):
                return Point(*point, "县区")
        if city_code and (point := self._centroid(city_code)):
            return Point(*point, "地市")
        if point := self._centroid(province_code):
            return Point(*point, "省份")
        return None

    def locate_code(self, division_code: str | None) -> Point | None:
        """A 6- or 9-digit division code (a town's); the county centroid stands for it."""
        if not division_code or not division_code.isdigit():
            return None
        for length, level in ((6, "县区"), (4, "地市"), (2, "省份")):
            if point := self._centroid(division_code[:length]):
                return Point(*point, level)
        return None


@cache
def gazetteer() -> Gazetteer:
    return Gazetteer()
