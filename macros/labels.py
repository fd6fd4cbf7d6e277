"""Fixed interface wording in both languages (not data: it never comes from a pull request's YAML)."""
from __future__ import annotations

LABELS: dict[str, dict[str, str]] = {
    "programmes": {"zh": "项目", "en": "Programmes"},
    "programmes_index": {"zh": "项目总览", "en": "All programmes"},
    "glossary": {"zh": "术语表", "en": "Glossary"},
    "sources": {"zh": "原始文献", "en": "Source documents"},
    "summary": {"zh": "概要", "en": "Summary"},
    "purpose": {"zh": "目的", "en": "What it is for"},
    "organisers": {"zh": "组织实施", "en": "Who runs it"},
    "beneficiaries": {"zh": "受益对象", "en": "Who benefits"},
    "how_it_runs": {"zh": "如何开展", "en": "How it runs"},
    "quotations": {"zh": "原文摘录", "en": "Quotations"},
    "related": {"zh": "相关项目与术语", "en": "Related programmes and terms"},
    "cited_sources": {"zh": "本页引用的文献", "en": "Documents cited on this page"},
    "text": {"zh": "正文", "en": "Text"},
    "metadata": {"zh": "文献信息", "en": "About this document"},
    "level": {"zh": "层级", "en": "Level"},
    "body": {"zh": "组织者", "en": "Body"},
    "category": {"zh": "类别", "en": "Category"},
    "aliases": {"zh": "又称", "en": "Also called"},
    "chinese_name": {"zh": "中文名", "en": "Chinese name"},
    "english_name": {"zh": "英文名", "en": "English name"},
    "english_own": {"zh": "本手册译名", "en": "the handbook's translation"},
    "english_official": {"zh": "官方译名，来源", "en": "official rendering, source"},
    "translation": {"zh": "译文", "en": "Translation (the handbook's)"},
    "paragraph": {"zh": "第{n}段", "en": "para. {n}"},
    "title_original": {"zh": "原题", "en": "Original title"},
    "issuer": {"zh": "发文或讲话", "en": "Issued or delivered by"},
    "speaker": {"zh": "讲话人", "en": "Speaker"},
    "place": {"zh": "地点", "en": "Place"},
    "date": {"zh": "日期", "en": "Date"},
    "undated": {"zh": "原文未注明", "en": "not given in the text"},
    "doc_number": {"zh": "文号", "en": "Document number"},
    "script": {"zh": "字体", "en": "Script"},
    "simplified": {"zh": "简体", "en": "Simplified Chinese"},
    "traditional": {"zh": "繁体（照原文）", "en": "Traditional Chinese (as in the copy)"},
    "masking": {"zh": "遮蔽说明", "en": "Masked text"},
    "notes": {"zh": "说明", "en": "Notes"},
    "excerpt": {"zh": "现存文本不完整", "en": "The surviving text is incomplete"},
    "cited_by": {"zh": "引用此文献的项目", "en": "Programmes citing this document"},
    "paragraphs": {"zh": "段落数", "en": "Paragraphs"},
    "definition": {"zh": "释义", "en": "Definition"},
    "see_also": {"zh": "参见", "en": "See also"},
    "in_programmes": {"zh": "相关项目", "en": "Programmes"},
    "text_language_note": {"zh": "", "en": "The text is given in the original Chinese, as the copy has it."},
    "kind.work-plan": {"zh": "工作计划", "en": "Work plan"},
    "kind.speech": {"zh": "讲话", "en": "Speech"},
    "kind.guidance": {"zh": "指导意见", "en": "Guidance"},
    "kind.activity-plan": {"zh": "活动方案", "en": "Activity plan"},
    "none": {"zh": "无", "en": "none"},
    "references": {"zh": "外部参考资料", "en": "External references"},
    "references_intro": {"zh": "九份原始文献以外的公开资料。官方英文译名和来源以外的事实（年份、发起单位）均引自这里，每条注明它支持什么。",
                         "en": "Public sources outside the nine primary documents. Official English names and facts beyond the documents (years, launching bodies) are cited from here; each entry says what it supports."},
}

HTML_LANG = {"zh": "zh-Hans", "en": "en"}
SCRIPT_LANG = {"simplified": "zh-Hans", "traditional": "zh-Hant"}


def label(key: str, lang: str, **values: object) -> str:
    text = LABELS[key][lang]
    return text.format(**values) if values else text
