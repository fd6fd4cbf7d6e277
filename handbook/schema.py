"""JSON Schemas of the data files, generated from the models, for editors (completion, hover help, red squiggles).

`python -m handbook schema` writes schemas/<name>.schema.json; a test fails when they differ from what the
models generate. The help for every field lives here, in both languages: the schemas show it on hover and
`python -m handbook new` writes it above each field of a new file.
"""

from __future__ import annotations

import json
import typing
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, create_model

from .kinds import KINDS

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"  # the dialect pydantic generates

_CITE_HOW = (
    "写 source-id#pN（data/sources/ 中文件的第 N 段）或 data/references.yml 中的参考文献 id",
    "write source-id#pN (paragraph N of a document in data/sources/) or a reference id from data/references.yml",
)

# (Chinese, English) help per field: "Model.field" first, then the bare field name.
HELP: dict[str, tuple[str, str]] = {
    "EditionsFile.editions": (
        "本手册的各个版本，从旧到新；用 python -m handbook edition new 新增",
        "The handbook's editions, oldest first; python -m handbook edition new adds one",
    ),
    "EditionEntry.id": (
        '版本号：日期的年和月，如 "2026.12"；同月第二版为 "2026.12.2"（加引号）',
        'The edition\'s id: the year and month of its date, "2026.12"; a second one that month "2026.12.2" (quoted)',
    ),
    "EditionEntry.date": ("发布日期，YYYY-MM-DD，不早于上一版", "Its date, YYYY-MM-DD, not before the edition above"),
    "EditionEntry.summary": (
        "一句话说明这一版改了什么（中英文）",
        "One line on what this edition changed, in both languages",
    ),
    "EditionEntry.sha256": (
        "data/editions/<版本号>.jsonl 的 SHA-256，由 edition new 写入；已发布的版本不再改动",
        "The SHA-256 of data/editions/<id>.jsonl, written by edition new: a published edition does not change",
    ),
    "EditionEntry.notes": (
        "可选：某个条目为什么修改，一句话；键为 programmes/<编号> 等",
        "Optional: a sentence on why an entry changed, keyed programmes/<id> and the like",
    ),
    "zh": ("中文", "Chinese"),
    "en": ("英文", "English"),
    "cite": ("出处：" + _CITE_HOW[0], "Sources: " + _CITE_HOW[1]),
    "id": (
        "编号：小写字母、数字和连字符，与文件名相同",
        "Id: lower-case letters, digits and hyphens, the same as the file name",
    ),
    "Target.id": (
        "编号：小写字母、数字和连字符，在所有 targets 文件中唯一",
        "Id: lower-case letters, digits and hyphens, unique across all targets files",
    ),
    "Reference.id": (
        "编号：小写字母、数字和连字符；引用时写这个 id",
        "Id: lower-case letters, digits and hyphens; cite the reference by it",
    ),
    "Category.id": ("编号：小写字母、数字和连字符", "Id: lower-case letters, digits and hyphens"),
    "aliases": (
        "别名：来源文件和常见说法中的其他叫法，用于搜索",
        "Aliases: other names used in the sources or in practice, for search",
    ),
    "reviewed": (
        "最近一次对照出处核对的日期（YYYY-MM-DD）和核对人（角色或账号，不写个人信息）",
        "When the entry was last checked against its sources (YYYY-MM-DD) and by whom "
        "(a role or handle, no personal details)",
    ),
    "translation": (
        "留空；英文审校后记录当时中文的哈希（zh_hash），中文再改动时英文页会提示可能过时",
        "Leave empty; once the English is reviewed, record the hash of the Chinese (zh_hash) "
        "so later changes to the Chinese mark the English as possibly out of date",
    ),
    "open_questions": (
        "尚未查明或尚无出处的问题，每条中英文各一句；显示在待办页",
        "What is not known or not yet sourced, one sentence each in both languages; listed on the pending page",
    ),
    "level": ("层级", "Level"),
    "note": ("补充说明（可留空）", "A note (optional)"),
    "Text.zh": ("中文", "Chinese"),
    "Name.zh": ("中文名称", "Chinese name"),
    "Name.en": ("英文名称", "English name"),
    "Name.en_source": (
        "如英文名称是官方译名，写给出该译名的参考文献 id；本手册自译则留空",
        "Reference id of the public source giving the English as official; "
        "leave empty for the handbook's own translation",
    ),
    "Aliases.zh": ("中文别名列表", "Chinese aliases, a list"),
    "Aliases.en": ("英文别名列表", "English aliases, a list"),
    "Organiser.body": ("主办单位名称", "The organising body"),
    "Organiser.level": ("主办单位层级", "The organiser's level"),
    "Quote.source": (
        "引文出自的来源文件 id（data/sources/）",
        "Id of the source the quotation comes from (data/sources/)",
    ),
    "Quote.paragraph": (
        "引文所在段落的编号（即 .txt 文件的行号）",
        "Number of the paragraph holding it (the line of the .txt file)",
    ),
    "Quote.text": (
        "逐字照抄原文（繁体照录，标点照录）",
        "The words exactly as the source has them (Traditional stays Traditional)",
    ),
    "Quote.en": ("本手册的英译", "The handbook's English translation of the quotation"),
    "Reviewed.date": ('核对日期，加引号："YYYY-MM-DD"', 'Date checked, in quotes: "YYYY-MM-DD"'),
    "Reviewed.by": ("核对人：角色或账号", "Checked by: a role or handle"),
    "Translation.zh_hash": (
        "英文审校时中文的哈希（12 位十六进制）",
        "Hash of the Chinese when the English was reviewed (12 hex digits)",
    ),
    "Started.year": ("开始年份", "Year it began"),
    "Started.by": ("发起单位（可留空）", "Who began it (optional)"),
    "Programme.category": ("类别：data/categories.yml 中的一个 id", "Category: an id from data/categories.yml"),
    "Programme.name": ("项目名称", "The programme's name"),
    "Programme.summary": ("概述：这个项目是什么，两三句", "Summary: what the programme is, in two or three sentences"),
    "Programme.purpose": ("目的：来源文件所说的目的", "Purpose: what the sources say it is for"),
    "Programme.organisers": ("主办单位：每个单位及其层级和出处", "Organisers: each body, its level and its source"),
    "Programme.beneficiaries": ("受益对象：谁受益", "Beneficiaries: who benefits"),
    "Programme.how_it_runs": (
        "如何开展：每条一个做法，各附出处",
        "How it runs: one practice per item, each with its source",
    ),
    "Programme.related": ("相关项目的 id（data/programmes/）", "Ids of related programmes (data/programmes/)"),
    "Programme.terms": ("相关术语的 id（data/terms/）", "Ids of glossary terms (data/terms/)"),
    "Programme.laws": (
        "所依据的法律和政策文件的 id（data/laws/）",
        "Ids of the laws and policy documents it rests on (data/laws/)",
    ),
    "Programme.quotes": (
        "原文引语：source、paragraph、逐字照抄的 text 和英译 en；检查会逐字核对",
        "Quotations: source, paragraph, the exact text and its English; the check proves each word for word",
    ),
    "Programme.started": (
        "开始时间和发起单位，须有公开出处（可留空）",
        "When and by whom it began, from a public source (optional)",
    ),
    "Programme.background": (
        "来源文件以外的背景事实，每条引用 data/references.yml 中的参考文献",
        "Facts from outside the seeds, each citing a reference from data/references.yml",
    ),
    "Programme.first_named": (
        "首次命名或授予（首批、首次表彰），与发起时间分开，须有公开出处",
        "The first award or first named batch, kept apart from the launch, from a public source",
    ),
    "Programme.guide": (
        "办事指南：适用对象、服务内容、办理流程、时间、材料、设定依据、咨询方式；每条附出处和适用范围",
        "The guide: who, what, steps, when, materials, basis, where to ask; each item with its source and scope",
    ),
    "Started.contested": (
        "来源说法不一时，逐条列出每种说法及其出处（至少两条）",
        "Where sources disagree, each claim with its own source (two or more)",
    ),
    "Claim.year": ("该来源所说的年份", "The year this source gives"),
    "Claim.by": ("该来源所说的发起单位（可留空）", "Who this source says acted (optional)"),
    "Scope.level": (
        "适用层级：national、provincial、city、county、enterprise",
        "Level: national, provincial, city, county or enterprise",
    ),
    "Scope.place": ("省、市、县名；全国性规定不填", "The province, city or county; omit for a national rule"),
    "Scope.year": ("规定或做法所在文件的年份", "The year of the document that states it"),
    "GuideItem.scope": ("适用范围：层级、地方和年份", "Where and when it applies: level, place and year"),
    "GuideItem.months": (
        "本条写明的月份（7月写 7），用于项目列表的“本月重点”",
        "The months the statement names (7 for July), for the programme list's 'this month'",
    ),
    "Guide.who": ("适用对象与条件", "Who it is for, and the conditions"),
    "Guide.provides": ("服务内容与标准（有出处时写明金额）", "What is provided (amounts where a source states them)"),
    "Guide.steps": ("办理流程，按先后顺序，写明谁做什么", "The steps in order: who does what"),
    "Guide.when": ("办理时间：一年中的什么时候", "When in the year"),
    "Guide.materials": ("申请材料", "What to prepare"),
    "Guide.basis": ("设定依据：法律和文件，具体到条", "Policy basis: laws and documents, down to the article"),
    "Guide.contact": ("咨询方式（如12351服务热线，须有出处）", "Where to ask (e.g. the 12351 hotline, with a source)"),
    "Guide.open": (
        "每个没有公开出处的部分：尚不清楚什么",
        "For each section no public source fills: what is not known yet",
    ),
    "Basis.law": ("法律或文件的 id（data/laws/）", "Id of the law or document (data/laws/)"),
    "Basis.articles": (
        "条号，须在该法律条目的 articles 中引录",
        "Article numbers, each quoted in the law's own articles",
    ),
    "Law.doc_number": ("文号，年份用〔〕", "Document number (文号), the year in 〔〕"),
    "Law.status_checked": ("核对现行效力的日期", "When the status was last checked"),
    "Law.articles": (
        "本手册引用的条文：条号、逐字引文、英译和出处",
        "The articles the handbook cites: number, exact quotation, English and source",
    ),
    "Law.articles_note": ("条文序号所依据的版本", "Which version of the text the article numbers follow"),
    "Article.number": ("条号（阿拉伯数字）", "Article number (digits)"),
    "Article.quote": ("条文原文的简短逐字引文", "A short exact quotation of the article"),
    "Article.en": (
        "英译：有发布机关英文本时用之，否则为本手册译文",
        "English: the issuer's where known, else the handbook's",
    ),
    "Term.en_avoid": (
        "本手册不用的英文译法；检查会在所有英文中查找",
        "English renderings the handbook avoids; the check looks for them in all English",
    ),
    "Reference.published": ("网页或文件本身所载日期", "The date the page or document itself gives"),
    "Reference.english_by": (
        "网页英文由谁提供：acftu（全总自己的英文）、state（全国人大或国务院）、other（其他发布者）",
        "Whose English the page gives: acftu (the ACFTU's own), state (NPC or State Council), other",
    ),
    "Programme.keywords": (
        "检索用词：人们描述需要时会用的词（如 录取通知书、学杂费），只供检索，不作为又称显示",
        "Search words: how people describe the need (e.g. admission letter, school costs); searched, not shown",
    ),
    "Term.keywords": (
        "检索用词：人们描述需要时会用的词，只供检索，不作为又称显示",
        "Search words: how people describe the need; searched, not shown",
    ),
    "Synonym.words": ("人们输入的日常用词（中英文）", "What people type: everyday words, in either language"),
    "Synonym.means": (
        "这些词对应的本手册用语；检索时一并查找",
        "The handbook's words they stand for; search looks for these too",
    ),
    "Programme.former_ids": ("曾用 id；旧网址会跳转到这里", "Ids this entry had before; their URLs redirect here"),
    "Term.term": ("术语", "The term"),
    "Term.definition": ("释义：来源文件中的含义", "Definition: what it means in the sources"),
    "Term.related": (
        "所属项目的 id（data/programmes/）",
        "Ids of the programmes this term belongs to (data/programmes/)",
    ),
    "Term.see_also": ("其他相关术语的 id（data/terms/）", "Ids of other glossary terms (data/terms/)"),
    "Law.name": ("文件名称", "The document's name"),
    "Law.kind": ("文件类型", "Kind of document"),
    "Law.issuer": ("制定或发布机关", "The body that adopted or issued it"),
    "Law.adopted": (
        '通过日期，加引号："YYYY"、"YYYY-MM" 或 "YYYY-MM-DD"（可留空；填写则须有 dates_cite）',
        'Date adopted, in quotes: "YYYY", "YYYY-MM" or "YYYY-MM-DD" (optional; needs dates_cite)',
    ),
    "Law.effective": (
        "施行日期，加引号（可留空；填写则须有 dates_cite）",
        "Date in force, in quotes (optional; needs dates_cite)",
    ),
    "Law.amended": ("修正日期列表，各加引号", "Dates amended, a list, each in quotes"),
    "Law.status": ("效力状态（有出处才改；须有 dates_cite）", "Status (change it only with a source in dates_cite)"),
    "Law.status_note": ("效力状态说明（可留空）", "A note on the status (optional)"),
    "Law.dates_cite": ("日期和效力状态的出处：参考文献 id", "Sources for the dates and status: reference ids"),
    "Law.summary": ("来源文件怎样提到它", "What the sources say about it"),
    "Law.mentioned_in": ("提到它的来源段落：source-id#pN", "Source paragraphs that name it: source-id#pN"),
    "Target.programme": ("所属项目的 id（data/programmes/）", "Id of the programme (data/programmes/)"),
    "Target.kind": ("target 为目标，result 为已取得的结果", "target: a goal; result: what was achieved"),
    "Target.place": ("地方", "The place"),
    "Target.year": ("年份（可留空）", "Year (optional)"),
    "Target.indicator": ("指标：数的是什么", "Indicator: what is counted"),
    "Target.value": ("数值；原文遮蔽（X）时留空", "The number; leave empty where the source masks it (X)"),
    "Target.value_text": (
        "原文中数字的写法，逐字照抄，如 96%以上 或 X家以上",
        "The number exactly as the source writes it, e.g. 96%以上 or X家以上",
    ),
    "Target.unit": ("单位", "Unit"),
    "Target.cite": (
        "出处：写明数字所在的来源段落 source-id#pN",
        "Source: the paragraph that states the number, source-id#pN",
    ),
    "Source.seed": ("../shared/seeds/ 中逐字副本的文件名", "File name of the verbatim copy in ../shared/seeds/"),
    "Source.seed_spans": (
        '每段在种子文件中的位置：p1、p2……（.txt 的每行一项），如 "12"（第12行）、"25-26"（两行连接）、'
        '"86:1-86:41"（第86行第1至41字）；用 python -m handbook seed-spans 生成',
        'Where each paragraph is in the seed: p1, p2 … (one per line of the .txt), e.g. "12" (line 12), '
        '"25-26" (two lines joined), "86:1-86:41" (characters 1-41 of line 86); written by '
        "python -m handbook seed-spans",
    ),
    "Source.seed_omitted": (
        "文件中有意不收入正文的种子文字，各注明位置和理由（可留空）",
        "Seed text inside the document that the text leaves out, each with its span and a reason (optional)",
    ),
    "SeedOmission.span": (
        "不收入的种子文字的位置，写法同 seed_spans",
        "Where the text left out is, written as in seed_spans",
    ),
    "SeedOmission.reason": ("不收入的理由，如 网页页脚", "Why it is left out, e.g. a web page's footer"),
    "Source.kind": ("文件类型", "Kind of document"),
    "Source.short": ("引用时用的简称，如 新乡县 2015", "A short label for citations, e.g. 新乡县 2015"),
    "Source.title": ("标题", "Title"),
    "Source.title_original": ("原文标题，逐字照录（可留空）", "The title exactly as the document writes it (optional)"),
    "Source.issuer": ("发文单位", "Issuer"),
    "Source.place": ("地方", "Place"),
    "Source.date": (
        '日期，加引号："YYYY"、"YYYY-MM" 或 "YYYY-MM-DD"（可留空）',
        'Date, in quotes: "YYYY", "YYYY-MM" or "YYYY-MM-DD" (optional)',
    ),
    "Source.date_note": ("日期说明（可留空）", "A note on the date (optional)"),
    "Source.doc_number": (
        "文号，年份用〔〕，如 新工字〔2015〕14号（可留空）",
        "Document number, year in 〔〕, e.g. 新工字〔2015〕14号 (optional)",
    ),
    "Source.speaker": ("讲话人（讲话稿；可留空）", "Speaker (speeches; optional)"),
    "Source.script": ("文字：简体或繁体，照原文", "Script: Simplified or Traditional, as the document has it"),
    "Source.masking": (
        "原文遮蔽了什么（XX、***、X）及其影响（可留空）",
        "What the text masks (XX, ***, X) and why that matters (optional)",
    ),
    "Source.notes": ("其他说明（可留空）", "Other notes (optional)"),
    "Source.excerpt": ("副本不完整时写 true", "true where the copy is incomplete"),
    "Reference.title": ("标题", "Title"),
    "Reference.publisher": ("发布者", "Publisher"),
    "Reference.url": ("网址（http:// 或 https://）", "Address (http:// or https://)"),
    "Reference.archived_url": ("网页存档副本的网址（可留空）", "Address of a copy in a web archive (optional)"),
    "Reference.accessed": ("访问日期，加引号", "Date accessed, in quotes"),
    "targets": ("数字目标与结果，每项一个", "The numeric targets and results, one item each"),
    "references": ("公开参考文献，每项一个", "The public references, one item each"),
    "categories": ("项目类别，按显示顺序", "The programme categories, in the order shown"),
    "synonyms": ("检索同义词，每项一组", "Search synonyms, one group each"),
    "Category.name": ("类别名称", "Category name"),
    "Category.description": ("类别说明", "Description"),
}


def field_help(model: type[BaseModel], name: str) -> tuple[str, str]:
    """(Chinese, English) help for one field of a model."""
    found = HELP.get(f"{model.__name__}.{name}") or HELP.get(name)
    if found is None:
        raise KeyError(f"no help for {model.__name__}.{name}: add it to handbook/schema.py HELP")
    return found


def schema_files() -> dict[str, tuple[str, type[BaseModel]]]:
    """Schema name -> (the data files it describes, as a glob under the project, the model of one file)."""
    from .editions import EDITIONS_FILE, EditionsFile

    files = {
        kind.schema: (f"data/{kind.files}", _list_file_model(kind.plural, kind.model) if kind.list_file else kind.model)
        for kind in KINDS
    }
    return {**files, "editions": (EDITIONS_FILE, EditionsFile)}


def _list_file_model(list_name: str, item: type[BaseModel]) -> type[BaseModel]:
    """A list file holds one key whose value is the list of items."""
    fields: dict[str, Any] = {list_name: (list[item], ...)}  # type: ignore[valid-type]  # a model made at run time
    model = create_model(f"{list_name.title()}File", __config__=ConfigDict(extra="forbid"), **fields)
    model.__doc__ = f"A file holding '{list_name}:', a list of {item.__name__} items."
    return model


def generate() -> dict[str, dict[str, Any]]:
    """Every schema, by name, with the bilingual help as each property's description."""
    schemas = {}
    for name, (_, model) in schema_files().items():
        schema = model.model_json_schema()
        models = _models_under(model)
        _describe(schema, model)
        for def_name, definition in schema.get("$defs", {}).items():
            _describe(definition, models[def_name])
        schemas[name] = {"$schema": SCHEMA_DIALECT, **schema}
    return schemas


def render(schema: dict[str, Any]) -> str:
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"


def schema_path(root: Path, name: str) -> Path:
    return root / "schemas" / f"{name}.schema.json"


def stale(root: Path) -> list[str]:
    """Names of schema files that are missing or differ from what the models generate."""
    return [
        name
        for name, schema in generate().items()
        if not schema_path(root, name).is_file()
        or schema_path(root, name).read_text(encoding="utf-8") != render(schema)
    ]


def write_all(root: Path) -> list[Path]:
    """Write every schema that changed; returns the paths written."""
    written = []
    for name, schema in generate().items():
        path = schema_path(root, name)
        text = render(schema)
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            written.append(path)
    return written


def _describe(schema: dict[str, Any], model: type[BaseModel]) -> None:
    """Set each property's description to its help: Chinese, then English (the model's own wording if it has one)."""
    for name, prop in schema.get("properties", {}).items():
        zh, en = field_help(model, name)
        prop["description"] = f"{zh}\n\n{model.model_fields[name].description or en}"


def _models_under(model: type[BaseModel]) -> dict[str, type[BaseModel]]:
    """Every model reachable from a model's fields, by class name (the names pydantic uses in $defs)."""
    found: dict[str, type[BaseModel]] = {}

    def visit(annotation: Any) -> None:
        is_model = isinstance(annotation, type) and issubclass(annotation, BaseModel)
        if is_model and annotation.__name__ not in found:
            found[annotation.__name__] = annotation
            for field in annotation.model_fields.values():
                visit(field.annotation)
        for arg in typing.get_args(annotation):
            visit(arg)

    visit(model)
    return found
