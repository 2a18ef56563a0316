#!/usr/bin/env python3
"""Seed corpora for the PDF fuzz targets, cut out of tests/corpus/*.pdf (needs `qpdf` and
`fix-qdf` on the PATH; Debian package `qpdf`). Writes fuzz/seeds/pdf and fuzz/seeds/pdf_page,
which are not committed (make them again with `python3 fuzz/seeds.py`).

- seeds/pdf: each page of each corpus PDF as its own small uncompressed PDF (qpdf's QDF form)
  with embedded font programs and images emptied, so libFuzzer's byte mutations land in
  readable objects and content streams, and one execution costs one page, not a document.
- seeds/pdf_page: the same pages in the `pdf_page` target's input format (ToUnicode CMap,
  two empty forms, default font metrics, the page content with its font names renamed to /F1).
"""
import os, re, subprocess, sys, tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = os.path.join(ROOT, "tests", "corpus")
OUT = os.path.join(ROOT, "fuzz", "seeds")
CUT = b"\n%%CUT\n"
OBJ = re.compile(rb"(\d+) 0 obj\n(.*?)\nendobj", re.S)
STREAM = re.compile(rb"^(.*?)stream\n(.*)\nendstream$", re.S)


def pages_of(pdf):
    out = subprocess.run(["qpdf", "--show-npages", pdf], capture_output=True, check=True)
    return int(out.stdout)


def strip(qdf):
    """Empties font programs and images; fix-qdf repairs lengths and the xref afterwards."""
    def repl(m):
        body = m.group(2)
        s = STREAM.match(body)
        if s and (b"/Length1" in s.group(1) or b"/Length2" in s.group(1)
                  or b"/FontFile" in s.group(1) or b"/Subtype /Image" in s.group(1)
                  or b"/Subtype /CIDFontType0C" in s.group(1)):
            return m.group(1) + b" 0 obj\n" + s.group(1) + b"stream\n\nendstream\nendobj"
        return m.group(0)
    return OBJ.sub(repl, qdf)


def page_input(qdf):
    cmap, contents = b"", []
    for m in OBJ.finditer(qdf):
        s = STREAM.match(m.group(2))
        if not s:
            continue
        data = s.group(2)
        if b"begincmap" in data:
            cmap = cmap or data
        elif re.search(rb"\b(Tj|TJ|re|BT)\b", data):
            contents.append(data)
    content = b"\n".join(contents)
    content = re.sub(rb"/[^\s/\[\]()<>]+(\s+[-\d.]+\s+Tf)", rb"/F1\1", content)
    return cmap + CUT + CUT + CUT + CUT + content


def main():
    for sub in ("pdf", "pdf_page"):
        os.makedirs(os.path.join(OUT, sub), exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        for name in sorted(os.listdir(CORPUS)):
            if not name.endswith(".pdf"):
                continue
            src = os.path.join(CORPUS, name)
            for n in range(1, pages_of(src) + 1):
                qdf_path = os.path.join(tmp, "p.pdf")
                subprocess.run(["qpdf", "--qdf", "--object-streams=disable", src,
                                "--pages", ".", str(n), "--", qdf_path], check=True)
                qdf = strip(open(qdf_path, "rb").read())
                fixed = subprocess.run(["fix-qdf"], input=qdf, capture_output=True, check=True).stdout
                stem = f"{name[:-4]}_p{n:02}"
                open(os.path.join(OUT, "pdf", stem + ".pdf"), "wb").write(fixed)
                open(os.path.join(OUT, "pdf_page", stem), "wb").write(page_input(fixed))
    # Small hand-made inputs that use every section: forms drawing each other, odd metrics.
    cmap = b"1 begincodespacerange <0000> <FFFF> endcodespacerange\n" \
        b"2 beginbfchar <0001> <5E74> <0002> <0031> endbfchar\n" \
        b"1 beginbfrange <0010> <0020> <4E00> endbfrange\n"
    open(os.path.join(OUT, "pdf_page", "handmade_forms"), "wb").write(CUT.join([
        cmap,
        b"BT /F1 10 Tf 72 700 Td <00010002> Tj ET /X2 Do",
        b"q 0.5 w 72 600 m 500 600 l S 72 500 400 0.5 re f Q /X1 Do",
        b"/DW 900 /W [1 [500 600] 16 32 1000] /FirstChar 30 /Widths [250 250 300]",
        b"BT /F1 12 Tf 72 760 Td <0001001000110012> Tj /F2 9 Tf (Total 12.50) Tj /F3 9 Tf <5E74> Tj ET /X1 Do /Im1 Do",
        b"BT /F2 10 Tf 1 0 0 1 72 700 Tm [(A) -120 (B)] TJ T* (C) ' ET",
    ]))
    print("seeds written to", OUT, file=sys.stderr)


if __name__ == "__main__":
    main()
