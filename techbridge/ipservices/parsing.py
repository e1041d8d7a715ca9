"""Reading the words of patent database exports: patent type, legal status, region, applicant type.

Pure functions; the importer and the staff forms use the same ones. Unknown words return ``None`` so
the caller can refuse the row with the column's name.
"""

from __future__ import annotations

import datetime as dt
import re

from techbridge.organizations.choices import District

from .choices import ApplicantType, LegalStatus, PatentKind

_KIND_WORDS = (
    ("外观", PatentKind.DESIGN),
    ("实用新型", PatentKind.UTILITY_MODEL),
    ("发明", PatentKind.INVENTION),
    ("design", PatentKind.DESIGN),
    ("utility", PatentKind.UTILITY_MODEL),
    ("invention", PatentKind.INVENTION),
)

# Checked in this order: the first rule whose word occurs wins ("无权-期限届满" is expired, not lapsed).
_STATUS_WORDS = (
    (("全部无效", "无效宣告", "无效", "invalidated"), LegalStatus.INVALIDATED),
    (("期限届满", "届满", "expired"), LegalStatus.EXPIRED),
    (
        ("未缴年费", "避免重复授权放弃", "放弃", "驳回", "撤回", "终止", "失效", "无权", "lapsed"),
        LegalStatus.LAPSED,
    ),
    (("有权", "授权", "权利恢复", "granted"), LegalStatus.GRANTED),
    (("审中", "实质审查", "实审", "公开", "受理", "pending"), LegalStatus.PENDING),
)

_APPLICANT_WORDS = (
    (("大学", "学院", "学校"), ApplicantType.UNIVERSITY),
    (("研究院", "研究所", "研究中心", "科学院", "实验室", "科研"), ApplicantType.INSTITUTE),
    (("公司", "企业", "厂", "集团", "株式会社", "有限"), ApplicantType.ENTERPRISE),
    (("医院", "政府", "管理局", "委员会", "中心", "机关", "部队"), ApplicantType.GOVERNMENT),
    (("个人",), ApplicantType.INDIVIDUAL),
)

# Nanjing's districts in addresses; the zones first (an address in 江北新区 also names 浦口 or 六合).
_DISTRICT_WORDS = (
    ("江北新区", District.JIANGBEI),
    ("高新技术产业开发区", District.HIGHTECH),
    ("高新区", District.HIGHTECH),
    ("玄武", District.XUANWU),
    ("秦淮", District.QINHUAI),
    ("建邺", District.JIANYE),
    ("鼓楼", District.GULOU),
    ("浦口", District.PUKOU),
    ("栖霞", District.QIXIA),
    ("雨花台", District.YUHUATAI),
    ("江宁", District.JIANGNING),
    ("六合", District.LUHE),
    ("溧水", District.LISHUI),
    ("高淳", District.GAOCHUN),
)

# GB/T 2260 province codes (the 国省代码 of CNIPA exports, e.g. 江苏(32)).
PROVINCES = {
    "11": "北京", "12": "天津", "13": "河北", "14": "山西", "15": "内蒙古", "21": "辽宁", "22": "吉林",
    "23": "黑龙江", "31": "上海", "32": "江苏", "33": "浙江", "34": "安徽", "35": "福建", "36": "江西",
    "37": "山东", "41": "河南", "42": "湖北", "43": "湖南", "44": "广东", "45": "广西", "46": "海南",
    "50": "重庆", "51": "四川", "52": "贵州", "53": "云南", "54": "西藏", "61": "陕西", "62": "甘肃",
    "63": "青海", "64": "宁夏", "65": "新疆", "71": "台湾", "81": "香港", "82": "澳门",
}  # fmt: skip
_PROVINCE_NAMES = sorted(PROVINCES.values(), key=len, reverse=True)


def patent_kind(word: str) -> str | None:
    """``发明公开``, ``发明授权``, ``实用新型``, ``外观设计`` (or the English values) → a ``PatentKind``."""
    text = (word or "").strip().lower()
    if not text:
        return None
    if text in PatentKind.values:
        return text
    for needle, kind in _KIND_WORDS:
        if needle in text:
            return kind
    return None


def legal_status(word: str) -> str | None:
    """``有权-审定授权``, ``审中-实质审查``, ``无权-未缴年费``, ``无权-期限届满`` … → a ``LegalStatus``."""
    text = (word or "").strip().lower()
    if not text:
        return None
    if text in LegalStatus.values:
        return text
    for needles, status in _STATUS_WORDS:
        if any(n in text for n in needles):
            return status
    return None


def applicant_type(word: str, name: str = "") -> str:
    """The applicant type a database states (``科研机构``, ``企业``, ``大专院校``, ``个人``), else guessed
    from the applicant's name; ``other`` when neither says."""
    text = (word or "").strip()
    stated = {
        "企业": ApplicantType.ENTERPRISE,
        "公司": ApplicantType.ENTERPRISE,
        "大专院校": ApplicantType.UNIVERSITY,
        "高校": ApplicantType.UNIVERSITY,
        "院校": ApplicantType.UNIVERSITY,
        "科研机构": ApplicantType.INSTITUTE,
        "科研单位": ApplicantType.INSTITUTE,
        "个人": ApplicantType.INDIVIDUAL,
        "机关团体": ApplicantType.GOVERNMENT,
        "机关": ApplicantType.GOVERNMENT,
    }
    if text in ApplicantType.values:
        return text
    if text in stated:
        return stated[text]
    for needles, kind in _APPLICANT_WORDS:
        if any(n in name for n in needles):
            return kind
    if name and 2 <= len(name) <= 4 and re.fullmatch(r"[\u4e00-\u9fff·]+", name):
        return ApplicantType.INDIVIDUAL
    return ApplicantType.OTHER


def province_of(code_text: str, address: str = "") -> str:
    """The province (or country) of the first applicant: ``江苏(32)`` → ``江苏``; else from the address."""
    text = (code_text or "").strip()
    match = re.search(r"\((\d{2})\)|（(\d{2})）", text)
    if match:
        code = match.group(1) or match.group(2)
        if code in PROVINCES:
            return PROVINCES[code]
    name = re.sub(r"[(（].*$", "", text).strip()
    if name:
        return name[:16]
    for province in _PROVINCE_NAMES:
        if province in (address or ""):
            return province
    return ""


def city_of(address: str) -> str:
    """The city of an address (``…江苏省南京市江宁区…`` → ``南京``); empty when it names none."""
    text = address or ""
    match = re.search(r"(?:省|自治区)\s*([\u4e00-\u9fff]{2,6}?)市", text) or re.search(
        r"(?:^|[\d\s])([\u4e00-\u9fff]{2,4}?)市", text
    )
    if match:
        return match.group(1)
    for municipality in ("北京", "上海", "天津", "重庆"):
        if (address or "").lstrip("0123456789 ").startswith(municipality):
            return municipality
    return ""


def nanjing_district(address: str) -> str:
    """The Nanjing district or zone of an address in Nanjing; empty when it names none."""
    if "南京" not in (address or ""):
        return ""
    for needle, district in _DISTRICT_WORDS:
        if needle in address:
            return district
    return ""


def date_value(value: object) -> dt.date | None:
    """Dates as exports write them: ``20221202`` (a number or text), ``2022-12-02``, ``2022.12.02``."""
    if value in (None, "", 0, "0"):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    if isinstance(value, float) and value.is_integer():
        text = str(int(value))
    match = re.fullmatch(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:\s.*)?", text) or re.fullmatch(
        r"(\d{4})(\d{2})(\d{2})", text
    )
    if not match:
        raise ValueError(text)
    return dt.date(*(int(g) for g in match.groups()))


def split_names(text: str, limit: int = 50) -> list[str]:
    """Applicants or inventors written ``a;b;c`` (or with ；、,): stripped, unique, at most ``limit``."""
    out: list[str] = []
    for part in re.split(r"[;；、,，\n]+", text or ""):
        name = part.strip()
        if name and name not in out:
            out.append(name)
    return out[:limit]


def ipc_codes(text: str, limit: int = 40) -> list[str]:
    """IPC codes of ``B64U20/80;B64U101/30`` in one spelling (``B64U 20/80``), unique, at most ``limit``."""
    out: list[str] = []
    for part in re.split(r"[;；,，、|\s]+(?=[A-Ha-h]\d{2}[A-Za-z])", (text or "").strip()):
        code = part.strip().upper().replace(" ", "")
        match = re.fullmatch(r"([A-H]\d{2}[A-Z])(?:(\d{1,4})/(\d{1,6}))?", code)
        if not match:
            if code:
                raise ValueError(part.strip())
            continue
        spelled = match.group(1) + (f" {match.group(2)}/{match.group(3)}" if match.group(2) else "")
        if spelled not in out:
            out.append(spelled)
    return out[:limit]


def main_group(code: str) -> str:
    """The main group of an IPC code: ``H02J 3/38`` → ``H02J 3/00``; a bare subclass stays as it is."""
    match = re.fullmatch(r"([A-H]\d{2}[A-Z]) (\d{1,4})/\d+", code or "")
    return f"{match.group(1)} {match.group(2)}/00" if match else (code or "")[:4]
