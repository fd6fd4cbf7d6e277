"""The shape of every kind of data file. Pydantic checks types and keys; store.py checks references.

Every text a reader sees comes in both languages (`zh` first). Every statement of fact carries `cite`:
a list of `source-id#pN` (paragraph N of a primary document in data/sources/) or `reference-id`
(a public source listed in data/references.yml). The field types they are built of (ids, texts, dates and their
limits) are in fields.py.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, WithJsonSchema

from .fields import (
    ALIASES_MAX,
    HANDLE_MAX,
    Alias,
    Cite,
    EntryId,
    HttpUrl,
    Id,
    Line,
    NonEmpty,
    PartialDate,
)
from .seeds import KEY_PATTERN, SPAN_PATTERN, parse_span, seed_name_problem

Level = Literal["national", "provincial", "city", "county", "enterprise"]
LEVELS: dict[str, dict[str, str]] = {
    "national": {"zh": "全国（全总）", "en": "National (ACFTU)"},
    "provincial": {"zh": "省级", "en": "Provincial"},
    "city": {"zh": "市级", "en": "City"},
    "county": {"zh": "县（市、区）级", "en": "County / district"},
    "enterprise": {"zh": "企业（基层）", "en": "Enterprise (grass roots)"},
}


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(Strict):
    """A text in both languages."""

    zh: NonEmpty
    en: NonEmpty


class SourcedText(Text):
    """A statement in both languages with the sources that support it."""

    cite: list[Cite] = Field(min_length=1)


class Name(Strict):
    zh: Line
    en: Line
    en_source: Cite | None = Field(
        default=None,
        description="Reference id of the public source giving this English rendering as official; "
        "omit when the English is the handbook's own translation.",
    )


class Aliases(Strict):
    zh: list[Alias] = Field(default=[], max_length=ALIASES_MAX)
    en: list[Alias] = Field(default=[], max_length=ALIASES_MAX)


class Keywords(Aliases):
    """How people describe the need (录取通知书, school costs): found by search, never shown as another name."""


class Organiser(Strict):
    body: Text
    level: Level
    cite: list[Cite] = Field(min_length=1)


class Quote(Strict):
    """An exact quotation: `text` must occur word for word in paragraph `paragraph` of `source`."""

    source: Id
    paragraph: int = Field(ge=1, le=1_000_000)
    text: NonEmpty
    en: NonEmpty = Field(description="The handbook's English translation of the quotation.")


HANDLE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]*$"


def _full_date(value: str) -> str:
    if len(value) != 10:
        raise ValueError("write the full date, YYYY-MM-DD")
    return value


class Reviewed(Strict):
    """When an entry was last checked against its sources, and by whom (a role or handle, never a person's details)."""

    date: Annotated[PartialDate, AfterValidator(_full_date)]
    by: Annotated[str, StringConstraints(max_length=HANDLE_MAX, pattern=HANDLE_PATTERN)]


class Translation(Strict):
    """What the English was translated from: a hash of the Chinese text when the English was last reviewed.
    When the Chinese changes, the hash no longer matches and the English page says it may be out of date."""

    zh_hash: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{12}$")]


class Claim(Strict):
    """What one source says a year was, and who it says acted."""

    year: int = Field(ge=1900, le=2100)
    by: Text | None = None
    cite: list[Cite] = Field(min_length=1)


class Started(Strict):
    """A dated fact: one claim (year, by, cite), or, where sources disagree, each claim under `contested`."""

    year: int | None = Field(default=None, ge=1900, le=2100)
    by: Text | None = None
    cite: list[Cite] = []
    contested: list[Claim] = Field(
        default=[], description="Where sources disagree: every claim with its own source (two or more)."
    )

    @property
    def claims(self) -> list[Claim]:
        if self.contested:
            return list(self.contested)
        return [Claim(year=self.year, by=self.by, cite=self.cite)] if self.year is not None else []

    @property
    def years(self) -> list[int]:
        return sorted({claim.year for claim in self.claims})


class Scope(Strict):
    """Where and when a rule or practice applies: a national rule, a province's rule or a city's practice."""

    level: Level
    place: Text | None = Field(default=None, description="Required below national level: the province, city or county.")
    year: int = Field(ge=1900, le=2100, description="The year of the document that states it.")


class GuideItem(SourcedText):
    """One statement of a programme's guide, with where and when it applies."""

    scope: Scope
    months: list[Annotated[int, Field(ge=1, le=12)]] = Field(
        default=[],
        max_length=12,
        description="The months of the year the statement names (7 for 7月), as its text says: the list of "
        "programmes shows what falls in the reader's month (本月重点).",
    )


class Basis(Strict):
    """A law or policy document a programme rests on, down to the articles."""

    law: Id
    articles: list[Annotated[str, StringConstraints(pattern=r"^[1-9][0-9]{0,3}$")]] = Field(
        default=[], description="Article numbers; each must be quoted in the law's own `articles`."
    )
    zh: NonEmpty
    en: NonEmpty


GUIDE_SECTIONS = ("who", "provides", "steps", "when", "materials", "basis", "contact")
GuideSection = Literal["who", "provides", "steps", "when", "materials", "basis", "contact"]


class Guide(Strict):
    """What a cadre needs to run the programme, in the shape of a government-service guide (办事指南)."""

    who: list[GuideItem] = Field(default=[], description="适用对象与条件: who it is for and the conditions.")
    provides: list[GuideItem] = Field(default=[], description="服务内容与标准: what is given, amounts where stated.")
    steps: list[GuideItem] = Field(default=[], description="办理流程: the steps in order, who does what.")
    when: list[GuideItem] = Field(default=[], description="办理时间: when in the year.")
    materials: list[GuideItem] = Field(default=[], description="申请材料: what to prepare.")
    basis: list[Basis] = Field(default=[], description="设定依据: laws and documents, down to the article.")
    contact: list[GuideItem] = Field(default=[], description="咨询方式: where to ask.")
    open: dict[GuideSection, Text] = Field(
        default={}, description="For each section no public source fills: what is not known yet."
    )

    def filled(self, section: str) -> bool:
        return bool(getattr(self, section))


class Programme(Strict):
    id: EntryId
    category: Id
    name: Name
    aliases: Aliases = Aliases()
    keywords: Keywords = Keywords()
    summary: SourcedText
    purpose: SourcedText
    organisers: list[Organiser] = Field(min_length=1)
    beneficiaries: SourcedText
    how_it_runs: list[SourcedText] = Field(min_length=1)
    related: list[Id] = []
    terms: list[Id] = []
    laws: list[Id] = Field(
        default=[], description="Ids of laws and policy documents (data/laws/) the programme rests on."
    )
    quotes: list[Quote] = []
    started: Started | None = None
    first_named: Started | None = Field(
        default=None, description="The first award or first named batch, a fact apart from the launch (started)."
    )
    guide: Guide | None = None
    background: list[SourcedText] = Field(
        default=[], description="Facts from outside the seeds; each must cite a reference in data/references.yml."
    )
    open_questions: list[Text] = Field(
        default=[], description="What is not known or not yet sourced; listed on the pending page."
    )
    former_ids: list[EntryId] = Field(default=[], description="Ids this entry had before; their URLs redirect here.")
    reviewed: Reviewed
    translation: Translation | None = None


class Term(Strict):
    id: EntryId
    term: Name
    aliases: Aliases = Aliases()
    keywords: Keywords = Keywords()
    definition: SourcedText
    en_avoid: list[Alias] = Field(
        default=[], description="English renderings the handbook does not use for this concept; the check finds them."
    )
    related: list[Id] = Field(default=[], description="Ids of programmes this term belongs to.")
    see_also: list[Id] = Field(default=[], description="Ids of other glossary terms.")
    reviewed: Reviewed
    translation: Translation | None = None


class Article(Strict):
    """One article of a law, quoted exactly from the text read at the cited reference."""

    number: Annotated[str, StringConstraints(pattern=r"^[1-9][0-9]{0,3}$")]
    quote: NonEmpty = Field(description="A short exact quotation of the article, in the law's own Chinese.")
    en: NonEmpty = Field(description="English: the issuer's where the reference gives one, else the handbook's.")
    cite: list[Cite] = Field(min_length=1)


class Law(Strict):
    """A law, regulation or policy document that the sources cite."""

    id: EntryId
    name: Name
    aliases: Aliases = Aliases()
    kind: Literal[
        "law", "administrative-regulation", "departmental-rule", "union-regulation", "party-document", "local-document"
    ]
    issuer: Text
    adopted: PartialDate | None = None
    effective: PartialDate | None = None
    amended: list[PartialDate] = []
    doc_number: Line | None = Field(default=None, description="文号 as the issuer writes it, year in 〔〕.")
    status: Literal["in-force", "amended", "repealed", "unknown"]
    status_checked: PartialDate = Field(description="When the status was last checked against dates_cite.")
    status_note: Text | None = None
    dates_cite: list[Cite] = Field(
        default=[], description="References for the dates and status; required when any is given."
    )
    summary: SourcedText
    articles: list[Article] = Field(default=[], description="The articles the handbook cites, each quoted exactly.")
    articles_note: Text | None = Field(default=None, description="Which version of the text the numbers follow.")
    mentioned_in: list[Cite] = Field(
        default=[], description="Source paragraphs that name it (source-id#pN); empty for a national basis only."
    )
    open_questions: list[Text] = []
    reviewed: Reviewed
    translation: Translation | None = None


class Target(Strict):
    """A numeric target or result a source states, with the exact wording of its number."""

    id: EntryId
    programme: Id
    kind: Literal["target", "result"]
    place: Text
    level: Level
    year: int | None = Field(default=None, ge=1900, le=2100)
    indicator: Text
    value: float | None = Field(
        default=None, allow_inf_nan=False, description="The number; omit where the source masks it (X)."
    )
    value_text: Line = Field(description="The number exactly as the source writes it, e.g. 96%以上 or X家以上.")
    unit: Text
    cite: list[Cite] = Field(min_length=1)
    note: Text | None = None


def _seed_file(value: str) -> str:
    problem = seed_name_problem(value)
    if problem:
        raise ValueError(problem)
    return value


def _seed_span(value: str) -> str:
    parse_span(value)  # a SpanError (a ValueError) says what is wrong
    return value


SeedFile = Annotated[
    str, AfterValidator(_seed_file), WithJsonSchema({"type": "string", "pattern": r"^[^./\\:][^/\\:]*$"})
]
SeedSpan = Annotated[str, AfterValidator(_seed_span), WithJsonSchema({"type": "string", "pattern": SPAN_PATTERN})]


class SeedOmission(Strict):
    """Seed text inside a document that its text leaves out on purpose (a title repeated, a web page's footer)."""

    span: SeedSpan
    reason: Text


class Source(Strict):
    """A primary document; its text is data/sources/<id>.txt, one paragraph per line."""

    id: EntryId
    seed: SeedFile = Field(description="File name of the verbatim copy in ../shared/seeds/.")
    kind: Literal["work-plan", "speech", "guidance", "activity-plan"]
    short: Text = Field(description="A short label for citations, e.g. 新乡县 2015.")
    title: Text
    title_original: Line | None = Field(
        default=None, description="The title exactly as the document writes it, where it has one."
    )
    issuer: Text
    place: Text
    level: Level
    date: PartialDate | None = None
    date_note: Text | None = None
    doc_number: Line | None = None
    speaker: Text | None = None
    script: Literal["simplified", "traditional"]
    masking: Text | None = Field(default=None, description="What the text masks (XX, ***, X) and why that matters.")
    notes: Text | None = None
    excerpt: bool = Field(default=False, description="True where the copy is incomplete.")
    reviewed: Reviewed
    translation: Translation | None = None
    seed_spans: dict[str, SeedSpan] = Field(
        default={},
        json_schema_extra={"propertyNames": {"pattern": KEY_PATTERN}},
        description="Where each paragraph comes from in the seed: p1, p2 … (one per line of the text), each a span "
        'of seed lines, e.g. "12", "25-26" or "86:1-86:41". Written by python -m handbook seed-spans.',
    )
    seed_omitted: list[SeedOmission] = Field(
        default=[],
        description="Seed text inside the document that the text leaves out, each with its span and a reason.",
    )


class Reference(Strict):
    """A public source outside the seeds that a fact or an English rendering rests on."""

    id: EntryId
    title: Line
    publisher: Line
    url: HttpUrl
    archived_url: HttpUrl | None = Field(default=None, description="A copy in a web archive, shown beside the link.")
    accessed: PartialDate
    published: PartialDate | None = Field(default=None, description="The date the page or document itself gives.")
    english_by: Literal["acftu", "state", "other"] = Field(
        default="other",
        description="Whose English the page gives: the ACFTU's own (official for union programmes and terms), the "
        "NPC's or State Council's (official for laws), or another publisher's (a rendering as used by it).",
    )
    note: Text | None = None


class Synonym(Strict):
    """Everyday words (工伤, learn a trade) that search also reads as the handbook's own words (劳动保护)."""

    id: EntryId
    words: Aliases = Field(description="What people type, in either language.")
    means: Aliases = Field(description="The handbook's words they stand for; search looks for these too.")


class Category(Strict):
    id: EntryId
    name: Text
    description: Text


class ListFile(BaseModel):
    """categories.yml and references.yml: one key holding a list; the items are checked one by one."""

    model_config = ConfigDict(extra="allow")
