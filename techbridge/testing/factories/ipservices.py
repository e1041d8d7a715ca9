"""Factories of ipservices: register patents (saved through the model, so the term is computed)."""

from __future__ import annotations

import datetime as dt

import factory

from techbridge.ipservices.choices import LegalStatus, PatentKind
from techbridge.ipservices.models import Patent


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
