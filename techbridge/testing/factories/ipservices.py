"""Factories of ipservices: register patents (saved through the model, so the term is computed),
IP service providers (``make_provider`` for the cast's service institution, ``make_centre`` for the
assistance centre) and the products an enterprise watches."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import factory

from techbridge.ipservices.choices import LegalStatus, PatentKind
from techbridge.ipservices.models import Patent, ServiceProvider, WatchedProduct
from techbridge.organizations.choices import District, OrgKind

from .organizations import OrganizationFactory, credit_code


class PatentFactory(factory.django.DjangoModelFactory):
    """A granted invention patent of a Nanjing applicant, filed in 2020."""

    class Meta:
        model = Patent

    application_number = factory.Sequence(lambda n: f"CN2020100{n:05d}.{n % 10}")
    publication_number = factory.Sequence(lambda n: f"CN11{n:07d}A")
    title = factory.Sequence(lambda n: f"一种配电网故障定位方法{n}")
    kind = PatentKind.INVENTION
    legal_status = LegalStatus.GRANTED
    filing_date = dt.date(2020, 3, 5)
    grant_date = dt.date(2022, 6, 1)
    applicants = "南京示范电力科技有限公司"
    first_applicant = "南京示范电力科技有限公司"
    applicant_type = "enterprise"
    applicant_address = "210000 江苏省南京市江宁区秣陵街道"
    province = "江苏"
    city = "南京"
    district = "jiangning"
    ipc_main = "H02J 3/00"
    ipc_subclass = "H02J"
    ipc_main_group = "H02J 3/00"
    ipc_codes = "H02J 3/00；G01R 31/08"
    abstract = "本发明公开了一种配电网故障定位方法，采集馈线终端的零序电流，判断接地故障区段。"
    claims = (
        "1.一种配电网故障定位方法，其特征在于，包括：采集馈线终端的零序电流；根据零序电流判断接地故障区段。"
    )


class ServiceProviderFactory(factory.django.DjangoModelFactory):
    """An IP service institution of a new service organisation, taking analysis and assistance requests."""

    class Meta:
        model = ServiceProvider

    organization = factory.SubFactory(OrganizationFactory, kind=OrgKind.SERVICE)
    role = "institution"


def make_provider(cast: Any, **extra: Any):
    """The cast's service institution (示范技术转移中心) as an IP service provider."""
    return ServiceProviderFactory(organization=cast.service, **extra)


def make_centre():
    """南京市知识产权维权援助中心 (a public body) as the assistance centre; it takes no analysis requests."""
    org = OrganizationFactory(
        name="南京市知识产权维权援助中心",
        kind=OrgKind.GOVERNMENT,
        credit_code=credit_code(9, prefix="12320100MB"),
        district=District.JIANYE,
    )
    return ServiceProviderFactory(organization=org, role="centre", offers_analysis=False)


class WatchedProductFactory(factory.django.DjangoModelFactory):
    """A distribution-grid product of a new enterprise, described in its own words; pass
    ``organization=cast.enterprise`` for the cast's enterprise."""

    class Meta:
        model = WatchedProduct

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"配电终端{n}")
    description = "馈线终端，采集零序电流，判断接地故障区段。"


SAMPLE = Path("/work/shared/data/cn_patent_records_sample/patent_records.jsonl")


def sample_records() -> list[dict]:
    """The real CNIPA-style sample records: /work/shared/data, else the copy in the repository's data/."""
    from django.conf import settings

    path = (
        SAMPLE
        if SAMPLE.is_file()
        else Path(settings.BASE_DIR) / "data" / "cn_patent_records_sample" / "patent_records.jsonl"
    )
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


# A product as an enterprise describes it (its own words, not a patent's).
DRONE_BOX = {
    "name": "无人机挂载数据盒",
    "description": (
        "我们生产挂在无人机下面的多功能数据盒：盒内有CPU主板和4G/5G通信模块，带扩展接口，可以接各种采集设备，"
        "飞行数据直接传到云服务器实时分析；内外两层盒子之间有减震结构。"
    ),
    "keywords": "无人机；数据盒；4G/5G",
    "ipc_codes": "B64U",
}


TOPICS = ["储能", "微电网", "故障定位", "负荷预测", "变压器", "继电保护"]


def make_grid_patents():
    """Smart-grid patents over six years in Nanjing, Suzhou and Beijing, and two patents of other fields."""
    made = []
    for i in range(36):
        year = 2017 + i % 6
        city, province, district = [
            ("南京", "江苏", "jiangning"),
            ("苏州", "江苏", ""),
            ("北京", "北京", ""),
        ][i % 3]
        topic = TOPICS[i % 6] if year < 2020 else "储能" if i % 2 else "虚拟电厂"
        made.append(
            PatentFactory(
                title=f"一种基于{topic}的配电网控制方法{i}",
                filing_date=dt.date(year, 1 + i % 12, 10),
                grant_date=dt.date(year + 2, 3, 1) if i % 4 else None,
                legal_status="granted" if i % 4 else "pending",
                first_applicant=["国网江苏电力", "东南大学", "南瑞集团"][i % 3],
                applicants=["国网江苏电力", "东南大学", "南瑞集团"][i % 3],
                applicant_type=["enterprise", "university", "enterprise"][i % 3],
                city=city,
                province=province,
                district=district,
                ipc_codes="H02J 3/32" if i % 2 else "G01R 31/08",
                ipc_main="H02J 3/32" if i % 2 else "G01R 31/08",
                ipc_subclass="H02J" if i % 2 else "G01R",
                ipc_main_group="H02J 3/00" if i % 2 else "G01R 31/00",
            )
        )
    PatentFactory(
        title="一种茶叶杀青机", ipc_codes="A23F 3/06", ipc_main="A23F 3/06", abstract="茶叶加工设备。"
    )
    PatentFactory(
        title="一种电池壳体", ipc_codes="G01R 310/00", ipc_main="G01R 310/00", abstract="电池外壳。"
    )
    return made
