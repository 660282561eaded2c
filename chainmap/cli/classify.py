"""`chainmap classify`: place a raw firm register on a chain's links, for review."""

from __future__ import annotations

from pathlib import Path

import click

from chainmap.analysis.classify import review_register
from chainmap.cli._options import db_option
from chainmap.cli._store import store_for
from chainmap.render.review import write_review_workbook


@click.command("classify")
@click.argument("register", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--chain", "chain_id", required=True, help="对照的产业链编号（chainmap chains 可查）。"
)
@click.option(
    "--out", type=click.Path(dir_okay=False, path_type=Path), help="审核工作簿（.xlsx）。"
)
@click.option(
    "--min-confidence",
    type=click.FloatRange(0, 1),
    default=0.35,
    show_default=True,
    help="置信度下限，低于它的匹配不列出。",
)
@click.option(
    "--confident",
    type=click.FloatRange(0, 1),
    default=0.6,
    show_default=True,
    help="置信度不低于它的匹配预填“是”，其余留空待审核。",
)
@click.option("--province", help="名录中没有省份也无法从地址等识别时使用的省份（否则记为“未知”）。")
@click.option("--town", help="名录企业所在专业镇编号（填入企业表，作为本镇企业）。")
@click.option(
    "--include-unmatched", is_flag=True, help="未匹配到环节的企业也写入“企业”页（一并导入）。"
)
@db_option
def classify_command(
    register: Path,
    chain_id: str,
    out: Path | None,
    min_confidence: float,
    confident: float,
    province: str | None,
    town: str | None,
    include_unmatched: bool,
    db: Path | None,
) -> None:
    """把企业名录匹配到产业链环节，写成审核工作簿。

    名录可直接用企查查、天眼查导出的企业列表，沪深北交易所的上市公司列表，或自制表格（企业名称、
    统一社会信用代码、地址、行业代码、经营范围等列），不用改列名；文件可以是 .xlsx、旧版 .xls 或 CSV。
    审核后直接 chainmap import。
    """
    with store_for(db, create=False) as store:
        review = review_register(
            store, register, chain_id, min_confidence=min_confidence, default_province=province
        )
    out = out or register.with_name(f"{register.stem}-{chain_id}-审核.xlsx")
    write_review_workbook(
        out,
        review.register,
        review.matches,
        review.unmatched,
        review.problems,
        confident=confident,
        town_id=town,
        include_unmatched=include_unmatched,
    )
    found = review.register
    click.echo(f"已写出审核工作簿：{out}")
    click.echo(
        f"名录（{found.layout}）{len(found.firms)} 家：匹配到环节 {review.placed} 家"
        f"（{len(review.matches)} 条候选，其中预填“是” "
        f"{sum(m.confidence >= confident for m in review.matches)} 条），"
        f"未匹配 {len(review.unmatched)} 家"
    )
    for note in found.notes[:3]:
        click.echo(f"读取名录时：{note}")
    if len(found.notes) > 3:
        click.echo(f"……读取说明共 {len(found.notes)} 条，见工作簿“说明”页")
    if found.skipped_closed:
        click.echo(f"跳过已注销、吊销的企业 {found.skipped_closed} 家")
    if found.unknown_place:
        click.echo(f"省份不详、记为“未知”的企业 {found.unknown_place} 家（可用 --province 指定）")
    if review.problems:
        click.echo(f"需人工核对 {len(review.problems)} 处，见工作簿“问题”页")
    click.echo(
        "下一步：在“企业环节”页把对的行“审核”改为“是”、不对的改为“否”（空白为待审核，导入时跳过），"
        f"然后 chainmap import {out}"
    )
