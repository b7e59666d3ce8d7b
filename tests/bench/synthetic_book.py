#!/usr/bin/env python3
"""Writes a synthetic book of N copies of the repository's guide, for the
site benchmark (tests/bench/site.sh).

The book keeps book.toml, po/ and every page of book/; the guide
(troubleshooting.md) is copied N times as chapters guide-1.md ... guide-N.md,
each with its explicit heading ids and its in-page links suffixed with -cK so
every id stays unique and every link resolves. The concept pages are kept,
so their links into the guide resolve too (they point at the first copy).

Usage: synthetic_book.py N OUT_DIR   (OUT_DIR must not exist)
"""
import re
import shutil
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
GUIDE = "troubleshooting.md"


def main() -> None:
    copies, out = int(sys.argv[1]), Path(sys.argv[2])
    if copies < 1:
        sys.exit("N must be at least 1")
    if out.exists():
        sys.exit(f"{out} exists")
    shutil.copytree(REPO / "book", out / "book")
    shutil.copy(REPO / "book.toml", out / "book.toml")
    if (REPO / "po").is_dir():
        shutil.copytree(REPO / "po", out / "po")
    guide = (REPO / "book" / GUIDE).read_text(encoding="utf-8")
    ids = set(re.findall(r"\{#([^}\s]+)\}", guide))
    for k in range(1, copies + 1):
        text = re.sub(r"\{#([^}\s]+)\}", lambda m: "{#%s-c%d}" % (m.group(1), k), guide)
        # In-page links to the pinned ids follow them.
        text = re.sub(
            r"\]\(#([^)\s]+)\)",
            lambda m: "](#%s-c%d)" % (m.group(1), k) if m.group(1) in ids else m.group(0),
            text,
        )
        (out / "book" / f"guide-{k}.md").write_text(text, encoding="utf-8")
    (out / "book" / GUIDE).unlink()
    summary = (out / "book" / "SUMMARY.md").read_text(encoding="utf-8")
    line = next(l for l in summary.splitlines() if f"({GUIDE})" in l or f"(./{GUIDE})" in l)
    link = re.compile(r"\[([^\]]*)\]\((\./)?" + re.escape(GUIDE) + r"\)")
    copies_lines = "\n".join(
        link.sub(lambda m, k=k: f"[{m.group(1)} {k}](./guide-{k}.md)", line)
        for k in range(1, copies + 1)
    )
    summary = summary.replace(line, copies_lines)
    (out / "book" / "SUMMARY.md").write_text(summary, encoding="utf-8")
    # Other pages' links into the guide point at the first copy.
    for page in (out / "book").glob("*.md"):
        if page.name.startswith("guide-") or page.name == "SUMMARY.md":
            continue
        text = page.read_text(encoding="utf-8")
        text = re.sub(
            re.escape(GUIDE) + r"(#([^)\s]+))?",
            lambda m: "guide-1.md" + ("#%s-c1" % m.group(2) if m.group(2) in ids else (m.group(1) or "")),
            text,
        )
        page.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
