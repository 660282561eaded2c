"""Settings for gap rules and target scoring: data/config/chainmap.toml, overridable."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from chainmap.errors import ChainmapError
from chainmap.model import LEADING_BADGES
from chainmap.resources import resource_dir

COMPONENTS = ("gap_need", "ties", "scale", "badges", "region", "distance")
COMPONENT_ZH = {
    "gap_need": "缺口需求",
    "ties": "以商招商",
    "scale": "企业规模",
    "badges": "资质称号",
    "region": "来源地区",
    "distance": "距离",
}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class GapRules(_Strict):
    strong_min_local_firms: int = Field(3, ge=1)
    strong_min_leading_firms: int = Field(1, ge=1)
    leading_badges: tuple[str, ...] = LEADING_BADGES


class Weights(_Strict):
    gap_need: float = Field(ge=0)
    ties: float = Field(ge=0)
    scale: float = Field(ge=0)
    badges: float = Field(ge=0)
    region: float = Field(ge=0)
    distance: float = Field(ge=0)

    @model_validator(mode="after")
    def _adds_up_to_100(self) -> Weights:
        total = sum(getattr(self, c) for c in COMPONENTS)
        if abs(total - 100) > 1e-6:
            raise ValueError(f"各项权重之和应为 100，现为 {total:g}")
        return self


class ScaleRule(_Strict):
    revenue_half_wan: float = Field(50000, gt=0)


class TieRule(_Strict):
    first: float = Field(0.6, ge=0, le=1)
    each_more: float = Field(0.2, ge=0, le=1)
    leading_partner: float = Field(0.2, ge=0, le=1)


class RegionRule(_Strict):
    same_province: float = Field(0.6, ge=0, le=1)


class DistanceRule(_Strict):
    half_km: float = Field(500, gt=0)


class TargetSettings(_Strict):
    preset: str = "补链优先"
    top: int = Field(20, ge=1)
    per_link: int = Field(5, ge=0)
    gap_kind_factor: dict[str, float]
    badge_factor: dict[str, float]
    scale: ScaleRule = ScaleRule()
    ties: TieRule = TieRule()
    region: RegionRule = RegionRule()
    distance: DistanceRule = DistanceRule()
    presets: dict[str, Weights]

    @model_validator(mode="after")
    def _preset_exists(self) -> TargetSettings:
        if self.preset not in self.presets:
            raise ValueError(f"预设 {self.preset} 不存在（可选：{'、'.join(self.presets)}）")
        return self

    def weights(
        self, preset: str | None = None, overrides: dict[str, float] | None = None
    ) -> Weights:
        """The weights of a preset, with some components overridden; must still add up to 100."""
        name = preset or self.preset
        if name not in self.presets:
            raise ChainmapError(f"预设 {name} 不存在（可选：{'、'.join(self.presets)}）")
        values = self.presets[name].model_dump() | (overrides or {})
        unknown = set(values) - set(COMPONENTS)
        if unknown:
            raise ChainmapError(
                f"未知的得分项：{'、'.join(sorted(unknown))}（可选：{'、'.join(COMPONENTS)}）"
            )
        try:
            return Weights(**values)
        except ValidationError as exc:
            raise ChainmapError(f"权重设置无效：{exc.errors()[0]['msg']}") from None


class ProjectRules(_Strict):
    signed_not_started_days: int = Field(180, ge=1)
    started_not_producing_days: int = Field(365, ge=1)


class InputLimits(_Strict):
    """What a dataset file may hold before it is refused unread (zip bombs, runaway sheets)."""

    max_uncompressed_mb: int = Field(2048, ge=1)
    max_members: int = Field(500, ge=1)
    max_ratio: int = Field(200, ge=2)  # uncompressed / compressed, for members over 10 MB
    max_rows: int = Field(5_000_000, ge=1)
    max_download_mb: int = Field(1024, ge=1)


class Settings(_Strict):
    gaps: GapRules = GapRules()
    targets: TargetSettings
    projects: ProjectRules = ProjectRules()
    limits: InputLimits = InputLimits()


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def default_config_path() -> Path:
    return resource_dir("data") / "config" / "chainmap.toml"


def input_limits() -> InputLimits:
    """The limits in force for reading files (the default config, or $CHAINMAP_CONFIG)."""
    return load_settings().limits


def load_settings(path: Path | None = None) -> Settings:
    """The shipped defaults, overlaid with `path` (or $CHAINMAP_CONFIG) when given."""
    with default_config_path().open("rb") as f:
        data = tomllib.load(f)
    path = path or (
        Path(os.environ["CHAINMAP_CONFIG"]) if os.environ.get("CHAINMAP_CONFIG") else None
    )
    if path is not None:
        try:
            with path.open("rb") as f:
                data = _merge(data, tomllib.load(f))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise ChainmapError(f"无法读取配置文件 {path}：{exc}") from None
    try:
        return Settings(**data)
    except ValidationError as exc:
        problems = "；".join(
            f"{'.'.join(str(p) for p in e['loc'])}：{e['msg']}" for e in exc.errors()
        )
        raise ChainmapError(f"配置无效（{path or default_config_path()}）：{problems}") from None
