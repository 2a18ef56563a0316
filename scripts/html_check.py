#!/usr/bin/env python3
"""Checks a `shenhe check --format html` page as a browser rendered it (the DOM that headless
Chromium dumps after the page's script ran) against the JSON report of the same run: every
location of every finding is highlighted at the place the finding names, linked both ways.

Usage: html_check.py DOM.html REPORT.json   (exit 0 when everything holds, 1 otherwise)
"""

import json
import sys
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Node:
    def __init__(self, tag, attrs, parent):
        self.tag, self.attrs, self.parent = tag, dict(attrs), parent
        self.children = []

    def classes(self):
        return (self.attrs.get("class") or "").split()

    def ancestors(self):
        n = self.parent
        while n is not None:
            yield n
            n = n.parent

    def descendants(self):
        for c in self.children:
            if isinstance(c, Node):
                yield c
                yield from c.descendants()

    def text(self, skip_refs=True):
        out = []
        for c in self.children:
            if isinstance(c, str):
                out.append(c)
            elif not (skip_refs and c.tag == "a" and "ref" in c.classes()):
                out.append(c.text(skip_refs))
        return "".join(out)


class Tree(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#root", [], None)
        self.cur = self.root
        self.ids = {}

    def handle_starttag(self, tag, attrs):
        n = Node(tag, attrs, self.cur)
        self.cur.children.append(n)
        if "id" in n.attrs:
            self.ids[n.attrs["id"]] = n
        if tag not in VOID:
            self.cur = n

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.cur = self.cur.parent

    def handle_endtag(self, tag):
        n = self.cur
        while n is not None and n.tag != tag:
            n = n.parent
        if n is not None and n.parent is not None:
            self.cur = n.parent

    def handle_data(self, data):
        self.cur.children.append(data)


def squeeze(s):
    return "".join(s.split())


def main(dom_path, json_path):
    tree = Tree()
    with open(dom_path, encoding="utf-8") as f:
        tree.feed(f.read())
    with open(json_path, encoding="utf-8") as f:
        report = json.load(f)
    problems = []
    body = next((n for n in tree.root.descendants() if n.tag == "body"), None)
    if body is None or body.attrs.get("data-ready") != "1":
        problems.append("the page's script did not run (body[data-ready] is not 1)")
    elif body.attrs.get("data-broken-links") != "0":
        problems.append("broken location links: %s" % body.attrs.get("data-broken-links"))
    checked = 0
    for rep in report["reports"]:
        d = rep["index"]
        for fi, f in enumerate(rep["findings"]):
            fid = "d%d-f%d" % (d, fi)
            li = tree.ids.get(fid)
            if li is None or f["rule_id"] not in li.text():
                problems.append("%s: finding %s missing" % (fid, f["rule_id"]))
                continue
            for li_n, loc in enumerate(f["locations"]):
                aid = "%s-l%d" % (fid, li_n)
                anchor = tree.ids.get(aid)
                if anchor is None:
                    problems.append("%s: no highlight for %s" % (aid, loc))
                    continue
                if not any(n.attrs.get("href") == "#" + aid for n in li.descendants()):
                    problems.append("%s: not linked from its finding" % aid)
                hit = next((a for a in anchor.ancestors() if "hit" in a.classes()), None)
                if hit is None or fid not in (hit.attrs.get("data-f") or "").split():
                    problems.append("%s: not inside a highlight of its finding" % aid)
                    continue
                if "text" in loc:
                    shown = squeeze(hit.text())
                    want = squeeze(loc["text"])
                    if not (want.startswith(shown) or want in shown):
                        problems.append("%s: highlighted %r, finding says %r" % (aid, shown, want))
                elif "column" in loc:
                    value = next((n.text() for n in hit.descendants() if "v" in n.classes()), "")
                    want = "" if loc.get("value") == "（空白）" else loc.get("value")
                    if hit.tag != "td" or hit.attrs.get("data-row") != loc.get("row") \
                            or hit.attrs.get("data-col") != loc["column"] or value != want:
                        problems.append("%s: cell %s/%s=%r, finding says %s/%s=%r" % (
                            aid, hit.attrs.get("data-row"), hit.attrs.get("data-col"), value,
                            loc.get("row"), loc["column"], want))
                elif "row" in loc:
                    if hit.tag != "th" or squeeze(hit.text()) != squeeze(loc["row"]):
                        problems.append("%s: row label %r, finding says %r" % (aid, hit.text(), loc["row"]))
                checked += 1
    for p in problems:
        print("FAIL", p)
    print("%d locations checked, %d problems" % (checked, len(problems)))
    return 1 if problems or checked == 0 else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
