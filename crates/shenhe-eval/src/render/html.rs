//! One self-contained HTML page per run (inline CSS and script, no network): per document its
//! findings, its narrative and its tables, the cells and sentences each finding points at
//! highlighted, linked from the finding (`#d0-f3-l1`) and linking back to it (`#d0-f3`).
//!
//! Ids: document `d{i}`, finding `d{i}-f{n}` (n = index in the report's findings), the place of
//! location `l` of that finding `d{i}-f{n}-l{l}` (an empty `a.anchor` inside the highlighted
//! cell, heading or sentence), table `d{i}-t{k}`. Highlighted elements have class `hit` and
//! `data-f` listing the findings that point at them; a cell's value is in `span.v`.
//!
//! The page is also well-formed XML (void elements closed, every attribute with a value, no
//! `<` or `&` in the style and script), so that tools and tests can parse it as such.

use std::fmt::Write as _;

use crate::finding::Finding;
use crate::render::escape::markup;
use crate::render::html_doc::{Marks, Placer, body, finding_severity_class};
use crate::render::summary::open_line;
use crate::render::{Checked, DocOutcome, Render, RunInfo, Summary, write_text};
use crate::waiver::{WaiverState, location_key};

pub struct Html;

pub(super) const STYLE: &str = r#"
:root { --err: #c62828; --warn: #e65100; --info: #1565c0; --waived: #757575; }
* { box-sizing: border-box; }
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", sans-serif;
       margin: 0; color: #222; background: #fafafa; line-height: 1.6; }
header.top { position: sticky; top: 0; z-index: 2; background: #263238; color: #fff; padding: .5em 1.5em; }
header.top h1 { font-size: 1.2em; margin: 0; display: inline; }
header.top .meta { margin-left: 1em; opacity: .8; font-size: .9em; }
header.top label { margin-left: 1.2em; font-size: .9em; }
main { padding: 1em 1.5em; }
section.doc { background: #fff; border: 1px solid #ddd; border-radius: 6px; margin: 0 0 2em; padding: 1em 1.5em; }
section.doc > h2 { margin-top: 0; font-size: 1.15em; }
.counts { color: #555; }
.notice { background: #fff4d6; border-left: 4px solid #e0a800; padding: .4em .8em; }
.unreadable { color: var(--err); }
ol.findings { padding-left: 1.8em; }
li.finding { margin: .6em 0; padding: .4em .6em; border-left: 4px solid #999; background: #f7f7f7; }
li.finding.sev-error { border-color: var(--err); }
li.finding.sev-warning { border-color: var(--warn); }
li.finding.sev-info { border-color: var(--info); }
li.finding.waived { opacity: .65; border-style: dashed; }
li.finding.focus, .hit.focus { outline: 3px solid #fdd835; }
.sev { display: inline-block; padding: 0 .4em; border-radius: 3px; color: #fff; font-size: .85em; }
.sev-error .sev { background: var(--err); } .sev-warning .sev { background: var(--warn); } .sev-info .sev { background: var(--info); }
.badge { font-size: .8em; padding: 0 .4em; border: 1px solid var(--waived); border-radius: 3px; color: var(--waived); margin-left: .4em; }
.badge.lapsed, .badge.expired { border-color: var(--warn); color: var(--warn); }
.msg { margin: .2em 0; }
.values, .rule, .waiver { font-size: .88em; color: #555; margin: .1em 0; }
ul.locs { margin: .2em 0; padding-left: 1.2em; font-size: .9em; }
details { margin: .8em 0; } summary { cursor: pointer; font-weight: bold; }
.narrative p { margin: .4em 0; text-indent: 2em; }
.sent { background: #fff8e1; }
mark.hit { background: #ffe082; padding: 0 1px; }
mark.hit.sev-error { background: #ffcdd2; } mark.hit.sev-info { background: #bbdefb; }
mark.hit.waived { background: #e0e0e0; }
.table { margin: 1em 0 1.5em; overflow-x: auto; }
h4.caption { margin: .3em 0; font-size: 1em; }
p.preparer { margin: 0 0 .3em; font-size: .9em; color: #555; }
table { border-collapse: collapse; font-size: .85em; }
th, td { border: 1px solid #ccc; padding: 2px 6px; }
thead th { background: #eceff1; }
tbody th { text-align: left; font-weight: normal; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.total { font-weight: bold; background: #f5f5f5; }
td.inferred { font-style: italic; } td.ambiguous { text-decoration: underline wavy #e65100; }
td.hit, th.hit, span.hit { background: #ffe082; }
td.hit.sev-error, th.hit.sev-error, span.hit.sev-error { background: #ffcdd2; box-shadow: inset 0 0 0 2px var(--err); }
td.hit.sev-warning, th.hit.sev-warning, span.hit.sev-warning { box-shadow: inset 0 0 0 2px var(--warn); }
td.hit.sev-info, th.hit.sev-info, span.hit.sev-info { background: #bbdefb; }
td.hit.waived, th.hit.waived, span.hit.waived { background: #eeeeee; box-shadow: inset 0 0 0 2px var(--waived); }
a.ref { font-size: .7em; vertical-align: super; margin-left: 2px; text-decoration: none; color: #b71c1c; }
a.anchor { scroll-margin-top: 4em; }
li.finding { scroll-margin-top: 4em; }
.note { font-size: .85em; color: #555; }
footer.summary { background: #fff; border: 1px solid #ddd; border-radius: 6px; padding: 1em 1.5em; white-space: pre-wrap; }
body.hide-waived .waived { display: none; }
body.focus-mode main > :not(.keep), body.focus-mode section.doc > :not(.keep),
body.focus-mode details > :not(.keep):not(summary), body.focus-mode ol.findings > :not(.keep) { display: none; }
:target { animation: flash 1.5s ease-out 1; }
@keyframes flash { from { outline: 4px solid #fdd835; } to { outline: 0 solid transparent; } }
"#;

pub(super) const SCRIPT: &str = r##"
(function () {
  'use strict';
  function hitsOf(id) {
    return Array.prototype.filter.call(document.querySelectorAll('[data-f]'), function (el) {
      return el.getAttribute('data-f').split(' ').indexOf(id) >= 0;
    });
  }
  var current = [];
  function focus(id) {
    current.forEach(function (el) { el.classList.remove('focus'); });
    var li = document.getElementById(id);
    current = hitsOf(id);
    if (li) { current.push(li); }
    current.forEach(function (el) { el.classList.add('focus'); });
  }
  document.addEventListener('click', function (e) {
    var li = e.target.closest ? e.target.closest('li.finding') : null;
    if (li) { focus(li.id); return; }
    var hit = e.target.closest ? e.target.closest('[data-f]') : null;
    if (hit) { focus(hit.getAttribute('data-f').split(' ')[0]); }
  });
  function onHash() {
    var id = decodeURIComponent(location.hash.slice(1));
    var m = /^(d\d+-f\d+)/.exec(id);
    if (m) { focus(m[1]); }
  }
  window.addEventListener('hashchange', onHash);
  var box = document.getElementById('hide-waived');
  if (box) {
    box.addEventListener('change', function () {
      document.body.classList.toggle('hide-waived', box.checked);
    });
  }
  // `?focus=d0-f3`: show only that finding and the places it points at (for printing one
  // finding, or a screenshot of it).
  function keep(el) {
    while (el) {
      if (el === document.body) { return; }
      el.classList.add('keep');
      el = el.parentElement;
    }
  }
  var fm = /[?]focus=([A-Za-z0-9-]+)/.exec(location.search);
  if (fm ? document.getElementById(fm[1]) : null) {
    var fid = fm[1];
    document.body.classList.add('focus-mode');
    keep(document.getElementById(fid));
    hitsOf(fid).forEach(function (el) {
      keep(el.closest('.table') || el.closest('p') || el);
    });
    Array.prototype.forEach.call(document.querySelectorAll('section.doc.keep > h2'), keep);
    focus(fid);
  }
  // Count what is on the page, for a person (and a headless browser) to see it worked.
  var links = document.querySelectorAll('ul.locs a[href^="#"]');
  var broken = 0;
  Array.prototype.forEach.call(links, function (a) {
    if (!document.getElementById(a.getAttribute('href').slice(1))) { broken += 1; }
  });
  document.body.setAttribute('data-links', String(links.length));
  document.body.setAttribute('data-broken-links', String(broken));
  document.body.setAttribute('data-ready', '1');
  onHash();
})();
"##;

fn waiver_badge(f: &Finding) -> String {
    match &f.waiver {
        None => String::new(),
        Some(w) => {
            let class = match w.state {
                WaiverState::Waived => "waived",
                WaiverState::Expired => "expired",
                WaiverState::Lapsed => "lapsed",
            };
            format!("<span class=\"badge {class}\">{}</span>", w.state.name())
        }
    }
}

fn location_label(l: &crate::finding::Location) -> String {
    let mut s = format!("{}：", l.role);
    let parts: Vec<&str> = [&l.table, &l.section, &l.row, &l.column]
        .into_iter()
        .flatten()
        .map(String::as_str)
        .collect();
    s.push_str(&parts.join(" / "));
    if let Some(v) = &l.value {
        let _ = write!(s, " = {v}");
    }
    if let Some(t) = &l.text {
        let _ = write!(s, "「{t}」");
    }
    if let Some(loc) = &l.loc {
        match loc.page {
            Some(p) => {
                let _ = write!(s, "（第 {p} 页，第 {} 行）", loc.line);
            }
            None => {
                let _ = write!(s, "（第 {} 行）", loc.line);
            }
        }
    }
    if let Some(p) = &l.placement {
        let _ = write!(s, "〔{p}〕");
    }
    s
}

/// The cells that would resolve several findings at once: each linked to where one of its
/// findings marks it, with links to those findings.
fn causes_html(out: &mut String, prefix: &str, r: &crate::report::Report, placed: &[Vec<bool>]) {
    out.push_str("<h3>可能的共同原因</h3>\n<ol class=\"causes\">\n");
    for c in &r.causes {
        let anchor = c.findings.iter().find_map(|&fi| {
            let f = r.findings.get(fi)?;
            let li = f.locations.iter().enumerate().position(|(li, l)| {
                l.loc == c.location.loc
                    && placed
                        .get(fi)
                        .and_then(|p| p.get(li))
                        .copied()
                        .unwrap_or(false)
            })?;
            Some(format!("{prefix}-f{fi}-l{li}"))
        });
        let label = location_label(&c.location);
        let label = markup(&label);
        out.push_str("<li>");
        match anchor {
            Some(a) => {
                let _ = write!(out, "<a href=\"#{a}\">{label}</a>");
            }
            None => out.push_str(&label),
        }
        let _ = write!(
            out,
            "：若为 <b>{}</b>（{}），这 {} 处发现都将消除：",
            markup(&c.suggested),
            markup(&c.change),
            c.findings.len()
        );
        for (k, &fi) in c.findings.iter().enumerate() {
            let Some(f) = r.findings.get(fi) else {
                continue;
            };
            if k > 0 {
                out.push('、');
            }
            let _ = write!(
                out,
                "<a href=\"#{prefix}-f{fi}\">{}（第 {} 处）</a>",
                markup(&f.rule_id),
                fi + 1
            );
        }
        out.push_str("</li>\n");
    }
    out.push_str("</ol>\n");
}

fn finding_html(out: &mut String, prefix: &str, fi: usize, f: &Finding, placed: &[bool]) {
    let waived = if crate::waiver::is_open(f) {
        ""
    } else {
        " waived"
    };
    let id = format!("{prefix}-f{fi}");
    let _ = writeln!(
        out,
        "<li class=\"finding {}{waived}\" id=\"{id}\" value=\"{}\" data-rule=\"{}\">",
        finding_severity_class(f),
        fi + 1,
        markup(&f.rule_id)
    );
    let _ = writeln!(
        out,
        "<div class=\"head\"><span class=\"sev\">{}</span> <b>{}</b> {}{}</div>",
        f.severity.name(),
        markup(&f.rule_id),
        markup(&f.title),
        waiver_badge(f)
    );
    let _ = writeln!(out, "<p class=\"msg\">{}</p>", markup(&f.message));
    if let Some(v) = &f.values {
        let _ = writeln!(
            out,
            "<p class=\"values\">左 {} {} 右 {}；差 {}；容差 {}（{}）</p>",
            markup(&v.left.printed),
            markup(v.comparison),
            markup(&v.right.printed),
            markup(v.difference.as_ref().map_or("—", |d| d.printed.as_str())),
            markup(&v.tolerance.printed),
            markup(&v.tolerance.source)
        );
    }
    if let Some(n) = &f.note
        && n != &f.message
    {
        let _ = writeln!(out, "<p class=\"values\">说明：{}</p>", markup(n));
    }
    out.push_str("<ul class=\"locs\">\n");
    for (li, l) in f.locations.iter().enumerate() {
        let label = location_label(l);
        let label = markup(&label);
        if placed.get(li).copied().unwrap_or(false) {
            let _ = writeln!(out, "<li><a href=\"#{id}-l{li}\">{label}</a></li>");
        } else {
            let _ = writeln!(out, "<li>{label}</li>");
        }
    }
    out.push_str("</ul>\n");
    let _ = writeln!(
        out,
        "<p class=\"rule\">规则定义：{}:{}:{} · 指纹 <code>{}</code> · 位置键 <code>{}</code></p>",
        markup(&f.rule_span.file),
        f.rule_span.line,
        f.rule_span.column,
        markup(&f.fingerprint),
        markup(&location_key(f))
    );
    if let Some(w) = &f.waiver {
        let _ = writeln!(
            out,
            "<p class=\"waiver\">{}：{}（{}，到期 {}；配置第 {} 行）</p>",
            w.state.name(),
            markup(&w.reason),
            markup(&w.author),
            markup(&w.expires),
            w.config_line
        );
    }
    out.push_str("</li>\n");
}

fn checked_html(out: &mut String, index: usize, c: &Checked<'_>) {
    let prefix = format!("d{index}");
    let r = c.report;
    let d = &r.document;
    let mut head = markup(c.path).into_owned();
    if let Some(u) = &d.unit_name {
        let _ = write!(head, "（{}", markup(u));
        if let Some(y) = d.year {
            let _ = write!(head, "，{y} 年");
        }
        if let Some(k) = &d.kind {
            let _ = write!(head, "{}", markup(k));
        }
        head.push('）');
    }
    let _ = writeln!(
        out,
        "<section class=\"doc\" id=\"{prefix}\" data-path=\"{}\">\n<h2>{head}</h2>",
        markup(c.path)
    );
    let k = &r.counts;
    let _ = writeln!(
        out,
        "<p class=\"counts\">规则 {} 条：通过 {}，不通过 {}，不适用 {}，出错 {}。发现 {} 处；未豁免的{}。</p>",
        k.rules,
        k.pass,
        k.fail,
        k.not_applicable,
        k.error,
        k.findings,
        open_line(r)
    );
    for n in &d.notices {
        let _ = writeln!(
            out,
            "<p class=\"notice\">{}{}</p>",
            super::NOTICE,
            markup(n)
        );
    }
    let placer = Placer::new(c.document);
    let (marks, placed) = Marks::new(&prefix, &placer, r);
    if !r.findings.is_empty() {
        out.push_str("<h3>发现</h3>\n<ol class=\"findings\">\n");
        for (fi, f) in r.findings.iter().enumerate() {
            finding_html(
                out,
                &prefix,
                fi,
                f,
                placed.get(fi).map_or(&[][..], Vec::as_slice),
            );
        }
        out.push_str("</ol>\n");
    }
    if !r.causes.is_empty() {
        causes_html(out, &prefix, r, &placed);
    }
    if !r.errors.is_empty() {
        out.push_str("<h3>无法求值的规则</h3>\n<ul>\n");
        for e in &r.errors {
            let _ = writeln!(
                out,
                "<li><b>{}</b>：{}（<code>{}</code>，{}:{}:{}）</li>",
                markup(&e.rule_id),
                markup(&e.message),
                markup(&e.expression),
                markup(&e.rule_span.file),
                e.rule_span.line,
                e.rule_span.column
            );
        }
        out.push_str("</ul>\n");
    }
    body(out, &prefix, &placer, &marks);
    out.push_str("</section>\n");
}

/// Appends one document's part (see [`Render::document`]) to `out`.
fn document_into(out: &mut String, index: usize, doc: &DocOutcome<'_>) {
    match doc {
        DocOutcome::Checked(c) => checked_html(out, index, c),
        DocOutcome::Unreadable { path, reason } => {
            let _ = writeln!(
                out,
                "<section class=\"doc\" id=\"d{index}\" data-path=\"{p}\">\n<h2>{p}</h2>\n<p class=\"unreadable\">无法读取：{}</p>\n</section>",
                markup(reason),
                p = markup(path)
            );
        }
    }
}

impl Render for Html {
    fn begin(&self, run: &RunInfo<'_>) -> String {
        format!(
            "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\"/>\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n<title>shenhe 审核报告</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<header class=\"top\"><h1>shenhe 审核报告</h1><span class=\"meta\">shenhe {} · 规则 {} 条 · 豁免按 {} 判断</span><label><input type=\"checkbox\" id=\"hide-waived\"/> 隐藏已豁免</label></header>\n<main>\n",
            markup(run.tool_version),
            run.rules.len(),
            run.today
        )
    }

    fn document(&self, _run: &RunInfo<'_>, index: usize, doc: &DocOutcome<'_>, out: &mut Vec<u8>) {
        write_text(out, |text| document_into(text, index, doc));
    }

    fn finish(&self, _run: &RunInfo<'_>, summary: &Summary) -> String {
        format!(
            "<footer class=\"summary\" id=\"summary\"><h2>汇总</h2>{}</footer>\n</main>\n<script>{SCRIPT}</script>\n</body>\n</html>\n",
            markup(&summary.to_text())
        )
    }
}
