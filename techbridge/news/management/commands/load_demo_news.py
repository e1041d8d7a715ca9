"""Publish the demo's notices and news (idempotent), so the news pages are not empty in ``make demo``.

    python manage.py load_demo_news

Runs after ``demo_accounts``: the demo operator writes and publishes through the services. The policy
explanation is the real text of the Nanjing action plan (``data/demo/action_plan_nanjing_tech_transfer.txt``),
set as Markdown with its headings; the notice and the activity preview are written for demonstration and
titled 示例·, like the demo events. All are tagged as demo data.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from ...choices import Section
from ...models import Article
from ...services import create_article, publish, set_pinned

PLAN = Path(settings.BASE_DIR) / "data" / "demo" / "action_plan_nanjing_tech_transfer.txt"

WRITTEN: list[dict[str, Any]] = [
    {
        "section": Section.NOTICE,
        "title": "示例·关于在平台办理技术合同认定登记的通知",
        "summary": "技术合同可在平台在线起草、签订并提交认定登记，登记员审核后出具登记证明。",
        "source": "平台运营方（示例）",
        "body": (
            "各技术交易主体：\n\n"
            "平台已开通技术合同在线认定登记。技术开发、技术转让、技术许可、技术咨询和技术服务合同，"
            "可在洽谈室达成一致后在平台起草合同，双方签署后提交认定登记。\n\n"
            "## 办理要点\n\n"
            "- 合同双方应填写统一社会信用代码（自然人填写身份证件号码）；\n"
            "- 合同金额、支付方式和技术交易额应与合同文本一致；\n"
            "- 登记员在受理后审核，并出具技术合同登记证明。\n\n"
            "登记结果计入平台的技术合同统计。"
        ),
        "pinned": True,
    },
    {
        "section": Section.PREVIEW,
        "title": "示例·科技成果路演与技术需求对接活动预告",
        "summary": "近期的成果发布会、需求对接会和技术经理人培训，详见活动页面。",
        "source": "平台运营方（示例）",
        "body": (
            "平台将陆续举办科技成果发布、技术需求对接和技术经理人实务培训等线下活动。\n\n"
            "活动的时间、地点和报名方式见[活动](/events/)页面；报名后凭二维码电子票入场。"
        ),
        "pinned": False,
    },
]


def plan_markdown(text: str) -> tuple[str, str, str]:
    """The plan's title, first paragraph and body as Markdown (its 一、 and （一） headings kept)."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    title, rest = lines[0], lines[1:]
    out = []
    for line in rest:
        if re.match(r"^[一二三四五六七八九十]+、", line):
            out.append(f"## {line}")
        elif re.match(r"^[（(][一二三四五六七八九十]+[）)]", line):
            out.append(f"### {line}")
        else:
            out.append(line)
    return title, rest[0], "\n\n".join(out)


class Command(BaseCommand):
    help = "Publish the demo's notices and news (the action plan and two examples); safe to run again."

    def handle(self, *args: Any, **options: Any) -> None:
        operator = get_user_model().objects.filter(username="operator").first()
        if operator is None:
            raise CommandError("Run demo_accounts first: the demo operator publishes the articles.")
        title, first, body = plan_markdown(PLAN.read_text(encoding="utf-8"))
        items = [
            {
                "section": Section.POLICY,
                "title": f"政策解读：{title}",
                "summary": first[:480],
                "source": "南京市人民政府",
                "body": body,
                "pinned": True,
            },
            *WRITTEN,
        ]
        made = 0
        for item in items:
            if Article.objects.filter(title=item["title"], is_demo=True).exists():
                continue
            data = {k: v for k, v in item.items() if k != "pinned"}
            article = create_article(actor=operator, data=data, is_demo=True)
            publish(article, actor=operator)
            if item["pinned"]:
                set_pinned(article, actor=operator, pinned=True)
            made += 1
        self.stdout.write(f"Demo notices and news: {made} published, {len(items) - made} already there.")
