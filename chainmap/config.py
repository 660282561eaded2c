"""Settings for gap rules and target scoring: data/config/chainmap.toml, overridable."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from chainmap.errors import ConfigError, InvalidInput
from chainmap.model import LEADING_BADGES, PROJECT_STATUSES
from chainmap.resources import resource_dir


@dataclass(frozen=True)
class Component:
    """One part of a target's score: weight (a preset's) × a factor in 0–1.

    `computed`: "link" — from the gap link alone, known before any firm is read; "ties" — from
    the firm's supply ties with the town (tied firms are few and read first); "store" — from the
    firm's own columns, computed in the store's ranking statement (p_<key> in
    cypher/parts/target_score.cypher), whose sum is the `base` the ranking sorts and bounds by.
    """

    key: str
    zh: str
    short: str  # two characters, for a cell that lists every component
    computed: str
    factor: str  # how the factor is found, for the README and the 说明 sheet


SCORE_COMPONENTS: tuple[Component, ...] = (
    Component(
        "gap_need", "缺口需求", "缺口", "link", "补链 1.0 / 延链 0.7 / 强链 0.4，乘以环节权重"
    ),
    Component(
        "ties",
        "以商招商",
        "以商",
        "ties",
        "与本镇企业有供货或采购关系：1 家 0.6，每多 1 家 +0.2，对方是龙头再 +0.2，最高 1",
    ),
    Component("scale", "企业规模", "规模", "store", "营收 / (营收 + 5 亿元)；营收未知取中性值"),
    Component(
        "badges",
        "资质称号",
        "称号",
        "store",
        "最高称号：单项冠军 1.0、小巨人 0.9、上市公司 0.8、专精特新 0.6、高新技术企业 0.4",
    ),
    Component(
        "region",
        "来源地区",
        "地区",
        "store",
        "京津冀、长三角、粤港澳大湾区 1.0；本省 0.6；所在地未知取中性值",
    ),
    Component(
        "distance",
        "距离",
        "距离",
        "store",
        "1 / (1 + 公里数 / 500)，按区县、地市或省中心点估算；所在地未知取中性值",
    ),
)
COMPONENTS = tuple(c.key for c in SCORE_COMPONENTS)
COMPONENT_ZH = {c.key: c.zh for c in SCORE_COMPONENTS}
# Components the store computes per firm: their sum is the ranking statement's `base`.
STORE_COMPONENTS = tuple(c.key for c in SCORE_COMPONENTS if c.computed == "store")


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
    half_km: float = Field(500, gt=0)  # 全国 links: the distance at which the factor is 0.5
    regional_km: float = Field(250, gt=0)  # 区域 links
    near_km: float = Field(60, gt=0)  # 就近 links


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
    # The factor a component gets when its evidence is missing (no revenue, place unknown):
    # neutral, so a firm is neither rewarded nor ranked last for what nobody recorded.
    unknown_factor: float = Field(0.5, ge=0, le=1)
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
            raise InvalidInput(f"预设 {name} 不存在（可选：{'、'.join(self.presets)}）")
        values = self.presets[name].model_dump() | (overrides or {})
        unknown = set(values) - set(COMPONENTS)
        if unknown:
            raise InvalidInput(
                f"未知的得分项：{'、'.join(sorted(unknown))}（可选：{'、'.join(COMPONENTS)}）"
            )
        try:
            return Weights(**values)
        except ValidationError as exc:
            raise InvalidInput(f"权重设置无效：{exc.errors()[0]['msg']}") from None


class ProjectRules(_Strict):
    signed_not_started_days: int = Field(180, ge=1)
    started_not_producing_days: int = Field(365, ge=1)
    producing_not_effective_days: int = Field(365, ge=1)


class RewardRule(_Strict):
    """以企引企 reward: a share of the funds received (到位资金), capped, paid by how far the
    project has got (按照投资比例和建设进度给予奖励). The county's own 奖励办法 sets the figures."""

    rate: float = Field(0.01, ge=0, le=1)
    cap_wan: float | None = Field(50.0, ge=0)
    # Share of the reward due once the project has reached each status (the highest reached
    # counts; 达效 counts as 投产). A status not listed, and 终止, are due nothing.
    progress_share: dict[str, float] = {"开工": 0.5, "投产": 1.0}
    rule_text: str = "到位资金 × 1%，最高 50 万元；开工付 50%，投产付 100%（示例规则）"

    @model_validator(mode="after")
    def _statuses_known(self) -> RewardRule:
        for status, share in self.progress_share.items():
            if status not in PROJECT_STATUSES or status == "终止":
                raise ValueError(f"rewards.progress_share 的状态 {status} 不是有效的项目状态")
            if not 0 <= share <= 1:
                raise ValueError(f"rewards.progress_share 的比例 {share} 应在 0–1 之间")
        return self


class NoticeRules(_Strict):
    """督办通知书: who issues it and how long the town has to put things right."""

    issuer: str = "专业镇建设工作领导小组办公室"
    deadline_days: int = Field(30, ge=1)


class InputLimits(_Strict):
    """What a dataset file may hold before it is refused unread (zip bombs, runaway sheets)."""

    max_uncompressed_mb: int = Field(2048, ge=1)
    max_members: int = Field(500, ge=1)
    max_ratio: int = Field(200, ge=2)  # uncompressed / compressed, for members over 10 MB
    max_rows: int = Field(5_000_000, ge=1)
    max_download_mb: int = Field(1024, ge=1)
    # A server that accepts and never answers ends the download within
    # (retries + 1) × (connect + read) seconds: 2 × (5 + 10) = 30 s by default.
    connect_timeout_s: float = Field(5, gt=0)
    read_timeout_s: float = Field(10, gt=0)
    download_retries: int = Field(1, ge=0, le=5)


class Settings(_Strict):
    gaps: GapRules = GapRules()
    targets: TargetSettings
    projects: ProjectRules = ProjectRules()
    rewards: RewardRule = RewardRule()
    notices: NoticeRules = NoticeRules()
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


@dataclass(frozen=True)
class Environment:
    """Every environment variable chainmap reads, read here and nowhere else."""

    db: str | None
    config: str | None
    neo4j_uri: str | None
    neo4j_user: str | None
    neo4j_password: str | None
    neo4j_database: str | None
    neo4j_tx_rows: str | None  # rows per transaction of a large Neo4j import


def environment() -> Environment:
    env = os.environ

    def value(name: str) -> str | None:
        return env.get(name) or None

    return Environment(
        db=value("CHAINMAP_DB"),
        config=value("CHAINMAP_CONFIG"),
        neo4j_uri=value("CHAINMAP_NEO4J_URI"),
        neo4j_user=value("CHAINMAP_NEO4J_USER"),
        neo4j_password=value("CHAINMAP_NEO4J_PASSWORD"),
        neo4j_database=value("CHAINMAP_NEO4J_DATABASE"),
        neo4j_tx_rows=value("CHAINMAP_NEO4J_TX_ROWS"),
    )


def input_limits() -> InputLimits:
    """The limits in force for reading files (the default config, or $CHAINMAP_CONFIG)."""
    return load_settings().limits


def load_settings(path: Path | None = None) -> Settings:
    """The shipped defaults, overlaid with `path` (or $CHAINMAP_CONFIG) when given."""
    with default_config_path().open("rb") as f:
        data = tomllib.load(f)
    configured = environment().config
    path = path or (Path(configured) if configured else None)
    if path is not None:
        try:
            with path.open("rb") as f:
                data = _merge(data, tomllib.load(f))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(f"无法读取配置文件 {path}：{exc}") from None
    try:
        return Settings(**data)
    except ValidationError as exc:
        raise ConfigError(
            f"配置无效（{path or default_config_path()}）：{_problems(exc)}"
        ) from None


# --- recognition criteria (data/config/criteria.toml) ------------------------------------------

RANK_ITEMS = (
    "output",
    "output_growth",
    "market_entities",
    "market_growth",
    "completeness",
    "producing_projects",
    "leading_firms",
)


class LevelRules(_Strict):
    """One level's recognition criteria; a criterion left out is not checked at that level."""

    source: str = ""
    output_threshold_wan: dict[str, float] | None = None
    relaxed_floor_wan: float | None = Field(None, ge=0)
    min_leading_firms: int | None = Field(None, ge=0)
    min_supporting_firms: int | None = Field(None, ge=0)
    require_lead_industry_in_town: bool = False
    min_platforms: int | None = Field(None, ge=0)
    tiers_wan: list[float] | None = None


class RankRules(_Strict):
    weights: dict[str, float]
    growth_full: float = Field(0.3, gt=0)
    market_growth_full: float = Field(1.0, gt=0)
    praise_top: int = Field(3, ge=0)
    supervise_bottom: int = Field(2, ge=0)

    @model_validator(mode="after")
    def _known_items_adding_up(self) -> RankRules:
        unknown = set(self.weights) - set(RANK_ITEMS)
        if unknown:
            raise ValueError(
                f"未知的排名项：{'、'.join(sorted(unknown))}（可选：{'、'.join(RANK_ITEMS)}）"
            )
        total = sum(self.weights.values())
        if abs(total - 100) > 1e-6:
            raise ValueError(f"排名权重之和应为 100，现为 {total:g}")
        return self


def default_criteria_path() -> Path:
    return resource_dir("data") / "config" / "criteria.toml"


def load_criteria(path: Path | None = None) -> dict[str, Any]:
    """Criteria checked against their model (unknown keys, missing sections and bad values are a
    ConfigError naming the key), returned as plain data: {"order": [...], level: {...},
    "rank": {...}} with criteria that a level leaves out absent."""
    path = path or default_criteria_path()
    try:
        with path.open("rb") as handle:
            raw = tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"无法读取认定标准 {path}：{exc}") from None
    order = raw.get("order")
    if not isinstance(order, list) or not order or not all(isinstance(o, str) for o in order):
        raise ConfigError(f"认定标准 {path}：缺少 order（各级别名称，由低到高）")
    unexpected = set(raw) - {"order", "rank", *order}
    missing = [level for level in order if level not in raw]
    if missing or "rank" not in raw or unexpected:
        parts = []
        if missing:
            parts.append(f"缺少级别：{'、'.join(missing)}")
        if "rank" not in raw:
            parts.append("缺少 [rank] 一节（年度排名权重）")
        if unexpected:
            parts.append(f"未知的节：{'、'.join(sorted(unexpected))}（级别须列在 order 中）")
        raise ConfigError(f"认定标准 {path}：{'；'.join(parts)}")
    criteria: dict[str, Any] = {"order": order}
    try:
        for level in order:
            criteria[level] = LevelRules(**raw[level]).model_dump(exclude_none=True)
        criteria["rank"] = RankRules(**raw["rank"]).model_dump()
    except (ValidationError, TypeError) as exc:
        raise ConfigError(f"认定标准无效（{path}）：{_problems(exc)}") from None
    return criteria


def _problems(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "；".join(
            f"{'.'.join(str(p) for p in e['loc']) or '整体'}：{e['msg']}" for e in exc.errors()
        )
    return str(exc)
