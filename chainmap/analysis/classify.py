"""Place the firms of a raw register (名录: name, code, business scope, no link column) on the links of
a chain, with a confidence and the evidence, for a person to review.

Evidence per (firm, link):
- code: the firm's GB/T 4754 code along the hierarchy: the link's own 小类 (0.6), a finer code under a
  link code (0.45), or a coarser one above it (大类/中类, 0.4, and only beside a keyword of the link:
  "26 化学原料和化学制品制造业" alone cannot tell 硝酸 from 磷肥). When several links of the chain share
  a code, the weight is split among them — a code alone cannot tell 磷矿 from 钾矿.
- keywords: link keywords found in the firm's name (0.45 each) or business scope (0.35 each), combined
  as independent evidence. A hit inside a longer keyword of the chain (硝酸 within 硝酸钙) or inside
  one of the link's exclusion words (硝酸 within 硝酸甘油) does not count, nor an acid written as
  the first half of a salt's name (硝酸 in 硝酸钠, 硝酸磷肥; 磷酸 in 磷酸一铵). Each hit is weighed by
  its specificity on the register at hand: a keyword found in many of its firms (物流, 能源, 零售 in
  a register of listed firms) counts less unless the firms it hits also show other products of the
  chain; a keyword of several links of the chain is split among them.
Confidence = 1 − (1 − code)(1 − keywords), keyword part capped at 0.9. Proposals at or above
`min_confidence` are listed; firms with none are reported as unmatched, never dropped.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from chainmap.analysis.chains import chain_tree
from chainmap.importer.register import (
    Problem,
    Register,
    RegisterFirm,
    name_clashes,
    name_key,
    name_variants,
    read_register,
)
from chainmap.store.base import GraphStore


@dataclass
class Match:
    firm: RegisterFirm
    link_id: str
    link_name: str
    confidence: float
    evidence: list[str]
    products: list[str] = field(default_factory=list)


def _code_score(
    code: str | None, link_codes: list[str], sharing: Counter, *, keyword_hit: bool
) -> tuple[float, str]:
    if not code:
        return 0.0, ""
    best, note = 0.0, ""
    for link_code in link_codes:
        if code == link_code:
            # A class names an industry, not the product: 2611 无机酸制造 is also sulphuric acid.
            # Without a keyword of the link it is listed for review, never pre-marked.
            score, shared_code = (0.6 if keyword_hit else 0.5), link_code
        elif len(link_code) < len(code) and code.startswith(link_code):
            score, shared_code = 0.45, link_code
        elif keyword_hit and len(code) >= 2 and link_code.startswith(code):
            # A coarse code (大类 26) only confirms what a keyword of the link says.
            score, shared_code = 0.4, code
        else:
            continue
        if shared_code == link_code:
            score /= sharing[link_code]
        if score > best:
            shared = f"（{sharing[link_code]} 个环节共用此代码）" if sharing[link_code] > 1 else ""
            relation = "对应" if shared_code == link_code else "为其上位类，含"
            best, note = score, f"行业代码 {code} {relation} {link_code}{shared}"
    return best, note


@cache
def _finder(keywords: frozenset[str]) -> re.Pattern[str]:
    # A lookahead finds, at every position, the longest keyword starting there (alternatives
    # longest first); a shorter one starting at the same place lies inside it anyway. Latin
    # tokens match whole words only: CAN (硝酸铵钙) is not the CAN of CAN-bus or CANON.
    ordered = sorted(keywords, key=lambda k: (-len(k), k))
    parts = [
        rf"(?<![A-Za-z0-9]){re.escape(k)}(?![A-Za-z0-9\-])" if k.isascii() else re.escape(k)
        for k in ordered
    ]
    return re.compile("(?=(" + "|".join(parts) + "))")


# GB/T 4754 sections: production (agriculture, mining, manufacturing, utilities) and the
# sectors whose firms never make a chain's products (software, finance, real estate, media).
PRODUCTION_SECTIONS = frozenset("ABCD")
FOREIGN_SECTIONS = frozenset("IJKR")
# Name words that tell those sectors when a register gives no industry code.
FOREIGN_NAME_WORDS = (
    "银行",
    "证券",
    "保险",
    "信托",
    "基金管理",
    "房地产",
    "置业",
    "地产",
    "传媒",
    "文化传播",
    "影视",
    "软件",
    "网络科技",
    "信息技术",
    "互联网",
)


@cache
def _sections() -> dict[str, str]:
    import csv

    from chainmap.resources import resource_dir

    with (resource_dir("data") / "reference" / "gbt4754_2017.csv").open(encoding="utf-8") as f:
        return {row["code"]: row["section"] for row in csv.DictReader(f)}


@cache
def _class_names() -> dict[str, str]:
    import csv

    from chainmap.resources import resource_dir

    with (resource_dir("data") / "reference" / "gbt4754_2017.csv").open(encoding="utf-8") as f:
        return {row["code"]: row["name"] for row in csv.DictReader(f)}


def _class_name(code: str | None) -> str:
    return _class_names().get(code or "", "")


def _section(code: str | None) -> str | None:
    return _sections().get(code or "")


def _acronym(keyword: str) -> bool:
    return keyword.isascii() and len(keyword) <= 4


def _foreign(firm: RegisterFirm) -> bool:
    """A firm of a sector that makes no chain product (by its code, else by its name)."""
    section = _section(firm.code)
    if section:
        return section in FOREIGN_SECTIONS
    return any(word in firm.name for word in FOREIGN_NAME_WORDS)


# Sections of firms that trade, carry or serve the chain's goods (wholesale and retail,
# transport and storage, catering): customers or services, never makers on a production link.
TRADE_SECTIONS = frozenset("FGH")
TRADE_NAME_WORDS = (
    "贸易",
    "商贸",
    "进出口",
    "物流",
    "运输",
    "货运",
    "危运",
    "储运",
    "供应链",
    "超市",
    "经销",
    "批发",
    "电子商务",
    "电商",
)


def _trader(firm: RegisterFirm) -> bool:
    """A firm that trades or carries goods (by its code, else by its name)."""
    section = _section(firm.code)
    if section:
        return section in TRADE_SECTIONS
    return any(word in firm.name for word in TRADE_NAME_WORDS)


def _is_production(link: dict[str, Any]) -> bool:
    sections = {_section(code) for code in link["industry_codes"] or []} - {None}
    return bool(sections) and sections <= PRODUCTION_SECTIONS


# In a Chinese chemical name an acid followed by a cation, a count of acid hydrogens or 盐/酯
# names a salt or an ester of it: 硝酸钠, 硫酸亚铁, 磷酸一铵, 磷酸二氢钾, 硝酸磷肥, 硝酸盐.
# A firm that makes the salt uses the acid; it does not make it.
SALT_NEXT = frozenset(
    "钠钾钙镁铵银铜锌铁铝铅钡锶镍钴锰铬锂铯铷铈镧钕铋锡汞镉钛锆钒钼钨铂钯铟镓锗铊亚氢一二三磷盐酯"
)


def _names_a_salt(term: str, text: str, end: int) -> bool:
    return term.endswith("酸") and end < len(text) and text[end] in SALT_NEXT


def _occurrences(text: str, terms: frozenset[str]) -> list[tuple[str, frozenset[str]]]:
    """Each term found in text, with the longer terms found around that occurrence. An acid
    written as the first half of a salt's name is not an occurrence of the acid."""
    if not text or not terms:
        return []
    spans = [
        (match.start(), match.start() + len(match[1]), match[1])
        for match in _finder(terms).finditer(text)
        if not _names_a_salt(match[1], text, match.start() + len(match[1]))
    ]
    return [
        (
            term,
            frozenset(
                other
                for s, e, other in spans
                if s <= start and end <= e and (e - s) > (end - start)
            ),
        )
        for start, end, term in spans
    ]


def _hits(
    occurrences: list[tuple[str, frozenset[str]]], keywords: frozenset[str], masks: frozenset[str]
) -> set[str]:
    """Keywords with at least one occurrence not inside a longer keyword or a mask word."""
    return {
        term
        for term, around in occurrences
        if term in keywords and not (around & keywords or around & masks)
    }


@dataclass
class _Specificity:
    """How much a keyword tells on this register: 1 for a keyword few firms carry; less for one
    many firms carry (能源, 物流), unless those firms also show other products of the chain."""

    firms: int
    carriers: Counter
    corroborated: Counter

    def of(self, keyword: str) -> float:
        carried = self.carriers[keyword]
        common = max(20.0, self.firms / 100)
        if carried <= common or self.firms <= common:
            return 1.0
        rarity = math.log(self.firms / carried) / math.log(self.firms / common)
        corroboration = self.corroborated[keyword] / carried
        return round(max(0.25, min(1.0, max(rarity, corroboration))), 2)


def classify(
    firms: list[RegisterFirm],
    links: list[dict[str, Any]],
    *,
    goods: Iterable[str] = (),
    min_confidence: float = 0.35,
) -> tuple[list[Match], list[RegisterFirm]]:
    """Proposals (firm, link) at or above min_confidence, and the firms with none. `goods` are the
    chain's general words for its products (化肥, 铸件, 醋: the chain's 产品大类词)."""
    sharing: Counter = Counter(code for link in links for code in set(link["industry_codes"] or []))
    keyword_links: Counter = Counter(k for link in links for k in set(link["keywords"] or []) if k)
    matches: list[Match] = []
    unmatched: list[RegisterFirm] = []
    all_keywords = frozenset(keyword_links)
    masks_of = {
        link["id"]: frozenset(k for k in link.get("exclude_keywords") or [] if k) for link in links
    }
    all_masks = frozenset().union(*masks_of.values())
    goods_words = frozenset(word for word in goods if word)
    all_terms = all_keywords | all_masks | goods_words
    production = [link for link in links if _is_production(link)]
    # The chain's own products: a service link (物流, 零售, 出口, 电商) is proposed only for a firm
    # that shows them — a product keyword or one of the chain's goods words in its name, scope or
    # industry class (5166 化肥批发) — not for any 物流 or 进出口 firm.
    products = frozenset(k for link in production for k in link["keywords"] or [] if k)
    goods_finder = products | goods_words
    goods_terms = goods_finder | all_masks
    chain_codes = frozenset(code for link in links for code in link["industry_codes"] or [])
    none: frozenset[str] = frozenset()
    found_in = [
        (
            _occurrences(firm.name, all_terms),
            _occurrences(firm.scope, all_terms),
        )
        for firm in firms
    ]
    carriers: Counter = Counter()
    corroborated: Counter = Counter()
    for firm, (in_name, in_scope) in zip(firms, found_in, strict=True):
        hits = _hits(in_name, all_keywords, none) | _hits(in_scope, all_keywords, none)
        shown_products = hits & products
        for keyword in hits:
            carriers[keyword] += 1
            if shown_products - {keyword} or firm.code in chain_codes:
                corroborated[keyword] += 1
    specificity = _Specificity(len(firms), carriers, corroborated)
    for firm, (name_found, scope_found) in zip(firms, found_in, strict=True):
        name_hits = _hits(name_found, all_keywords, none)
        scope_hits = _hits(scope_found, all_keywords, none)
        foreign = _foreign(firm)
        trader = _trader(firm)
        # Searched apart: a goods word starting where a longer keyword starts (化肥 in 化肥零售)
        # is not among that keyword's occurrences.
        shows_products = bool((name_hits | scope_hits) & products) or any(
            _hits(_occurrences(text, goods_terms), goods_finder, all_masks)
            for text in (firm.name, firm.scope, _class_name(firm.code))
        )
        found = []
        for link in links:
            service = link not in production
            if (foreign or trader) and not service:
                continue  # a bank, a software house or a trader does not make the products
            if foreign or (service and not shows_products):
                continue
            keywords = frozenset(k for k in link["keywords"] or [] if k)
            masks = masks_of[link["id"]]
            in_name = sorted(
                _hits(name_found, keywords, masks) & keywords, key=link["keywords"].index
            )
            in_scope = [
                k
                for k in sorted(_hits(scope_found, keywords, masks), key=link["keywords"].index)
                if k not in in_name
            ]
            # A short Latin acronym (CAN, NPK) alone is ambiguous: it counts only beside a
            # Chinese product word of the link or the link's industry code.
            code_score, code_note = _code_score(
                firm.code,
                list(link["industry_codes"] or []),
                sharing,
                keyword_hit=bool(in_name or in_scope),
            )
            if not code_score and not [k for k in in_name + in_scope if not _acronym(k)]:
                in_name, in_scope = [], []
                code_score, code_note = _code_score(
                    firm.code, list(link["industry_codes"] or []), sharing, keyword_hit=False
                )
            missing = 1.0
            for keyword, weight in [(k, 0.45) for k in in_name] + [(k, 0.35) for k in in_scope]:
                missing *= 1 - weight * specificity.of(keyword) / keyword_links[keyword]
            keyword_score = min(0.9, 1 - missing)
            # Rounded before the comparison: 1 - (1 - 0.35) is a hair below 0.35 in floating point.
            confidence = round(1 - (1 - code_score) * (1 - keyword_score), 4)
            if confidence < min_confidence:
                continue
            evidence = [code_note] if code_note else []
            if in_name:
                evidence.append("名称含“" + "”“".join(in_name) + "”")
            if in_scope:
                evidence.append("经营范围含“" + "”“".join(in_scope) + "”")
            common = [k for k in in_name + in_scope if specificity.of(k) < 1]
            if common:
                evidence.append("“" + "”“".join(common) + "”在本名录中较常见，权重已降低")
            found.append(
                Match(
                    firm,
                    link["id"],
                    link["name"],
                    round(confidence, 2),
                    evidence,
                    in_name + in_scope,
                )
            )
        if found:
            matches.extend(sorted(found, key=lambda m: (-m.confidence, m.link_id)))
        else:
            unmatched.append(firm)
    return matches, unmatched


@dataclass
class RegisterReview:
    register: Register
    chain_id: str
    matches: list[Match]
    unmatched: list[RegisterFirm]
    problems: list[Problem]

    @property
    def placed(self) -> int:
        return len({m.firm.firm_id for m in self.matches})


def review_register(
    store: GraphStore,
    path,
    chain_id: str,
    *,
    min_confidence: float = 0.35,
    default_province: str | None = None,
) -> RegisterReview:
    """Read a register, place its firms on the chain's links, and collect what a reviewer
    should check (including names the store already holds under another id)."""
    tree = chain_tree(store, chain_id)
    register = read_register(path, default_province)
    # The store is asked for each name as written and in the usual width variants: 企查查
    # writes （山西）, a hand-made sheet (山西).
    names = sorted({variant for f in register.firms for variant in name_variants(f.name)})
    known: dict[str, list[str]] = {}
    for start in range(0, len(names), 1000):
        for row in store.query("ids_by_name", {"names": names[start : start + 1000]}, label="Firm"):
            ids = known.setdefault(name_key(row["name"]), [])
            if row["id"] not in ids:
                ids.append(row["id"])
    matches, unmatched = classify(
        register.firms,
        tree.links,
        goods=tree.chain.get("goods_keywords") or (),
        min_confidence=min_confidence,
    )
    problems = register.problems + name_clashes(register, known)
    return RegisterReview(register, chain_id, matches, unmatched, problems)
