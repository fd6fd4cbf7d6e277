"""The data check's hostile and broken files (tests/fixtures/invalid/) and the exact message each must give:
the table the data-check tests walk in full and the build tests sample (a helper module, not a test module)."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import FIXTURES, ROOT

INVALID = FIXTURES / "invalid"
KIND_FOLDER = {"programme": "programmes", "source": "sources", "term": "terms", "law": "laws", "target": "targets"}

# Each fixture is copied to data/<kind>/x.yml of a copy of the real data; the check must print exactly this.
EXPECTED = {
    "programme_billion_laughs.yml": "data/programmes/x.yml:2:4: b.0: YAML anchors and aliases are not allowed in data files: write the value out",
    "programme_deep_nesting.yml": "data/programmes/x.yml:32:42: nested more than 32 levels deep: data files are a few levels at most",
    "programme_very_deep_nesting.yml": "data/programmes/x.yml:2:42: nested more than 32 levels deep: data files are a few levels at most",
    "programme_id_upper_case.yml": "data/programmes/x.yml:1:1: id: 'AnkangCup' is not a valid id: use lower-case letters, digits and hyphens (e.g. ankang-cup)",
    "programme_id_with_slash.yml": "data/programmes/x.yml:1:1: id: 'ankang/cup' is not a valid id: use lower-case letters, digits and hyphens (e.g. ankang-cup)",
    "programme_id_with_spaces.yml": "data/programmes/x.yml:1:1: id: 'ankang cup' is not a valid id: use lower-case letters, digits and hyphens (e.g. ankang-cup)",
    "target_value_not_in_paragraph.yml": "data/targets/x.yml:10:5: targets.0.value_text: '新增30家' does not occur in xinxiang-2015-work-points#p8: copy the number exactly as the source writes it",
    "target_without_paragraph.yml": "data/targets/x.yml:11:5: targets.0.cite: a target must cite the source paragraph that states it (source-id#pN)",
    "law_dates_without_source.yml": "data/laws/x.yml:1:1: dates_cite: dates and status need a source: list reference ids in dates_cite",
    "programme_background_cites_seed.yml": "data/programmes/x.yml:29:12: background.0.cite.0: 'xinxiang-2015-work-points#p8' is a seed document: background holds facts from outside the seeds, so cite a reference from data/references.yml",
    "programme_alias_anchor.yml": "data/programmes/x.yml:11:3: purpose.zh: YAML anchors and aliases are not allowed in data files: write the value out",
    "programme_bom.yml": "data/programmes/x.yml:1:1: file starts with a byte-order mark: save it as UTF-8 without BOM",
    "programme_cite_paragraph_out_of_range.yml": "data/programmes/x.yml:9:10: summary.cite.0: source 'xinxiang-2015-work-points' has 44 paragraphs, not 99",
    "programme_cite_unknown_source.yml": "data/programmes/x.yml:9:10: summary.cite.0: 'no-such-source' is neither a source (data/sources/) nor a reference (data/references.yml)",
    "programme_cite_without_paragraph.yml": "data/programmes/x.yml:9:10: summary.cite.0: cite a paragraph of source 'xinxiang-2015-work-points': write xinxiang-2015-work-points#pN",
    "programme_duplicate_key.yml": "data/programmes/x.yml:13:3: purpose.zh: duplicate key 'zh' (first set on line 11): keep one of them",
    "programme_empty_file.yml": "data/programmes/x.yml:1:1: file is empty: it must hold a mapping of fields",
    "programme_empty_translation.yml": "data/programmes/x.yml:5:3: name.en: must not be empty",
    "programme_id_invalid.yml": "data/programmes/x.yml:1:1: id: '../Etc Passwd' is not a valid id: use lower-case letters, digits and hyphens (e.g. ankang-cup)",
    "programme_id_mismatch.yml": "data/programmes/x.yml:1:1: id: id 'another-id' does not match the file name 'x.yml': rename the file to another-id.yml or fix the id",
    "programme_level_invalid.yml": "data/programmes/x.yml:16:5: organisers.0.level: Input should be 'national', 'provincial', 'city', 'county' or 'enterprise' (got 'village')",
    "programme_missing_field.yml": "data/programmes/x.yml:1:1: beneficiaries: required field 'beneficiaries' is missing: add it",
    "programme_missing_translation.yml": "data/programmes/x.yml:3:1: name.en: missing English translation: add it (a plain translation is fine; mark an official one with en_source)",
    "programme_not_a_mapping.yml": "data/programmes/x.yml:1:1: the file must hold a mapping of fields (key: value), not a list",
    "programme_not_utf8.yml": "data/programmes/x.yml:11:1: file is not valid UTF-8: re-save it as UTF-8",
    "programme_quote_one_char_differs.yml": "data/programmes/x.yml:29:5: quotes.0.text: quotation differs from 'xinxiang-2015-work-points' paragraph 8 after '全縣參賽企業新增': the source continues '20家。', the quotation has '30家。'; copy the wording exactly from data/sources/xinxiang-2015-work-points.txt line 8",
    "programme_quote_unknown_source.yml": "data/programmes/x.yml:27:5: quotes.0.source: no source with id 'no-such-source' in data/sources/",
    "programme_quote_wrong_paragraph.yml": "data/programmes/x.yml:28:5: quotes.0.paragraph: the quotation is in paragraph 8 of 'xinxiang-2015-work-points', not 9: set paragraph: 8",
    "programme_tab_indent.yml": "data/programmes/x.yml:8:1: YAML syntax error: found a tab character that violates indentation (indent with spaces, not tabs)",
    "programme_unknown_category.yml": "data/programmes/x.yml:2:1: category: no category 'no-such-category' in data/categories.yml (known: skills-and-contribution, rights-and-bargaining, democratic-management, assistance, culture-and-learning, organising)",
    "programme_unknown_key.yml": "data/programmes/x.yml:31:1: start_year: unknown key 'start_year': remove it or fix its spelling (allowed here: id, category, name, aliases, keywords, summary, purpose, organisers, beneficiaries, how_it_runs, related, terms, laws, quotes, started, first_named, guide, background, open_questions, former_ids, reviewed, translation)",
    "programme_unknown_related.yml": "data/programmes/x.yml:31:11: related.0: no programme with id 'no-such-programme': create data/programmes/no-such-programme.yml or fix the id",
    "programme_unknown_term.yml": "data/programmes/x.yml:31:9: terms.0: no glossary term with id 'no-such-term': create data/terms/no-such-term.yml or fix the id",
    "programme_wrong_type.yml": "data/programmes/x.yml:4:3: name.zh: Input should be a valid string (got a list)",
    "programme_yaml_syntax.yml": "data/programmes/x.yml:13:7: YAML syntax error: did not find expected ',' or ']'",
    "source_doc_number_brackets.yml": "data/sources/x.yml:19:1: doc_number: '新工字[2015]14号': write the year of a document number in 〔〕, e.g. 新工字〔2015〕14号",
    "source_future_year.yml": "data/sources/x.yml:18:1: date: year 2999 is in the future",
    "source_impossible_date.yml": "data/sources/x.yml:18:1: date: '2015-02-30' is not a real date (day is out of range for month)",
    "source_missing_text.yml": "data/sources/x.yml:1:1: id: the text file data/sources/x.txt is missing: add the document's text, one paragraph per line",
    "term_unknown_see_also.yml": "data/terms/x.yml:9:12: see_also.0: no glossary term with id 'no-such-term': create data/terms/no-such-term.yml or fix the id",
    # Issue 12: guides a cadre can act on, articles that exist, contested facts, one English rendering per concept.
    "programme_guide_item_without_cite.yml": "data/programmes/x.yml:33:7: guide.who.0.cite: required field 'cite' is missing: add it",
    "programme_guide_section_left_empty.yml": "data/programmes/x.yml:31:1: guide.contact: guide.contact is empty: write what a public source says (with cite), or say in guide.open.contact what no public source gives",
    "programme_guide_local_rule_without_place.yml": "data/programmes/x.yml:35:7: guide.who.0.scope: a city rule or practice needs its place: add scope.place (zh, en)",
    "programme_guide_article_not_on_law.yml": "data/programmes/x.yml:39:18: guide.basis.0.articles.0: law 'trade-union-law' quotes no article 999: add it to data/laws/trade-union-law.yml under articles (number, quote, en, cite) or fix the number",
    "programme_contested_with_one_claim.yml": "data/programmes/x.yml:32:3: started.contested: a contested fact needs two or more claims, each with its own source; with one source, write year and cite instead",
    "programme_avoided_rendering.yml": 'data/programmes/x.yml:24:5: how_it_runs.0.en: "Workers\' Pioneer Post" — the handbook writes "Worker Pioneer" (workers-pioneer-post)',
    "programme_chinese_in_english.yml": 'data/programmes/x.yml:24:5: how_it_runs.0.en: "厦": Chinese characters in English prose — translate it, or give the Chinese in brackets or quotation marks after the English',
    "law_without_status.yml": "data/laws/x.yml:1:1: status: required field 'status' is missing: add it",
    "law_without_status_date.yml": "data/laws/x.yml:1:1: status_checked: required field 'status_checked' is missing: add it",
    "law_doc_number_brackets.yml": "data/laws/x.yml:4:1: doc_number: '总工发[2012]12号': write the year of a document number in 〔〕, e.g. 新工字〔2015〕14号",
    # Hostile inputs (issue 10): control characters and bidirectional marks, raw and as YAML escapes; text that
    # shows nothing; runaway lengths; numbers JSON cannot hold; ids the site already uses; the 100 KB nesting bomb.
    "law_arabic_letter_mark.yml": "data/laws/x.yml:2:17: name.en: contains U+061C (ARABIC LETTER MARK), a control character: remove it",
    "programme_bidi_isolate_escaped.yml": "data/programmes/x.yml:8:3: summary.en: contains U+2067 (RIGHT-TO-LEFT ISOLATE), a control character: remove it",
    "programme_c1_control_raw.yml": "data/programmes/x.yml:24:5: how_it_runs.0.en: contains U+009B (CONTROL SEQUENCE INTRODUCER), a control character: remove it",
    "programme_control_in_comment.yml": "data/programmes/x.yml:32:8: contains U+001B (ESCAPE), a control character: remove it",
    "programme_delete_in_id.yml": "data/programmes/x.yml:1:1: id: contains U+007F (DELETE), a control character: remove it",
    "programme_flow_nesting_50000.yml": "data/programmes/x.yml:1:37: nested more than 32 levels deep: data files are a few levels at most",
    "programme_id_too_long.yml": "data/programmes/x.yml:1:1: id: 101 characters long; at most 100 allowed here (an id is a file name and part of every address: <id>.yml, <id>.json and <id>.html must fit the 255 bytes a file name may have): shorten it",
    "programme_id_windows_device.yml": "data/programmes/x.yml:1:1: id: 'nul' is a device name on Windows (CON, PRN, AUX, NUL, COM0-9, LPT0-9), which cannot be a file name there: choose another id",
    "programme_lone_carriage_return.yml": "data/programmes/x.yml:7:3: summary.zh: contains U+000D (CARRIAGE RETURN), a control character: remove it",
    "programme_name_only_zero_width.yml": "data/programmes/x.yml:5:3: name.en: holds only invisible characters, such as U+200B (ZERO WIDTH SPACE): write the text",
    "programme_name_too_long.yml": "data/programmes/x.yml:5:3: name.en: 401 characters long; at most 400 allowed here: shorten it",
    "programme_nul_escaped.yml": "data/programmes/x.yml:30:5: quotes.0.en: contains U+0000 (NULL), a control character: remove it",
    "programme_rtl_override_in_name.yml": "data/programmes/x.yml:5:3: name.en: contains U+202E (RIGHT-TO-LEFT OVERRIDE), a control character: remove it",
    "programme_summary_word_joiner_and_spaces.yml": "data/programmes/x.yml:7:3: summary.zh: holds only invisible characters, such as U+2060 (WORD JOINER): write the text",
    "programme_terminal_escape_quoted.yml": "data/programmes/x.yml:20:3: beneficiaries.en: contains U+001B (ESCAPE), a control character: remove it",
    "programme_terminal_escape_raw.yml": "data/programmes/x.yml:12:3: purpose.en: contains U+001B (ESCAPE), a control character: remove it",
    "programme_too_many_aliases.yml": "data/programmes/x.yml:33:3: aliases.zh: lists 51 items; at most 50 allowed here: keep the ones readers use",
    "source_rtl_mark_in_title.yml": "data/sources/x.yml:9:3: title.en: contains U+200F (RIGHT-TO-LEFT MARK), a control character: remove it",
    "target_bidi_embedding_escaped.yml": "data/targets/x.yml:5:22: targets.0.place.en: contains U+202B (RIGHT-TO-LEFT EMBEDDING), a control character: remove it",
    "target_id_chart_anchor.yml": "data/targets/x.yml:2:5: targets.0.id: 'chart-ankang-cup-count' is already an anchor (#chart-ankang-cup-count) of the charts of the targets page: a link to this target would lead there; choose another id",
    "target_id_is_a_programme_id.yml": "data/targets/x.yml:2:5: targets.0.id: 'ankang-cup' is also a programme's id, the anchor (#ankang-cup) of its heading on the targets page: choose another id",
    "target_id_quote_anchor.yml": "data/targets/x.yml:2:5: targets.0.id: 'quote-1' is already an anchor (#quote-1) of the quotations of programme pages: a link to this target would lead there; choose another id",
    "target_id_section_anchor.yml": "data/targets/x.yml:2:5: targets.0.id: 'how-it-runs' is already an anchor (#how-it-runs) of a section of every programme page: a link to this target would lead there; choose another id",
    "target_value_nan.yml": "data/targets/x.yml:8:5: targets.0.value: is not a number (.nan), which the published data cannot hold (JSON has no NaN or infinity): write the number, or leave the field out",
    "target_value_negative_infinity.yml": "data/targets/x.yml:8:5: targets.0.value: is infinite (-.inf), which the published data cannot hold (JSON has no NaN or infinity): write the number, or leave the field out",
    "target_value_overflows_to_infinity.yml": "data/targets/x.yml:8:5: targets.0.value: is infinite (.inf), which the published data cannot hold (JSON has no NaN or infinity): write the number, or leave the field out",
    "term_alias_hangul_filler.yml": "data/terms/x.yml:10:16: aliases.zh.0: holds only invisible characters, such as U+3164 (HANGUL FILLER): write the text",
    "term_definition_too_long.yml": "data/terms/x.yml:7:3: definition.en: 5,001 characters long; at most 5,000 allowed here: shorten it",
    "term_line_separator_escaped.yml": "data/terms/x.yml:7:3: definition.en: contains U+2028 (LINE SEPARATOR), a control character: remove it",
}


def place_fixture(project: Path, name: str) -> None:
    folder = project / "data" / KIND_FOLDER[name.split("_")[0]]
    folder.mkdir(exist_ok=True)
    shutil.copy(INVALID / name, folder / "x.yml")
    if folder.name == "sources" and "missing_text" not in name:
        shutil.copy(ROOT / "data" / "sources" / "xinxiang-2015-work-points.txt", folder / "x.txt")
