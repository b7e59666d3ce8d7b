"""Drives the built site in headless Chromium and reports what it saw, as
JSON on stdout; tests/site_browser.rs makes the assertions.

Input (JSON on stdin):
  {"site": DIR, "out": DIR for screenshots, "source": "fr", "languages": [...],
   "entry": {"page": "x.html", "id": "anchor"},
   "searches": {"fr": ["query", ...], ...}, "terms": {"fr": ["token", ...]}}

It serves DIR on 127.0.0.1 (a free port) and starts one Chromium per
language, that language first in its preferences.
"""

import functools
import http.server
import json
import os
import sys
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cdp import Browser  # noqa: E402


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve(directory):
    handler = functools.partial(QuietHandler, directory=directory)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


RESULTS = """(() => ({
    header: document.getElementById('mdbook-searchresults-header').textContent,
    results: Array.from(document.querySelectorAll('#mdbook-searchresults li > a'))
        .map(a => a.getAttribute('href')),
}))()"""


def search(browser, query):
    """Types `query` into the open search bar, as a reader would."""
    browser.evaluate("document.getElementById('mdbook-searchbar').select()")
    browser.send("Input.insertText", {"text": query})
    for kind in ("keyDown", "keyUp"):
        browser.send("Input.dispatchKeyEvent", {"type": kind, "key": "End", "code": "End",
                                                "windowsVirtualKeyCode": 35})
    browser.wait_for("document.getElementById('mdbook-searchresults-header').textContent !== ''")
    return browser.evaluate(RESULTS)


def open_search(browser, base, language):
    browser.navigate(f"{base}/{language}/index.html")
    browser.evaluate("document.getElementById('mdbook-search-toggle').click()")
    browser.wait_for("window.search && window.search.index !== undefined"
                     " && !document.getElementById('mdbook-searchbar-outer')"
                     ".classList.contains('searching')")
    return browser.evaluate(
        "({placeholder: document.getElementById('mdbook-searchbar').placeholder,"
        " lang: document.documentElement.lang})")


def anchor_in_view(browser, ident):
    return browser.evaluate(
        "(() => { const e = document.getElementById(%s); if (!e) return false;"
        " const r = e.getBoundingClientRect(); return r.top >= -2 && r.top < innerHeight; })()"
        % json.dumps(ident))


def main():
    plan = json.load(sys.stdin)
    out = plan["out"]
    os.makedirs(out, exist_ok=True)
    server = serve(plan["site"])
    base = f"http://127.0.0.1:{server.server_address[1]}"
    report = {"root": {}, "switch": {}, "search": {}, "faq": {}, "terms": {}, "ui": {}}
    entry = plan["entry"]
    try:
        for language in plan["languages"]:
            with Browser(lang=language) as browser:
                # The root picks the browser's language.
                browser.navigate(base + "/")
                browser.wait_for("location.pathname !== '/' && document.readyState === 'complete'")
                report["root"][language] = {
                    "navigator": browser.evaluate("navigator.languages"),
                    "url": browser.url()[len(base):],
                }
                browser.screenshot(os.path.join(out, f"root-{language}.png"))

                # The switch, from an entry's anchor, there and back.
                others = [l for l in plan["languages"] if l != language]
                if others:
                    start = f"{base}/{language}/{entry['page']}#{entry['id']}"
                    browser.navigate(start)
                    browser.screenshot(os.path.join(out, f"entry-{language}.png"))
                    browser.click("a.runbook-language-switch")
                    there = browser.url()[len(base):]
                    in_view = anchor_in_view(browser, entry["id"])
                    browser.screenshot(os.path.join(out, f"entry-{language}-switched.png"))
                    browser.click("a.runbook-language-switch")
                    back = browser.url()[len(base):]
                    # Without an anchor in the address: the heading scrolled to.
                    browser.navigate(f"{base}/{language}/{entry['page']}")
                    browser.evaluate("document.getElementById(%s).scrollIntoView()"
                                     % json.dumps(entry["id"]))
                    browser.click("a.runbook-language-switch")
                    scrolled = browser.url()[len(base):]
                    report["switch"][language] = {
                        "there": there, "in_view": in_view, "back": back, "scrolled": scrolled,
                    }

                # Search, typed into mdBook's search bar.
                report["ui"][language] = open_search(browser, base, language)
                results = {}
                for i, query in enumerate(plan["searches"].get(language, [])):
                    results[query] = search(browser, query)
                    if i == 0:
                        browser.screenshot(os.path.join(out, f"search-{language}.png"))
                report["search"][language] = results

                # The query side's terms, to compare with the index side's.
                words = plan["terms"].get(language)
                if words:
                    report["terms"][language] = browser.evaluate(
                        "(%s).map(w => window.runbookFrenchSearch.terms(w))" % json.dumps(words))

                # The FAQ page.
                browser.navigate(f"{base}/{language}/faq.html")
                report["faq"][language] = browser.evaluate(
                    "Array.from(document.querySelectorAll('main a[href]'))"
                    ".map(a => a.getAttribute('href'))")
                browser.screenshot(os.path.join(out, f"faq-{language}.png"))
    finally:
        server.shutdown()
    json.dump(report, sys.stdout)


if __name__ == "__main__":
    main()
