"""A small client for the Chrome DevTools Protocol, for the site's browser
tests: start a headless Chromium that reaches only what it is sent to,
open pages, run scripts in them, click, take screenshots.

It uses the pinned `websocket-client` (tests/requirements.txt) and nothing
else beyond the standard library.
"""

import json
import os
import shutil
import subprocess
import tempfile
import time

import websocket

# Headless, and nothing that reaches out on its own: without the
# background-networking flags Chromium tries the network at start.
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
    "--no-default-browser-check",
    "--hide-scrollbars",
    "--window-size=1280,900",
]


def find_chromium():
    """The Chromium binary: $CHROMIUM, or one on PATH."""
    for candidate in [os.environ.get("CHROMIUM"), "chromium", "chromium-browser", "google-chrome"]:
        if candidate and shutil.which(candidate):
            return shutil.which(candidate)
    return None


class CdpError(Exception):
    pass


class Browser:
    """One headless Chromium with a fresh profile, and its first tab."""

    def __init__(self, lang, timeout=30):
        binary = find_chromium()
        if binary is None:
            raise CdpError("no chromium on PATH (tests/run.sh installs the Debian package)")
        self.timeout = timeout
        self.profile = tempfile.mkdtemp(prefix="runbook-chromium-")
        self.process = subprocess.Popen(
            [binary, *FLAGS, f"--user-data-dir={self.profile}", f"--lang={lang}",
             f"--accept-lang={lang}", "--remote-debugging-port=0", "about:blank"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env={**os.environ, "LANGUAGE": lang, "LANG": "C.UTF-8"},
        )
        try:
            port = self._devtools_port()
            self.socket = websocket.create_connection(self._page_socket(port), timeout=timeout)
        except BaseException:
            self.close()
            raise
        self.next_id = 0
        self.events = []
        self.send("Page.enable")
        self.send("Runtime.enable")

    def _devtools_port(self):
        path = os.path.join(self.profile, "DevToolsActivePort")
        deadline = time.time() + self.timeout
        while time.time() < deadline:
            if self.process.poll() is not None:
                raise CdpError(f"chromium exited with {self.process.returncode}")
            try:
                with open(path) as file:
                    first = file.readline().strip()
                if first:
                    return int(first)
            except (FileNotFoundError, ValueError):
                pass
            time.sleep(0.05)
        raise CdpError("chromium did not open its DevTools port")

    def _page_socket(self, port):
        import urllib.request
        deadline = time.time() + self.timeout
        while time.time() < deadline:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=5) as response:
                targets = json.load(response)
            pages = [t for t in targets if t.get("type") == "page"]
            if pages:
                return pages[0]["webSocketDebuggerUrl"]
            time.sleep(0.05)
        raise CdpError("chromium has no page")

    def close(self):
        if getattr(self, "socket", None):
            try:
                self.socket.close()
            except Exception:
                pass
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.profile, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def send(self, method, params=None):
        """Sends one command and returns its result, keeping the events that
        arrive meanwhile."""
        self.next_id += 1
        ident = self.next_id
        self.socket.send(json.dumps({"id": ident, "method": method, "params": params or {}}))
        deadline = time.time() + self.timeout
        while time.time() < deadline:
            message = json.loads(self.socket.recv())
            if message.get("id") == ident:
                if "error" in message:
                    raise CdpError(f"{method}: {message['error']}")
                return message.get("result", {})
            if "method" in message:
                self.events.append(message)
        raise CdpError(f"{method}: no answer in {self.timeout}s")

    def wait_event(self, method, timeout=None):
        deadline = time.time() + (timeout or self.timeout)
        while time.time() < deadline:
            for i, event in enumerate(self.events):
                if event["method"] == method:
                    return self.events.pop(i)
            self.socket.settimeout(max(0.05, deadline - time.time()))
            try:
                message = json.loads(self.socket.recv())
            except websocket.WebSocketTimeoutException:
                break
            finally:
                self.socket.settimeout(self.timeout)
            if "method" in message:
                self.events.append(message)
        raise CdpError(f"no {method} event")

    def evaluate(self, expression, await_promise=False):
        """The value of a JavaScript expression in the page (JSON-able)."""
        result = self.send("Runtime.evaluate", {
            "expression": expression,
            "returnByValue": True,
            "awaitPromise": await_promise,
        })
        if "exceptionDetails" in result:
            raise CdpError(f"{expression[:80]}…: {result['exceptionDetails']}")
        return result["result"].get("value")

    def wait_for(self, expression, timeout=None):
        """Waits until `expression` is truthy in the page; returns its value."""
        deadline = time.time() + (timeout or self.timeout)
        while True:
            try:
                value = self.evaluate(expression)
            except CdpError:
                value = None
            if value:
                return value
            if time.time() > deadline:
                raise CdpError(f"timed out waiting for {expression}")
            time.sleep(0.05)

    def navigate(self, url):
        """Opens `url` and waits for the page to have loaded."""
        self.events = [e for e in self.events if e["method"] != "Page.loadEventFired"]
        self.send("Page.navigate", {"url": url})
        self.wait_event("Page.loadEventFired")

    def url(self):
        return self.evaluate("window.location.href")

    def click(self, selector):
        """A real mouse click in the middle of the element, then waits for the
        page it leads to."""
        box = self.evaluate(
            "(() => { const e = document.querySelector(%s); if (!e) return null;"
            " let r = e.getBoundingClientRect();"
            " if (r.bottom < 0 || r.top > innerHeight) {"
            " e.scrollIntoView({block: 'center'}); r = e.getBoundingClientRect(); }"
            " return [r.left + r.width / 2, r.top + r.height / 2]; })()" % json.dumps(selector))
        if box is None:
            raise CdpError(f"no element {selector}")
        self.events = [e for e in self.events if e["method"] != "Page.loadEventFired"]
        x, y = box
        for kind in ("mousePressed", "mouseReleased"):
            self.send("Input.dispatchMouseEvent",
                      {"type": kind, "x": x, "y": y, "button": "left", "clickCount": 1})
        self.wait_event("Page.loadEventFired")

    def screenshot(self, path):
        data = self.send("Page.captureScreenshot", {"format": "png"})["data"]
        import base64
        with open(path, "wb") as file:
            file.write(base64.b64decode(data))
