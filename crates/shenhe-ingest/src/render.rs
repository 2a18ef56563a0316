//! A readable rendering of a document for a person to compare with the source: the section
//! tree with facts, every table with aligned columns (blank cells shown, inferred placements
//! marked), the performance forms, and the warnings.

use std::fmt::Write as _;

use shenhe_model::{
    Cell, CellValue, ColumnKind, Document, Loc, Measure, PerformanceForm, Placement, Section, Table,
};

use crate::text::width;

/// Marks in cells.
const BLANK: &str = "·";
const INFERRED: &str = "*";
const AMBIGUOUS: &str = "?";

/// Renders the whole document.
pub fn render_text(doc: &Document) -> String {
    let mut out = String::with_capacity(16 * 1024);
    let m = &doc.meta;
    let _ = writeln!(out, "来源：{}（{}）", m.source_name, m.source_format);
    let opt = |o: &Option<String>| o.clone().unwrap_or_else(|| "（未识别）".into());
    let _ = writeln!(out, "标题：{}", opt(&m.title));
    let _ = writeln!(out, "单位：{}", opt(&m.unit_name));
    let _ = writeln!(
        out,
        "年度：{}　类型：{}　模板：{}　页数：{}",
        m.year
            .map(|y| y.to_string())
            .unwrap_or_else(|| "（未识别）".into()),
        m.kind.map(|k| k.name()).unwrap_or("（未识别）"),
        opt(&m.template),
        m.pages
            .map(|p| p.to_string())
            .unwrap_or_else(|| "（未知）".into()),
    );
    let _ = writeln!(
        out,
        "图例：{BLANK} 空白单元格；数值后 {INFERRED} 表示列位置是推断的；{AMBIGUOUS} 表示列位置不确定（见文末提示）；[Lx] 为原文行号"
    );
    out.push_str("\n==================== 章节 ====================\n");
    for s in &doc.sections {
        render_section(&mut out, s, 0);
    }
    out.push_str("\n==================== 表格 ====================\n");
    for t in &doc.tables {
        out.push('\n');
        render_table(&mut out, t);
    }
    if !doc.performance.is_empty() {
        out.push_str("\n==================== 绩效目标表 ====================\n");
        for f in &doc.performance {
            out.push('\n');
            render_form(&mut out, f);
        }
    }
    if !doc.notes.is_empty() {
        out.push_str("\n==================== 其他备注 ====================\n");
        for n in &doc.notes {
            let _ = writeln!(out, "{} {}", at(&n.loc), n.text);
        }
    }
    if !doc.warnings.is_empty() {
        out.push_str("\n==================== 提示 ====================\n");
        for w in &doc.warnings {
            let loc = w.loc.map(|l| format!(" {}", at(&l))).unwrap_or_default();
            let _ = writeln!(out, "[{}]{} {}", w.code, loc, w.message);
        }
    }
    out
}

fn at(loc: &Loc) -> String {
    format!("[L{}:{}]", loc.line, loc.column)
}

fn render_section(out: &mut String, s: &Section, indent: usize) {
    let pad = "  ".repeat(indent);
    let head = match &s.number {
        Some(n) => format!("{n}{}", s.title),
        None if s.title.is_empty() => "（卷首）".to_string(),
        None => format!("（卷首）{}", s.title),
    };
    let _ = writeln!(
        out,
        "{pad}{head} {}",
        if s.number.is_some() {
            at(&s.loc)
        } else {
            String::new()
        }
    );
    for p in &s.paragraphs {
        let first = p.segments.first().map(|g| g.loc.line).unwrap_or(0);
        let last = p.segments.last().map(|g| g.loc.line).unwrap_or(0);
        let preview: String = p.text.chars().take(36).collect();
        let more = if p.text.chars().count() > 36 {
            "…"
        } else {
            ""
        };
        let lines = if first == last {
            format!("[L{first}]")
        } else {
            format!("[L{first}–{last}]")
        };
        let _ = writeln!(out, "{pad}  ¶ {lines} {preview}{more}");
        for f in &p.facts {
            let kind = match &f.measure {
                Measure::Money { amount } => format!("金额 {amount}"),
                Measure::Percent { value } => format!("百分比 {value}%"),
                Measure::Count { value, unit } => format!("数量 {value}{unit}"),
            };
            let _ = writeln!(out, "{pad}      · {kind}　“{}” {}", f.printed, at(&f.loc));
        }
    }
    for c in &s.children {
        render_section(out, c, indent + 1);
    }
}

/// Renders a table block by block (one block per side of a two-sided table).
pub fn render_table(out: &mut String, t: &Table) {
    let mut info = Vec::new();
    if let Some(r) = &t.role {
        info.push(format!("角色：{r}"));
    }
    info.push(format!(
        "单位：{}",
        t.unit.map(|u| u.name()).unwrap_or("（未注明）")
    ));
    if let Some(p) = &t.preparer {
        info.push(format!("编制单位：{} {}", p.name, at(&p.loc)));
    }
    info.push(format!("标题在 {}", at(&t.loc)));
    let _ = writeln!(out, "■ {}　（{}）", t.display_name(), info.join("；"));
    let mut groups: Vec<Option<String>> = Vec::new();
    for c in &t.columns {
        if !groups.contains(&c.group) {
            groups.push(c.group.clone());
        }
    }
    for g in &groups {
        if g.is_some() {
            let _ = writeln!(out, "〔{}〕", g.clone().unwrap_or_default());
        }
        let cols: Vec<usize> = (0..t.columns.len())
            .filter(|&i| t.columns.get(i).is_some_and(|c| &c.group == g))
            .collect();
        let rows: Vec<usize> = (0..t.rows.len())
            .filter(|&i| {
                t.rows
                    .get(i)
                    .is_some_and(|r| groups.len() == 1 || &r.group == g)
            })
            .collect();
        render_grid(out, t, &cols, &rows);
    }
    for n in &t.notes {
        let _ = writeln!(out, "  {} {}", at(&n.loc), n.text);
    }
}

fn depth(t: &Table, row: usize) -> usize {
    let mut d = 0;
    let mut cur = t.rows.get(row).and_then(|r| r.parent);
    while let Some(p) = cur {
        d += 1;
        if d > 16 {
            break;
        }
        cur = t.rows.get(p).and_then(|r| r.parent);
    }
    d
}

fn cell_text(c: Option<&Cell>) -> String {
    let Some(c) = c else {
        return BLANK.to_string();
    };
    let mut s = match &c.value {
        CellValue::Blank => BLANK.to_string(),
        CellValue::Number(d) => d.to_string(),
        CellValue::Percent(d) => format!("{d}%"),
        CellValue::Text(s) => s.clone(),
    };
    match &c.placement {
        Placement::Direct => {}
        Placement::Inferred { .. } => {
            if !c.is_blank() {
                s.push_str(INFERRED);
            }
        }
        Placement::Ambiguous { .. } => s.push_str(AMBIGUOUS),
    }
    s
}

fn render_grid(out: &mut String, t: &Table, cols: &[usize], rows: &[usize]) {
    // Header: line, then each column's path.
    let mut grid: Vec<Vec<String>> = Vec::with_capacity(rows.len() + 1);
    let mut right: Vec<bool> = vec![false];
    let mut head = vec!["行".to_string()];
    for &c in cols {
        let col = t.columns.get(c);
        let mut name = col.map(|c| c.path.join("/")).unwrap_or_default();
        if let Some(u) = col.and_then(|c| c.unit) {
            let _ = write!(name, "（{}）", u.name());
        }
        if let Some(n) = col.and_then(|c| c.number.clone()) {
            let _ = write!(name, " [{n}]");
        }
        head.push(name);
        right.push(col.is_some_and(|c| c.kind == ColumnKind::Amount));
    }
    grid.push(head);
    for &ri in rows {
        let Some(row) = t.rows.get(ri) else { continue };
        let mut line = vec![format!("L{}", row.loc.line)];
        for &c in cols {
            let kind = t.columns.get(c).map(|c| c.kind).unwrap_or_default();
            let text = match kind {
                ColumnKind::Label => {
                    let mut s = "  ".repeat(depth(t, ri));
                    s.push_str(&row.label);
                    if row.kind == shenhe_model::RowKind::Total {
                        s.push_str(" (合计行)");
                    }
                    if let Some(cl) = &row.classification
                        && row.code.is_none()
                    {
                        let _ = write!(
                            s,
                            " ‹{}{}›",
                            cl.code,
                            if cl.from_catalogue {
                                "，据目录"
                            } else {
                                ""
                            }
                        );
                    }
                    s
                }
                ColumnKind::Code => row.code.clone().unwrap_or_default(),
                ColumnKind::Serial => row.serial.clone().unwrap_or_default(),
                _ => cell_text(row.cell(c)),
            };
            line.push(text);
        }
        // A row of another group shown in a single grid (never for two-sided tables).
        grid.push(line);
    }
    let n = grid.first().map(Vec::len).unwrap_or(0);
    let widths: Vec<usize> = (0..n)
        .map(|k| {
            grid.iter()
                .map(|r| r.get(k).map(|s| width(s)).unwrap_or(0))
                .max()
                .unwrap_or(0)
        })
        .collect();
    for r in &grid {
        let mut line = String::new();
        for (k, cell) in r.iter().enumerate() {
            let w = widths.get(k).copied().unwrap_or(0);
            let pad = w.saturating_sub(width(cell));
            line.push_str(if k == 0 { "  " } else { " │ " });
            if right.get(k).copied().unwrap_or(false) {
                line.push_str(&" ".repeat(pad));
                line.push_str(cell);
            } else {
                line.push_str(cell);
                line.push_str(&" ".repeat(pad));
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
}

fn render_form(out: &mut String, f: &PerformanceForm) {
    let _ = writeln!(out, "■ {}　{}", f.title, at(&f.loc));
    if let Some(y) = f.year {
        let _ = writeln!(out, "  年度：{y}");
    }
    if let Some(u) = &f.unit_name {
        let _ = writeln!(out, "  单位：{u}");
    }
    if let Some(p) = &f.project_name {
        let _ = writeln!(out, "  项目：{p}");
    }
    render_table(out, &f.budget);
    for g in &f.goals {
        let _ = writeln!(out, "  目标 {} {}", at(&g.loc), g.text);
    }
    if !f.indicators.is_empty() {
        let _ = writeln!(out, "  指标（一级 / 二级 / 三级 = 指标值）：");
        for i in &f.indicators {
            let _ = writeln!(
                out,
                "    {} {} / {} / {} = {}",
                at(&i.loc),
                i.level1,
                i.level2,
                i.level3,
                i.value
            );
        }
    }
}
