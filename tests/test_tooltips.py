"""Tooltips treat text as text: every element with a title, a tooltip or a glossary link, on pages built from
hostile data, hovered, reached by Tab and tapped on a touch screen, in both languages; nothing may run, and the
handbook's tip (assets/tooltip.js) must show the hostile text literally. Also the tip on the real site, on a
phone and from disk, and proof that these checks catch Material's `content.tooltips`, which runs the payloads."""

from __future__ import annotations

import re

import pytest
import yaml
from conftest import (
    HOSTILE_CATEGORY_NAME,
    HOSTILE_DEFINITION,
    HOSTILE_LONG_NAME,
    HOSTILE_REFERENCE_PUBLISHER,
    HOSTILE_REFERENCE_TITLE,
    ROOT,
    add_hostile_data,
    copy_project,
    run_build,
)

from scripts.local_site import serving

pytestmark = pytest.mark.browser

DESKTOP = {"viewport": {"width": 1280, "height": 900}}
PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True, "device_scale_factor": 2}
LANGS = {"zh": "", "en": "/en"}
REFERENCE_TIP = f"{HOSTILE_REFERENCE_TITLE} — {HOSTILE_REFERENCE_PUBLISHER}"

# What every page is checked for: each element with a title (Material moves it to data-hb-title while the
# handbook's tip shows it), each glossary link and citation mark, and each tooltip.
SELECTOR = "[title], [data-hb-title], a.hb-term, a.hb-cite, [role=tooltip]"
# The links that get the handbook's tip (the same rule as assets/tooltip.js).
TIP_HOST = ".md-typeset a[title]:not(.headerlink)"

# Installed before any page script: anything that adds an element with an event-handler attribute, or sets one,
# after the page has been parsed is recorded (Material's tooltip put the title into the page with innerHTML).
GUARD = """
window.__injected = [];
document.addEventListener("DOMContentLoaded", () => {
  const handlers = el => [...el.attributes].some(a => a.name.toLowerCase().startsWith("on"));
  new MutationObserver(records => {
    for (const r of records) {
      if (r.type === "attributes" && r.attributeName.toLowerCase().startsWith("on")) __injected.push(r.target.outerHTML);
      for (const node of r.addedNodes) {
        if (node.nodeType !== 1) continue;
        for (const el of [node, ...node.querySelectorAll("*")]) if (handlers(el)) __injected.push(el.outerHTML);
      }
    }
  }).observe(document, {childList: true, subtree: true, attributes: true});
});
"""
# On a touch screen a tap that follows a link would leave the page under test; keep it there. This runs after
# the page's own handlers (it is the last listener on the way up), so the tip's first-tap rule is what is tested.
STAY = """
window.__clicks = 0;
window.addEventListener("click", event => {
  __clicks++;
  if (event.target.closest && event.target.closest("a[href]")) event.preventDefault();
});
"""

# Where a pointer would touch an element: the middle of its first line, scrolled into view, if nothing else is on
# top of it there (an entry of the closed menu is off screen). Material's header shows the site's name or the page's
# title depending on the scroll position, so an element that something else covers is tried at the top and lower.
REACH = """
window.__reach = async el => {
  const frame = () => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)));
  const tries = [];
  for (const scroll of [() => el.scrollIntoView({block: "center", inline: "nearest", behavior: "instant"}),
                        () => scrollTo({top: 0, behavior: "instant"}), () => scrollTo({top: 2000, behavior: "instant"})]) {
    const box = el.getBoundingClientRect();
    if (tries.length || box.top < 80 || box.bottom > innerHeight - 20) {
      scroll();
      if (tries.length) await frame();  // Material's header follows the scroll position a frame later
    }
    const r = el.getClientRects()[0];
    if (!r || r.width === 0 || r.height === 0) return {hit: "it has no size"};
    const x = r.x + r.width / 2, y = r.y + r.height / 2, found = document.elementFromPoint(x, y);
    if (found && el.contains(found)) return {x, y, hit: null};
    tries.push(found ? found.outerHTML.slice(0, 120) : `nothing at ${x}, ${y}`);
  }
  return {hit: tries.join(" | ")};
};
"""

COLLECT = """async ([selector, hostSelector]) => {
  const items = [];
  for (const [i, el] of [...document.querySelectorAll(selector)].entries()) {
    el.setAttribute("data-probe", i);
    const box = el.getBoundingClientRect();
    const visible = box.width > 0 && box.height > 0 && getComputedStyle(el).visibility !== "hidden";
    items.push({
      probe: i, tag: el.tagName.toLowerCase(), cls: String(el.getAttribute("class") || ""),
      title: el.getAttribute("title") ?? el.getAttribute("data-hb-title"),
      host: el.matches(hostSelector) && el.textContent.trim() !== "", header: el.closest(".md-header") !== null,
      reachable: visible && (await __reach(el)).hit === null, focusable: visible && el.tabIndex >= 0 && !el.disabled,
    });
  }
  scrollTo({top: 0, behavior: "instant"});
  return items;
}"""

HARM = """() => ({
  pwned: window.__pwned === undefined ? null : String(window.__pwned),
  injected: window.__injected.slice(0, 5),
  handlerElements: [...document.querySelectorAll("img, svg, iframe, object, embed, video, audio, image, math")]
    .filter(el => [...el.attributes].some(a => a.name.toLowerCase().startsWith("on"))).length,
})"""

# One step of a walk over the elements: report the tip the last action left; unless only looking, close it (as
# Escape does: it may cover the next element) and whatever a tap opened (search, menu), and say where a pointer
# would touch the next element.
STEP = """async ([next, reset, needPoint]) => {
  const tipElement = document.getElementById("hb-tip");
  const tip = tipElement && !tipElement.hidden ? {text: tipElement.textContent, role: tipElement.getAttribute("role"),
    described: document.querySelector('[aria-describedby="hb-tip"]')?.getAttribute("data-probe") ?? null} : null;
  if (!reset) return {tip, hit: null};
  if (tip) document.dispatchEvent(new KeyboardEvent("keydown", {key: "Escape", bubbles: true}));
  let closed = false;
  document.querySelectorAll("input.md-toggle").forEach(t => {
    if (t.checked) { t.checked = false; t.dispatchEvent(new Event("change")); closed = true; }
  });
  if (document.activeElement && document.activeElement !== document.body) document.activeElement.blur();
  if (closed) await new Promise(done => setTimeout(done, 500));  // the search and the menu close with a transition
  if (next === null || !needPoint) return {tip, hit: null};
  return {tip, ...(await __reach(document.querySelector(`[data-probe="${next}"]`)))};
}"""


class Probe:
    """One page in a browser context with the guard installed; records dialogs and what was done."""

    def __init__(self, browser, context_options: dict, url: str):
        self.context = browser.new_context(**context_options)
        self.context.add_init_script(GUARD)
        self.context.add_init_script(REACH)
        if context_options.get("has_touch"):
            self.context.add_init_script(STAY)
        self.page = self.context.new_page()
        self.dialogs: list[str] = []
        self.page.on("dialog", lambda dialog: (self.dialogs.append(dialog.message), dialog.dismiss()))
        self.url = url
        self.page.goto(url, wait_until="load")
        self.page.wait_for_timeout(300)  # Material marks overflowing entries (ellipsis) with a title once visible
        self.elements = self.page.evaluate(COLLECT, [SELECTOR, TIP_HOST])

    def element(self, item: dict):
        return self.page.locator(f'[data-probe="{item["probe"]}"]')

    def step(self, item: dict | None, reset: bool = True, point: bool = True) -> dict:
        """The tip the last action left; then, for the next item, where to point at it (it must be reachable)."""
        result = self.page.evaluate(STEP, [None if item is None else item["probe"], reset, point])
        if item is not None:
            assert result["hit"] is None, f"{self.url}: {item['tag']}.{item['cls']} is covered by {result['hit']}"
        return result

    def tap(self, tap) -> None:
        """Tap, and wait for the click the browser makes of the tap (it comes after the touch, not with it)."""
        clicks = self.page.evaluate("__clicks")
        tap()
        self.page.wait_for_function("n => __clicks > n", arg=clicks, timeout=5000)

    def harm(self) -> list[str]:
        """What ran or was injected, as readable lines; empty when nothing did."""
        found = self.page.evaluate(HARM)
        problems = []
        if found["pwned"] is not None:
            problems.append(f"a payload ran: window.__pwned = {found['pwned']!r}")
        problems += [f"a dialog opened: {message!r}" for message in self.dialogs]
        problems += [
            f"an element with an event handler was put into the page: {html[:160]}" for html in found["injected"]
        ]
        if found["handlerElements"]:
            problems.append(f"{found['handlerElements']} img/svg/iframe element(s) with event handlers in the page")
        return problems

    def close(self) -> None:
        self.context.close()


def _check_tip(probe: Probe, item: dict, tip: dict | None, how: str) -> None:
    """A tip host showed its title as text and was described by it; any other element kept its plain title."""
    where = f"{probe.url}: {how} {item['tag']}.{item['cls']} #{item['probe']} (title {item['title']!r})"
    if item["host"]:
        assert tip is not None, f"{where}: no tip shown"
        assert tip["text"] == item["title"], f"{where}: the tip shows {tip['text']!r}"
        assert tip["role"] == "tooltip" and tip["described"] == str(item["probe"]), where
    elif item["title"] is not None:
        assert probe.element(item).get_attribute("title") == item["title"], f"{where}: its title changed"


def _walk(probe: Probe, items: list, act, how: str, point: bool = True) -> None:
    """Do `act` to each item in turn and check the tip it left."""
    previous = None
    for item in [*items, None]:
        result = probe.step(item, point=point)
        if previous is not None:
            _check_tip(probe, previous, result["tip"], how)
        if item is not None:
            act(item, result)
        previous = item


def _expect_hostile_titles(probe: Probe, expected: set, lang: str) -> None:
    """The hostile strings reached a title on this page (so the test exercises them), each on an element that
    the checks reach; a definition and a reference's title and publisher on links that get the handbook's tip."""
    reached = {item["title"]: item for item in probe.elements if item["reachable"]}
    missing = expected - set(reached)
    assert not missing, f"{probe.url}: no element a reader reaches carries {sorted(missing)}"
    for text in expected & {HOSTILE_DEFINITION[lang], REFERENCE_TIP}:
        assert reached[text]["host"], f"{probe.url}: {reached[text]} does not get the handbook's tip"


# Each page, and the hostile strings it must carry in a title (None: the page is checked, whatever it carries).
def _pages(lang: str) -> list[tuple[str, set, set]]:
    """(path, titles expected on a desktop, titles expected on a phone)."""
    definition = HOSTILE_DEFINITION[lang]
    return [
        ("/programmes/hostile/", {definition, REFERENCE_TIP}, {definition, REFERENCE_TIP}),
        (
            "/programmes/hostile-long/",
            {definition, REFERENCE_TIP},
            {definition, REFERENCE_TIP, HOSTILE_LONG_NAME[lang]},
        ),
        ("/glossary/", set(), set()),
        ("/references/", set(), set()),
        ("/programmes/", {HOSTILE_CATEGORY_NAME[lang]}, set()),
        ("/print/", {HOSTILE_LONG_NAME[lang]}, set()),
    ]


CASES = [(lang, path, desktop, phone) for lang in LANGS for path, desktop, phone in _pages(lang)]
IDS = [f"{lang}{path}" for lang, path, _, _ in CASES]


def _report(done: str, probe: Probe, items: list, left: str) -> None:
    hosts = sum(item["host"] for item in items)
    print(
        f"\n{done} {len(items)} element(s) on {probe.url} ({hosts} with the handbook's tip; "
        f"{len(probe.elements) - len(items)} {left})"
    )


@pytest.mark.parametrize("lang,path,desktop,phone", CASES, ids=IDS)
def test_hovering_every_titled_element_runs_nothing_and_shows_text(browser, hostile_server, lang, path, desktop, phone):
    probe = Probe(browser, DESKTOP, hostile_server + LANGS[lang] + path)
    try:
        _expect_hostile_titles(probe, desktop, lang)
        hovered = [item for item in probe.elements if item["reachable"]]
        _walk(probe, hovered, lambda item, at: probe.page.mouse.move(at["x"], at["y"]), "hovering")
        probe.page.mouse.move(0, 0)
        assert probe.harm() == [], probe.url
        _report("hovered", probe, hovered, "hidden or covered")
    finally:
        probe.close()


@pytest.mark.parametrize("lang,path,desktop,phone", CASES, ids=IDS)
def test_tabbing_onto_every_titled_element_runs_nothing_and_shows_text(
    browser, hostile_server, lang, path, desktop, phone
):
    probe = Probe(browser, DESKTOP, hostile_server + LANGS[lang] + path)
    try:
        tabbed = [item for item in probe.elements if item["focusable"]]

        def tab_onto(item: dict, _) -> None:  # with a real Tab press, from the element before it in the tab order
            probe.element(item).focus()
            probe.page.keyboard.press("Shift+Tab")
            probe.page.keyboard.press("Tab")
            assert probe.page.evaluate("document.activeElement.getAttribute('data-probe')") == str(item["probe"])

        _walk(probe, tabbed, tab_onto, "tabbing onto", point=False)
        assert probe.harm() == [], probe.url
        _report("tabbed onto", probe, tabbed, "hidden or not focusable")
    finally:
        probe.close()


@pytest.mark.parametrize("lang,path,desktop,phone", CASES, ids=IDS)
def test_tapping_every_titled_element_on_a_phone_runs_nothing_and_shows_text(
    browser, hostile_server, lang, path, desktop, phone
):
    probe = Probe(browser, PHONE, hostile_server + LANGS[lang] + path)
    try:
        _expect_hostile_titles(probe, phone, lang)
        tapped = [item for item in probe.elements if item["reachable"]]
        previous, tips_tapped = None, 0
        for item in [*tapped, None]:
            tip = probe.step(None, reset=False)["tip"]
            if previous is not None:
                _check_tip(probe, previous, tip, "tapping")
            if tip and tips_tapped < 3:  # a reader closes a tip by tapping it (the next ones close as Escape does)
                probe.tap(lambda: probe.page.locator("#hb-tip").tap(timeout=5000))
                tips_tapped += 1
                assert probe.step(None, reset=False)["tip"] is None, f"{probe.url}: tapping the tip did not close it"
            if item is not None:
                at = probe.step(item)  # close what the last tap opened; scroll the element into view
                if item["header"]:  # fixed; Material shows the page's title in it only while the page is scrolled
                    probe.tap(lambda: probe.page.touchscreen.tap(at["x"], at["y"]))
                else:
                    probe.tap(lambda: probe.element(item).tap(timeout=5000))
            previous = item
        assert tips_tapped or not any(item["host"] for item in tapped), f"{probe.url}: no tip was shown"
        assert probe.page.url.split("#")[0] == probe.url, "a first tap followed a link instead of showing its tip"
        assert probe.harm() == [], probe.url
        _report("tapped", probe, tapped, "hidden, in the closed menu or covered")
    finally:
        probe.close()


@pytest.mark.parametrize("lang", LANGS)
def test_hostile_entries_are_shown_as_text_on_their_pages(browser, hostile_server, lang):
    probe = Probe(browser, DESKTOP, hostile_server + LANGS[lang] + "/glossary/")
    try:
        assert HOSTILE_DEFINITION[lang] in probe.page.locator("#hostile-term + dd").text_content()
        probe.page.goto(hostile_server + LANGS[lang] + "/references/")
        assert HOSTILE_REFERENCE_TITLE in probe.page.locator("#hostile-reference").text_content()
        assert probe.harm() == []
    finally:
        probe.close()


# --- The tip on the real site --------------------------------------------------------------------------------------


def _definition(href: str, lang: str) -> str:
    term_id = href.rsplit("#", 1)[1]
    data = yaml.safe_load((ROOT / "data" / "terms" / f"{term_id}.yml").read_text(encoding="utf-8"))
    return data["definition"][lang]


@pytest.mark.parametrize("lang", LANGS)
def test_hovering_a_glossary_link_shows_its_definition(browser, server, lang):
    probe = Probe(browser, DESKTOP, server + LANGS[lang] + "/programmes/ankang-cup/")
    try:
        link = probe.page.locator("a.hb-term").first
        definition = _definition(link.get_attribute("href"), lang)
        link.hover()
        tip = probe.page.locator("#hb-tip")
        assert tip.is_visible() and tip.text_content() == definition
        assert link.get_attribute("aria-describedby") == "hb-tip" and link.get_attribute("title") is None
        probe.page.keyboard.press("Escape")
        assert tip.is_hidden() and link.get_attribute("title") == definition  # the native title is back
        assert probe.harm() == []
    finally:
        probe.close()


def test_on_a_phone_the_first_tap_shows_the_definition_and_the_second_follows_the_link(browser, server):
    context = browser.new_context(**PHONE)
    try:
        page = context.new_page()
        url = server + "/en/programmes/ankang-cup/"
        page.goto(url)
        link = page.locator("a.hb-term").first
        href = link.get_attribute("href")
        link.tap()
        tip = page.locator("#hb-tip")
        assert tip.is_visible() and tip.text_content() == _definition(href, "en")
        assert page.url == url
        box, view = tip.bounding_box(), page.evaluate("[visualViewport.width, visualViewport.height]")
        assert box["x"] >= 0 and box["x"] + box["width"] <= view[0], "the tip is cut off at the side of the screen"
        page.locator("h1").tap()  # a tap elsewhere closes it
        assert tip.is_hidden()
        link.tap()
        assert tip.is_visible()
        link.tap()
        page.wait_for_url(re.compile(r".*/en/glossary/#" + re.escape(href.rsplit("#", 1)[1]) + "$"))
    finally:
        context.close()


def test_the_tip_works_from_a_copy_opened_from_disk(browser, site):
    probe = Probe(browser, DESKTOP, (site / "programmes" / "ankang-cup" / "index.html").as_uri())
    try:
        link = probe.page.locator("a.hb-cite").first
        title = link.get_attribute("title")
        link.focus()
        assert probe.page.locator("#hb-tip").text_content() == title
    finally:
        probe.close()


# --- The checks can fail -------------------------------------------------------------------------------------------


def test_the_checks_catch_materials_tooltips_running_the_payloads(browser, tmp_path):
    """With Material's content.tooltips back on (and the handbook's tip off), hovering or tabbing onto a hostile
    title runs its payload."""
    project = copy_project(tmp_path / "project")
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "    - content.action.edit" in text
    text = text.replace("    - content.action.edit", "    - content.tooltips\n    - content.action.edit", 1)
    config.write_text(re.sub(r"\n  - path: assets/tooltip\.js.*\n    defer: true", "", text), encoding="utf-8")
    assert "- path: assets/tooltip.js" not in config.read_text(encoding="utf-8")
    add_hostile_data(project)
    result = run_build(project, project / "site")
    assert result.returncode == 0, result.stderr
    with serving(project / "site") as origin:
        for how, path, selector in (
            ("hover", "/programmes/hostile/", "a.hb-term"),
            ("focus", "/en/programmes/hostile/", "a.hb-term"),
            ("hover", "/en/programmes/", ".md-sidebar--secondary a.md-nav__link >> nth=0"),
        ):
            probe = Probe(browser, DESKTOP, origin + path)
            try:
                assert probe.harm() == []  # loading alone runs nothing
                target = probe.page.locator(selector).first
                if how == "hover":
                    target.hover()
                else:
                    target.focus()
                    probe.page.keyboard.press("Shift+Tab")
                    probe.page.keyboard.press("Tab")
                probe.page.wait_for_timeout(300)
                assert probe.harm(), f"{how} on {path} ran nothing: these tests could not fail"
            finally:
                probe.close()
