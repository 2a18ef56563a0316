//! Whether the text gave its tables' rows whole: text that prints a table column by column
//! (`pdftotext` without `-layout` writes a table's names as one block and its numbers as
//! another) loses which number stands in which row, and no reading gets it back. A quarter
//! or more of its tables' rows hold numbers and no name; the text forms that keep rows (the seed's,
//! `pdftotext -layout`, `-raw`) have none beyond a one-row table's unnamed row. The document
//! then carries one warning saying so, for the report to show before its findings.

use shenhe_model::{IngestWarning, Table};

/// A table of at least this many rows is looked at.
const MIN_ROWS: usize = 5;

/// Rows with numbers and no name or code, out of a table's rows, from which the table counts
/// as read column by column: one in four.
const UNNAMED_SHARE: (usize, usize) = (1, 4);

/// The warning, when any table of `tables` reads as printed column by column.
pub(crate) fn columns_split(tables: &[Table]) -> Option<IngestWarning> {
    let mut split = tables.iter().filter_map(|t| {
        let unnamed = t
            .rows
            .iter()
            .filter(|r| {
                r.label.is_empty()
                    && r.code.is_none()
                    && r.cells.iter().any(|c| c.number().is_some())
            })
            .count();
        let (num, den) = UNNAMED_SHARE;
        (t.rows.len() >= MIN_ROWS && unnamed * den >= t.rows.len() * num).then_some((t, unnamed))
    });
    let (first, unnamed) = split.next()?;
    let more = split.count();
    let tables = if more > 0 {
        format!("{} 张表", more + 1)
    } else {
        "一张表".to_string()
    };
    Some(IngestWarning {
        code: "text-form".into(),
        message: format!(
            "{tables}有许多行只有数、没有名称（“{}”{} 行中有 {unnamed} 行）：这份文本像是把表格按列分块提取的\
             （如不带 -layout 的 pdftotext 输出），表格的行与列无法可靠还原，与表格有关的发现很可能是误报。\
             请直接检查 PDF，或用 pdftotext -layout 转换后再检查",
            first.title,
            first.rows.len()
        ),
        loc: Some(first.loc),
    })
}
