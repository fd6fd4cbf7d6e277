"""Accessibility in headless Chromium: axe-core's WCAG 2 A/AA rules on ten pages, and the header by keyboard.

axe-core is pinned in package.json and installed with `npm ci` (make test does it); the test injects
node_modules/axe-core/axe.min.js into each page served from the built site.
"""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"

# One page of each kind a reader lands on, in both languages.
PAGES = ["/", "/programmes/ankang-cup/", "/sources/xinxiang-2015-work-points/", "/glossary/", "/targets/"]
PAGES += ["/programmes/", "/timeline/", "/404.html", "/changes/"]  # the filter, the chart, the missing page, news
PAGES += ["/en" + path for path in PAGES]

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]  # WCAG 2.0, 2.1 and 2.2, levels A and AA
BLOCKING = ("critical", "serious")
SHOWN_TARGETS = 4


@pytest.fixture(scope="session")
def axe_script() -> str:
    if not AXE.is_file():
        pytest.fail(f"{AXE.relative_to(ROOT)} is missing: run `npm ci` at the repository root (make test does it)")
    return AXE.read_text(encoding="utf-8")


def _target(node: dict) -> str:
    # A target is a list of selectors, one per frame or shadow root on the way to the node.
    return " >>> ".join(" ".join(part) if isinstance(part, list) else str(part) for part in node["target"])


def _describe(path: str, violation: dict) -> str:
    nodes = violation["nodes"]
    shown = ", ".join(_target(node) for node in nodes[:SHOWN_TARGETS])
    more = f" (+{len(nodes) - SHOWN_TARGETS} more)" if len(nodes) > SHOWN_TARGETS else ""
    summary = (nodes[0].get("failureSummary") or "").replace("\n", " ").strip() if nodes else ""
    return (
        f"{path}: {violation['id']} [{violation['impact']}] {violation['help']} — {len(nodes)} element(s): "
        f"{shown}{more}\n    first: {summary[:300]}\n    see {violation['helpUrl']}"
    )


@pytest.mark.parametrize("path", PAGES)
def test_no_serious_or_critical_axe_violations(page, server, axe_script, path):
    page.goto(server + path, wait_until="load")
    page.add_script_tag(content=axe_script)
    results = page.evaluate(
        """tags => axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]})""", WCAG_TAGS
    )
    blocking = [v for v in results["violations"] if v["impact"] in BLOCKING]
    if blocking:
        pytest.fail(
            f"axe-core {results['testEngine']['version']} found {len(blocking)} serious or critical "
            "WCAG 2 A/AA violation(s):\n" + "\n".join(_describe(path, v) for v in blocking),
            pytrace=False,
        )


# --- Keyboard --------------------------------------------------------------------------------------------------

MAX_TABS = 40

# What has the focus, and whether a sighted keyboard user can see it: the element at the centre of its box must be
# the element itself (or inside it), not something drawn over it, and the box must be inside the window.
_FOCUSED = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) return null;
  const r = e.getBoundingClientRect();
  const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
  return {
    tag: e.tagName.toLowerCase(),
    cls: typeof e.className === "string" ? e.className.replace(/\\s*focus-visible/, "") : "",
    hreflang: e.getAttribute("hreflang"),
    label: (e.getAttribute("aria-label") || e.textContent || "").trim().slice(0, 30),
    shown: r.width > 0 && r.height > 0 && r.right > 0 && r.bottom > 0
           && r.left < innerWidth && r.top < innerHeight && !!hit && (hit === e || e.contains(hit)),
  };
}"""


def _tab_through(page, wanted) -> list[dict]:
    """Press Tab from the top of the page until `wanted(steps)` is true or MAX_TABS presses; every focus, in order."""
    steps: list[dict] = []
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        focused = page.evaluate(_FOCUSED)
        steps.append(focused or {"tag": "body", "cls": "", "hreflang": None, "label": "", "shown": True})
        if wanted(steps):
            break
    return steps


def _trail(steps: list[dict]) -> str:
    return "\n".join(
        f"  Tab {i}: <{s['tag']} class='{s['cls']}'> {s['label']!r}" + ("" if s["shown"] else " (NOT VISIBLE)")
        for i, s in enumerate(steps, 1)
    )


@pytest.mark.parametrize(
    "path,other,other_url",
    [
        ("/programmes/ankang-cup/", "en", "/en/programmes/ankang-cup/"),
        ("/en/", "zh-Hans", "/"),
    ],
)
def test_keyboard_reaches_search_and_language_switch(page, server, path, other, other_url):
    page.goto(server + path, wait_until="load")
    page.evaluate("() => document.activeElement && document.activeElement.blur()")  # start from the top

    def is_search(step):
        return step["tag"] == "input" and "md-search__input" in step["cls"]

    def is_switch(step):
        return step["tag"] == "a" and "md-select__link" in step["cls"] and step["hreflang"] == other

    steps = _tab_through(page, lambda s: any(map(is_search, s)) and any(map(is_switch, s)))
    trail = _trail(steps)
    assert any(map(is_search, steps)), f"the search box (.md-search__input) is not reachable with Tab:\n{trail}"
    assert any(map(is_switch, steps)), (
        f"the language switch (a.md-select__link[hreflang={other}]) is not reachable with Tab:\n{trail}"
    )
    assert all(step["shown"] for step in steps), f"something on the way has the focus but cannot be seen:\n{trail}"

    # The search box opens when it takes the focus; the language link is used with Enter, like a click.
    page.goto(server + path, wait_until="load")
    _tab_through(page, lambda s: is_search(s[-1]))
    assert page.evaluate("() => document.getElementById('__search').checked"), "search did not open on focus"
    page.goto(server + path, wait_until="load")
    _tab_through(page, lambda s: is_switch(s[-1]))
    page.wait_for_function(
        "() => getComputedStyle(document.activeElement.closest('.md-select__inner')).opacity === '1'", timeout=3000
    )
    page.keyboard.press("Enter")
    page.wait_for_url(server + other_url)
    assert page.locator("html").get_attribute("lang") == other


def test_tab_out_of_search_closes_it_and_a_click_outside_still_does(page, server):
    """Leaving the open search with Tab closes it (or the focus would go on under the overlay, out of sight);
    a click on the overlay (or the back arrow on a phone) must still close it, not reopen it."""
    is_open = "() => document.getElementById('__search').checked"
    page.goto(server + "/en/", wait_until="load")
    steps = _tab_through(page, lambda s: s[-1]["tag"] == "input" and "md-search__input" in s[-1]["cls"])
    assert page.evaluate(is_open), f"search did not open on focus:\n{_trail(steps)}"
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if not page.evaluate("() => !!document.activeElement.closest('.md-search')"):
            break
    assert not page.evaluate(is_open), "the focus left the search box with Tab, but the search stayed open"

    page.locator(".md-search__input").focus()
    assert page.evaluate(is_open)
    page.mouse.click(100, 600)  # on the overlay, beside the search box
    page.wait_for_timeout(300)
    assert not page.evaluate(is_open), "a click on the overlay did not close the search"
