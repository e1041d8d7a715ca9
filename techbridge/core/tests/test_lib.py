"""Pure helpers: credit codes (with the validator's messages), patent identifiers, Chinese tokenisation."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from techbridge.lib import credit_code, patents, text
from techbridge.organizations.validators import validate_credit_code

CJK = re.compile(r"[\u4e00-\u9fff]")


def valid_code(body: str = "91320115MA1MXXXX0") -> str:
    return body + credit_code.check_character(body)


# ---- credit codes --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "code",
    [
        "91350100M000100Y43",  # a real-world code from GB 32100 examples
        valid_code(),
        valid_code("12320000466007212"),
    ],
)
def test_valid_credit_codes(code):
    assert credit_code.problem(code) is None
    assert credit_code.is_valid(code)
    validate_credit_code(code)


def test_typed_spaces_dashes_and_lower_case_are_accepted():
    code = valid_code()
    typed = f" {code[:6].lower()} - {code[6:12]} {code[12:]} "
    assert credit_code.normalise(typed) == code
    assert credit_code.is_valid(typed)
    validate_credit_code(typed)


@pytest.mark.parametrize(
    ("code", "problem", "english"),
    [
        ("9132011", "length", "exactly 18 characters"),
        ("", "length", "exactly 18 characters"),
        (valid_code() + "1", "length", "exactly 18 characters"),
        ("91320115MA1MXXXXOI", "characters", "except I, O, Z, S and V"),
        ("9132011SMA1MXXXX0Z", "characters", "except I, O, Z, S and V"),
        ("91320115MA1MXXXX0" + "?", "characters", "except I, O, Z, S and V"),
        ("91350100M000100Y44", "check", "check character"),
    ],
)
def test_invalid_credit_codes_say_what_is_wrong(code, problem, english):
    assert credit_code.problem(credit_code.normalise(code)) == problem
    assert not credit_code.is_valid(code)
    with translation.override("en"):
        with pytest.raises(ValidationError) as exc:
            validate_credit_code(code)
        # The messages are lazy: they are read while English is still active.
        assert english in exc.value.messages[0]
    assert exc.value.code == f"credit_code_{problem}"


@pytest.mark.parametrize(
    ("problem_code", "chinese"),
    [
        ("9132011", "统一社会信用代码应为 18 位"),
        ("91320115MA1MXXXXOI", "不含 I、O、Z、S、V"),
        ("91350100M000100Y44", "校验码不正确"),
    ],
)
def test_credit_code_messages_in_chinese_when_translated(problem_code, chinese):
    with translation.override("zh-hans"):
        with pytest.raises(ValidationError) as zh:
            validate_credit_code(problem_code)
        message = zh.value.messages[0]
    assert chinese in message
    assert CJK.search(message)


def test_each_problem_has_its_own_message():
    messages = set()
    for code in ["913", "91320115MA1MXXXXOI", "91350100M000100Y44"]:
        with translation.override("en"):
            with pytest.raises(ValidationError) as exc:
                validate_credit_code(code)
            messages.add(exc.value.messages[0])
    assert len(messages) == 3


@pytest.mark.django_db
def test_organisation_full_clean_uses_the_validator():
    from techbridge.organizations.choices import OrgKind
    from techbridge.organizations.models import Organization

    org = Organization(name="校验测试公司", kind=OrgKind.ENTERPRISE, credit_code="91350100M000100Y44")
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        org.full_clean()
    assert [e.code for e in exc.value.error_dict["credit_code"]] == ["credit_code_check"]


def test_check_character_is_always_in_the_alphabet():
    for body in ["00000000000000000", "YYYYYYYYYYYYYYYYY", "91320115MA1MXXXX0"]:
        assert credit_code.check_character(body) in credit_code.ALPHABET


# ---- patents -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "code", ["H04L", "G06F 16/35", "A61K31/00", "g06f 16/35", "  H01M   10/0525 ", "B82Y"]
)
def test_valid_ipc_codes(code):
    assert patents.is_ipc(code)


@pytest.mark.parametrize(
    "code", ["", "I01A", "Z99Z", "H4L", "H04", "G06F16", "G06F 16/", "G06F /35", "H04L 12345/1"]
)
def test_invalid_ipc_codes(code):
    assert not patents.is_ipc(code)


def test_ipc_normalisation():
    assert patents.normalise_ipc("  g06f    16/35 ") == "G06F 16/35"


@pytest.mark.parametrize(
    "number",
    [
        "CN202223220665.2",
        "CN218751475U",
        "ZL201010123456.7",
        "cn218751475u",
        "CN 2182 51475 U",
        "CN102345678B",
    ],
)
def test_valid_patent_numbers(number):
    assert patents.is_patent_number(number)


@pytest.mark.parametrize(
    "number",
    ["", "US1234567B2", "CN123", "CN2022232", "2022232206652", "CN202223220665.", "ZL专利", "CN-2022"],
)
def test_invalid_patent_numbers(number):
    assert not patents.is_patent_number(number)


# ---- Chinese text --------------------------------------------------------------------------------


def test_index_tokens_include_sub_words_and_drop_stopwords_and_punctuation():
    tokens = text.index_tokens("一种高效锂离子电池隔膜的制备方法，提高AI电池安全性。")
    assert {"锂离子", "离子", "电池", "隔膜", "制备", "安全性", "ai"} <= set(tokens)
    assert not {"的", "一种", "方法", "，", "。"} & set(tokens)
    assert all(t == t.lower() for t in tokens)


def test_index_tokens_search_mode_splits_long_words():
    tokens = text.index_tokens("中华人民共和国")
    assert "中华人民共和国" in tokens and {"中华", "人民", "共和国"} <= set(tokens)


def test_query_tokens_are_unique_ordered_and_capped():
    assert text.query_tokens("锂离子电池 隔膜 锂离子电池") == ["锂离子", "电池", "隔膜"]
    long_query = " ".join(f"词{i}" for i in range(100))
    assert len(text.query_tokens(long_query)) <= 32
    assert len(text.query_tokens(long_query, limit=5)) == 5


@pytest.mark.parametrize("query", ["", "   ", "的 了 和 与", "，。！？、；：", "🔋🔋", "\"'()*:^-+"])
def test_queries_without_words_give_no_tokens(query):
    assert text.query_tokens(query) == []


def test_emoji_and_symbols_are_dropped_but_words_kept():
    assert text.query_tokens("🔋储能🔋") == ["储能"]
    assert text.index_tokens("石墨烯™ 导热膜®") == [t for t in text.index_tokens("石墨烯 导热膜")]


def test_domain_terms_are_indexed_whole():
    term = "钙钛矿叠层电池"
    text.add_words([term, "x", "  "])  # too short or empty terms are ignored
    tokens = text.index_tokens(f"高效{term}制备")
    assert term in tokens
    assert tokens.count(term) == 1


def test_adding_a_domain_term_does_not_change_how_other_words_are_cut():
    before_index, before_query = text.index_tokens("高分子隔膜材料"), text.query_tokens("隔膜材料")
    text.add_words(["膜材料"])
    after_index = text.index_tokens("高分子隔膜材料")
    assert after_index[: len(before_index)] == before_index  # jieba's own tokens are unchanged
    assert "膜材料" in after_index  # and the domain term is added whole
    assert text.query_tokens("隔膜材料") == before_query  # queries match old and new documents alike


def test_long_text_is_tokenised():
    tokens = text.query_tokens("锂电池隔膜" * 5000)
    assert tokens and len(tokens) <= 32


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (
            "锂电池，隔膜;储能；新能源、电池/材料\n光伏|风电,,",
            ["锂电池", "隔膜", "储能", "新能源", "电池", "材料", "光伏", "风电"],
        ),
        ("", []),
        (None, []),
        (" 单个 ", ["单个"]),
    ],
)
def test_split_list(value, expected):
    assert text.split_list(value) == expected


# ---- lib speaks no HTTP; downloads live in core ------------------------------------------------------


def test_lib_builds_no_http_responses():
    """``lib`` makes bytes and values; serving them (``HttpResponse``) is ``core.downloads``' job."""
    import ast
    from pathlib import Path

    import techbridge.lib

    offenders = []
    for path in Path(techbridge.lib.__file__).parent.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        typing_only = {
            id(n)
            for node in ast.walk(tree)
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)
            for n in ast.walk(node)
        }
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("django.http"):
                if id(node) not in typing_only:
                    offenders.append(f"{path.name}:{node.lineno}")
    assert not offenders, offenders


def test_downloads_name_files_in_chinese_with_an_ascii_fallback():
    from techbridge.core.downloads import pdf_response, xlsx_response
    from techbridge.lib.xlsx import Sheet

    pdf = pdf_response(b"%PDF-1.7", "技术合同.pdf", inline=True)
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"] == (
        "inline; filename=\".pdf\"; filename*=UTF-8''%E6%8A%80%E6%9C%AF%E5%90%88%E5%90%8C.pdf"
    )
    sheet = xlsx_response([Sheet("目录", ["名称"], [["隔膜"]])], "目录.xlsx")
    assert sheet["Content-Disposition"].startswith('attachment; filename=".xlsx"; filename*=UTF-8')
    assert sheet.content[:2] == b"PK"  # a zip container, as every .xlsx is
