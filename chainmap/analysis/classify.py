"""Place the firms of a raw register (名录: name, code, business scope, no link column) on the links of
a chain, with a confidence and the evidence, for a person to review.

Evidence per (firm, link):
- code: the firm's GB/T 4754 小类 equals one of the link's codes (0.6), or falls under a shorter link
  code (0.45); when several links of the chain share that code, the weight is split among them —
  a code alone cannot tell 磷矿 from 钾矿.
- keywords: link keywords found in the firm's name (0.45 each) or business scope (0.35 each); a hit
  inside a longer keyword hit (硝酸 within 硝酸钙) does not count.
Confidence = 1 − (1 − code)(1 − keywords), keyword part capped at 0.9. Proposals at or above
`min_confidence` are listed; firms with none are reported as unmatched, never dropped.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from chainmap.analysis.chains import chain_tree
from chainmap.importer.register import Problem, Register, RegisterFirm, name_clashes, read_register
from chainmap.store.base import GraphStore


@dataclass
class Match:
    firm: RegisterFirm
    link_id: str
    link_name: str
    confidence: float
    evidence: list[str]
    products: list[str] = field(default_factory=list)


def _code_score(code: str | None, link_codes: list[str], sharing: Counter) -> tuple[float, str]:
    if not code:
        return 0.0, ""
    best, note = 0.0, ""
    for link_code in link_codes:
        if code == link_code:
            score = 0.6
        elif len(link_code) < len(code) and code.startswith(link_code):
            score = 0.45
        else:
            continue
        score /= sharing[link_code]
        if score > best:
            shared = f"（{sharing[link_code]} 个环节共用此代码）" if sharing[link_code] > 1 else ""
            best, note = score, f"行业代码 {code} 对应 {link_code}{shared}"
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


def _is_production(link: dict[str, Any]) -> bool:
    sections = {_section(code) for code in link["industry_codes"] or []} - {None}
    return bool(sections) and sections <= PRODUCTION_SECTIONS


def _hits(text: str, keywords: frozenset[str]) -> set[str]:
    """Keywords found in text, leaving out those only found inside a longer keyword found there."""
    if not text or not keywords:
        return set()
    spans = [
        (match.start(), match.start() + len(match[1]), match[1])
        for match in _finder(keywords).finditer(text)
    ]
    kept = set()
    for start, end, keyword in spans:
        inside = any(s <= start and end <= e and (e - s) > (end - start) for s, e, _ in spans)
        if not inside:
            kept.add(keyword)
    return kept


def classify(
    firms: list[RegisterFirm], links: list[dict[str, Any]], *, min_confidence: float = 0.35
) -> tuple[list[Match], list[RegisterFirm]]:
    sharing: Counter = Counter(code for link in links for code in set(link["industry_codes"] or []))
    matches: list[Match] = []
    unmatched: list[RegisterFirm] = []
    all_keywords = frozenset(k for link in links for k in link["keywords"] or [] if k)
    production = [link for link in links if _is_production(link)]
    # The chain's own products: a service link (物流, 零售, 出口, 电商) is proposed only for a firm
    # that shows them, or whose industry code is one of the chain's (5166 化肥批发), not for any
    # 物流 firm.
    products = frozenset(k for link in production for k in link["keywords"] or [] if k)
    chain_codes = frozenset(code for link in links for code in link["industry_codes"] or [])
    for firm in firms:
        name_hits = _hits(firm.name, all_keywords)
        scope_hits = _hits(firm.scope, all_keywords)
        foreign = _foreign(firm)
        shows_products = bool((name_hits | scope_hits) & products) or firm.code in chain_codes
        found = []
        for link in links:
            service = link not in production
            if foreign and not service:
                continue  # a bank or a software house does not make the chain's products
            if foreign or (
                service and not shows_products and firm.code not in (link["industry_codes"] or [])
            ):
                continue
            code_score, code_note = _code_score(
                firm.code, list(link["industry_codes"] or []), sharing
            )
            in_name = [k for k in link["keywords"] or [] if k in name_hits]
            in_scope = [k for k in link["keywords"] or [] if k in scope_hits and k not in in_name]
            # A short Latin acronym (CAN, NPK) alone is ambiguous: it counts only beside a
            # Chinese product word of the link or the link's industry code.
            if not code_score and not [k for k in in_name + in_scope if not _acronym(k)]:
                in_name, in_scope = [], []
            keyword_score = min(0.9, 0.45 * len(in_name) + 0.35 * len(in_scope))
            # Rounded before the comparison: 1 - (1 - 0.35) is a hair below 0.35 in floating point.
            confidence = round(1 - (1 - code_score) * (1 - keyword_score), 4)
            if confidence < min_confidence:
                continue
            evidence = [code_note] if code_note else []
            if in_name:
                evidence.append("名称含“" + "”“".join(in_name) + "”")
            if in_scope:
                evidence.append("经营范围含“" + "”“".join(in_scope) + "”")
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
    names = sorted({f.name for f in register.firms})
    known: dict[str, list[str]] = {}
    for start in range(0, len(names), 1000):
        for row in store.query("ids_by_name", {"names": names[start : start + 1000]}, label="Firm"):
            known.setdefault(row["name"], []).append(row["id"])
    matches, unmatched = classify(register.firms, tree.links, min_confidence=min_confidence)
    problems = register.problems + name_clashes(register, known)
    return RegisterReview(register, chain_id, matches, unmatched, problems)
