use std::sync::Arc;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::amount::{Amount, Unit};
use crate::catalogue::Scheme;
use crate::document::Note;
use crate::loc::Loc;
use crate::normalize::name_key;

/// The number a table is printed with: `表三`, `表3`, `表 3` all have ordinal 3.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TableNumber {
    /// As printed, e.g. `表三`.
    pub printed: String,
    pub ordinal: u32,
}

/// One table of a disclosure.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Table {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<TableNumber>,
    /// The title as printed, without the number (`部门支出总体情况表`).
    pub title: String,
    /// The role the template profile gives this table (`支出总表`), when its title matches one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// The unit the table states (`单位：万元`); amount cells are in this unit unless their
    /// column states its own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<Unit>,
    /// The body the table says prepared it (`编制单位：上海市普陀区社会福利院`), when it says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preparer: Option<Preparer>,
    /// Columns, left to right; multi-row headers are flattened to paths.
    pub columns: Vec<Column>,
    /// Rows, top to bottom. A two-sided table (收入 | 支出 on one printed line) gives two rows
    /// per line, each with its `group`.
    pub rows: Vec<Row>,
    /// Notes printed with the table (备注, 注, 说明).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<Note>,
    /// Where the title stands.
    pub loc: Loc,
}

/// The preparing body a table prints above its header (`编制单位：…`, `编制部门：…`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Preparer {
    /// The name as printed, without the field name and without surrounding spaces.
    pub name: String,
    /// Where the name stands (the whole line where the reader knows no finer place).
    pub loc: Loc,
}

/// What a column holds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ColumnKind {
    /// Row names (项目, 科目名称, 单位名称).
    #[default]
    Label,
    /// Classification codes (科目编码, or 类/款/项 parts).
    Code,
    /// A running number (序号).
    Serial,
    /// Amounts.
    Amount,
    /// Other text (指标值, 备注).
    Text,
}

/// One column. `path` is the header from the top row down, e.g. `["一般公共预算支出", "合计"]`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Column {
    pub path: Vec<String>,
    pub kind: ColumnKind,
    /// The printed column number (the `1 2 3` header line), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<String>,
    /// The side or block of a two-sided or two-up table (`收入`, `支出`, `人员经费`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// A unit that differs from the table's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<Unit>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub loc: Option<Loc>,
}

impl Column {
    /// The column's own name: the last element of its header path.
    pub fn name(&self) -> &str {
        self.path.last().map(String::as_str).unwrap_or("")
    }

    /// Whether `name` names this column: equal (after [`name_key`]) to the last header element,
    /// to the whole path joined, or to the path joined with `.`/`/`.
    pub fn is_named(&self, name: &str) -> bool {
        let key = name_key(name);
        if key.is_empty() {
            return false;
        }
        if name_key(self.name()) == key {
            return true;
        }
        let joined: String = self.path.iter().map(|p| name_key(p)).collect();
        joined == key.replace(['.', '/'], "")
    }
}

/// The level of a classification code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Level {
    /// 类: 3 digits.
    #[serde(rename = "类")]
    Lei,
    /// 款: 5 digits.
    #[serde(rename = "款")]
    Kuan,
    /// 项: 7 digits (functional classification only).
    #[serde(rename = "项")]
    Xiang,
}

impl Level {
    /// The level of a code by its length (3/5/7 digits).
    pub fn of_code(code: &str) -> Option<Level> {
        if !code.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        match code.len() {
            3 => Some(Level::Lei),
            5 => Some(Level::Kuan),
            7 => Some(Level::Xiang),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Level::Lei => "类",
            Level::Kuan => "款",
            Level::Xiang => "项",
        }
    }
}

/// The classification a row stands for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Classification {
    pub scheme: Scheme,
    /// Normalised code: digits only, full length (`2010104`).
    pub code: String,
    pub level: Level,
    /// True when the code was not printed but found in the catalogue by the row's name.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub from_catalogue: bool,
}

/// What a row is.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RowKind {
    /// An item: a classification row or a named line.
    #[default]
    Item,
    /// A total or subtotal line (总计, 合计, 本年收入合计, 收入总计 …).
    Total,
}

/// One row of a table.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Row {
    /// The row's name as printed, with spaces inside the name removed (`收 入 总 计` →
    /// `收入总计`) but otherwise unchanged (keeps `一、` prefixes).
    pub label: String,
    /// The code as printed (`2010104`, `[30201]`, `204 06 01` → normalised digits).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// What the code columns print when it reads as no classification code (`7 11 02`, the
    /// 类 cell holding a stray `7`); the row is then known by its name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unread_code: Option<String>,
    /// Where [`Row::unread_code`] stands (its code cells).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unread_code_loc: Option<Loc>,
    /// The printed running number (序号).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub serial: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub classification: Option<Classification>,
    pub kind: RowKind,
    /// The side or block the row belongs to (see [`Column::group`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// Index of the parent row in the same table, from the classification hierarchy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<usize>,
    /// The row's cells, one for every value column of its group (blank ones included), in
    /// column order.
    pub cells: Vec<Cell>,
    /// Where the row's label stands (or its first text when it has no label).
    pub loc: Loc,
}

impl Row {
    /// The row's name for matching: label without an ordinal prefix (`一、`, `（一）`, `1.`),
    /// normalised by [`name_key`].
    pub fn name_key(&self) -> String {
        name_key(strip_ordinal(&self.label))
    }

    /// Whether `name` names this row (by name, with or without ordinal prefix, or by code).
    pub fn is_named(&self, name: &str) -> bool {
        let key = name_key(name);
        if key.is_empty() {
            return false;
        }
        if self.code.as_deref() == Some(key.as_str()) {
            return true;
        }
        if self.classification.as_ref().is_some_and(|c| c.code == key) {
            return true;
        }
        self.name_key() == name_key(strip_ordinal(&key)) || name_key(&self.label) == key
    }

    /// The cell in column `column`, if the row has one.
    pub fn cell(&self, column: usize) -> Option<&Cell> {
        self.cells.iter().find(|c| c.column == column)
    }

    /// The first amount cell that is not blank, or the first amount cell.
    pub fn primary_cell(&self) -> Option<&Cell> {
        self.cells
            .iter()
            .find(|c| matches!(c.value, CellValue::Number(_)))
            .or_else(|| self.cells.first())
    }
}

/// Removes a leading ordinal such as `一、`, `（一）`, `(1)`, `1.`, `1、`, `二十六、`.
/// The label without its ordinal prefix (`一、`, `（一）`, `1.`) and leading whitespace; the
/// label (trimmed) when it has none. [`Row::name_key`] is `name_key` of this.
pub fn strip_ordinal(label: &str) -> &str {
    let t = label.trim_start();
    // （一） or (一) or (1)
    // The text up to the first closing bracket must be ordinal chars: as no closing bracket is
    // one, that is the longest run of ordinal chars, followed by the bracket.
    for (open, close) in [('（', '）'), ('(', ')')] {
        if let Some(rest) = t.strip_prefix(open) {
            let end = ordinal_prefix_len(rest);
            if end > 0
                && let Some(after) = rest.get(end..).and_then(|a| a.strip_prefix(close))
            {
                return after.trim_start();
            }
        }
    }
    let end = ordinal_prefix_len(t);
    if end == 0 {
        return t;
    }
    let rest = t.get(end..).unwrap_or("");
    for sep in ['、', '.', '．', ' '] {
        if let Some(r) = rest.strip_prefix(sep) {
            return r.trim_start();
        }
    }
    t
}

/// Length in bytes of the run of ordinal chars ([`is_ordinal_char`]) `text` starts with.
fn ordinal_prefix_len(text: &str) -> usize {
    text.char_indices()
        .find(|(_, c)| !is_ordinal_char(*c))
        .map_or(text.len(), |(i, _)| i)
}

/// Whether `c` can be part of a row label's ordinal prefix (`12`, `十二`).
pub fn is_ordinal_char(c: char) -> bool {
    c.is_ascii_digit()
        || matches!(
            c,
            '一' | '二'
                | '三'
                | '四'
                | '五'
                | '六'
                | '七'
                | '八'
                | '九'
                | '十'
                | '百'
                | '零'
                | '〇'
        )
}

/// The content of a cell.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CellValue {
    /// Nothing printed.
    #[default]
    Blank,
    /// A number as printed, with its decimals (in the unit of the column or table).
    Number(#[serde(with = "rust_decimal::serde::str")] Decimal),
    /// A percentage as printed (`95%` → 95).
    Percent(#[serde(with = "rust_decimal::serde::str")] Decimal),
    /// Text (an indicator value like `685 元`, `94 人`, or a dash).
    Text(String),
}

/// How a value came to stand in its column.
///
/// The reason is shared (`Arc<str>`): every cell of a row, and often many rows, carry the same
/// one. It serialises as a plain string.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "how")]
pub enum Placement {
    /// The line had a value for every column: placement is certain.
    #[default]
    Direct,
    /// Some columns were blank; this placement was inferred. `reason` says from what (for
    /// example `合计 = 基本支出 + 项目支出`, `header numbering`, `same columns as parent row`).
    Inferred { reason: Arc<str> },
    /// Several placements fit equally well; this one was chosen and the others are listed as
    /// column indices. An ingest warning names them too.
    Ambiguous {
        reason: Arc<str>,
        alternatives: Vec<Vec<usize>>,
    },
}

impl Placement {
    pub fn is_direct(&self) -> bool {
        matches!(self, Placement::Direct)
    }
}

/// One cell.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cell {
    /// Index into [`Table::columns`].
    pub column: usize,
    pub value: CellValue,
    /// Where the value stands; `None` for a blank cell.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub loc: Option<Loc>,
    #[serde(default, skip_serializing_if = "Placement::is_direct")]
    pub placement: Placement,
}

impl Cell {
    pub fn is_blank(&self) -> bool {
        matches!(self.value, CellValue::Blank)
    }

    pub fn number(&self) -> Option<Decimal> {
        match self.value {
            CellValue::Number(d) => Some(d),
            _ => None,
        }
    }
}

impl Table {
    /// The unit of column `column`: its own, else the table's.
    pub fn unit_of(&self, column: usize) -> Option<Unit> {
        self.columns.get(column).and_then(|c| c.unit).or(self.unit)
    }

    /// The amount in a cell, with the unit of its column (a bare number when no unit is
    /// stated is returned as `None`).
    pub fn amount(&self, cell: &Cell) -> Option<Amount> {
        let value = cell.number()?;
        Some(Amount::new(value, self.unit_of(cell.column)?))
    }

    /// The table's display name: `表三 部门支出总体情况表`.
    pub fn display_name(&self) -> String {
        match &self.number {
            // Joined without `format!` (findings name many tables).
            Some(n) => [n.printed.as_str(), " ", self.title.as_str()].concat(),
            None => self.title.clone(),
        }
    }

    /// Indices of columns named `name` (see [`Column::is_named`]).
    pub fn columns_named(&self, name: &str) -> Vec<usize> {
        self.columns
            .iter()
            .enumerate()
            .filter(|(_, c)| c.is_named(name))
            .map(|(i, _)| i)
            .collect()
    }

    /// Indices of rows named `name` (see [`Row::is_named`]).
    pub fn rows_named(&self, name: &str) -> Vec<usize> {
        self.rows
            .iter()
            .enumerate()
            .filter(|(_, r)| r.is_named(name))
            .map(|(i, _)| i)
            .collect()
    }

    /// Indices of the children of row `parent`.
    pub fn children(&self, parent: usize) -> impl Iterator<Item = usize> + '_ {
        self.rows
            .iter()
            .enumerate()
            .filter(move |(_, r)| r.parent == Some(parent))
            .map(|(i, _)| i)
    }

    /// Indices of detail rows: items that have no children (leaves of the hierarchy).
    pub fn detail_rows(&self) -> Vec<usize> {
        let mut has_child = vec![false; self.rows.len()];
        for r in &self.rows {
            if let Some(slot) = r.parent.and_then(|p| has_child.get_mut(p)) {
                *slot = true;
            }
        }
        self.rows
            .iter()
            .zip(has_child)
            .enumerate()
            .filter(|(_, (r, has))| r.kind == RowKind::Item && !has)
            .map(|(i, _)| i)
            .collect()
    }

    /// True when no row has a printed value.
    pub fn is_empty(&self) -> bool {
        self.rows.iter().all(|r| r.cells.iter().all(Cell::is_blank))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinals_are_stripped() {
        assert_eq!(
            strip_ordinal("一、一般公共预算财政拨款收入"),
            "一般公共预算财政拨款收入"
        );
        assert_eq!(strip_ordinal("（二十六）债务还本支出"), "债务还本支出");
        assert_eq!(strip_ordinal("1 [30201]办公费"), "[30201]办公费");
        assert_eq!(strip_ordinal("总计"), "总计");
        assert_eq!(strip_ordinal("十一、上年结余"), "上年结余");
    }

    #[test]
    fn rows_match_by_name_or_code() {
        let row = Row {
            label: "一、一般公共预算财政拨款收入".into(),
            code: Some("2010104".into()),
            ..Row::default()
        };
        assert!(row.is_named("一般公共预算财政拨款收入"));
        assert!(row.is_named("一、一般公共预算财政拨款收入"));
        assert!(row.is_named("2010104"));
        assert!(!row.is_named("政府性基金"));
    }

    #[test]
    fn columns_match_by_name_or_path() {
        let col = Column {
            path: vec!["一般公共预算支出".into(), "合计".into()],
            ..Column::default()
        };
        assert!(col.is_named("合计"));
        assert!(col.is_named("一般公共预算支出.合计"));
        assert!(!col.is_named("基本支出"));
    }

    /// [`strip_ordinal`] as first written: the bracket's content up to the first closing
    /// bracket, all ordinal chars.
    fn strip_ordinal_by_find(label: &str) -> &str {
        let t = label.trim_start();
        for (open, close) in [('（', '）'), ('(', ')')] {
            if let Some(rest) = t.strip_prefix(open)
                && let Some(end) = rest.find(close)
            {
                let (inner, after) = rest.split_at(end);
                if !inner.is_empty() && inner.chars().all(is_ordinal_char) {
                    return after.get(close.len_utf8()..).unwrap_or("").trim_start();
                }
            }
        }
        let end = t
            .char_indices()
            .find(|(_, c)| !is_ordinal_char(*c))
            .map(|(i, _)| i)
            .unwrap_or(t.len());
        if end == 0 {
            return t;
        }
        let rest = t.get(end..).unwrap_or("");
        for sep in ['、', '.', '．', ' '] {
            if let Some(r) = rest.strip_prefix(sep) {
                return r.trim_start();
            }
        }
        t
    }

    #[test]
    fn ordinals_stripped_as_first_defined() {
        let labels = [
            "（一）人员经费",
            "(1) 办公费",
            "（一)混合",
            "(一）混合",
            "（十二）  其他",
            "（）空",
            "()空",
            "（一",
            "(12",
            "（一二）（三）",
            "（一a）x",
            "（甲）乙",
            "(一)(二)",
            "一、一般公共服务",
            "二十六、粮油",
            "1.合计",
            "1．合计",
            "12 合计",
            "  （三）  前导空白",
            "合计",
            "一般公共服务",
            "一二三",
            "",
            " ",
            "（",
            "(",
            "3）",
            "〇、零",
            "百.x",
        ];
        for l in labels {
            assert_eq!(strip_ordinal(l), strip_ordinal_by_find(l), "{l:?}");
        }
        // Every label of up to four chars over brackets, ordinals and others.
        let alphabet = ['（', '）', '(', ')', '一', '1', '、', ' ', '甲'];
        let mut level = vec![String::new()];
        for _ in 0..4 {
            level = level
                .iter()
                .flat_map(|w| alphabet.iter().map(move |c| format!("{w}{c}")))
                .collect();
            for l in &level {
                assert_eq!(strip_ordinal(l), strip_ordinal_by_find(l), "{l:?}");
            }
        }
    }
}
