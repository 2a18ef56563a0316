use serde::{Deserialize, Serialize};

use crate::loc::Loc;
use crate::narrative::{Fact, Section};
use crate::perf::PerformanceForm;
use crate::table::Table;

/// Version of the JSON form of [`Document`]. Bumped on any incompatible change; documented in
/// `docs/model.md`.
pub const SCHEMA_VERSION: u32 = 1;

/// What kind of disclosure a document is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum DocKind {
    #[serde(rename = "部门预算")]
    DeptBudget,
    #[serde(rename = "单位预算")]
    UnitBudget,
    #[serde(rename = "部门决算")]
    DeptFinal,
    #[serde(rename = "单位决算")]
    UnitFinal,
}

impl DocKind {
    pub fn is_budget(self) -> bool {
        matches!(self, DocKind::DeptBudget | DocKind::UnitBudget)
    }

    pub fn is_final(self) -> bool {
        !self.is_budget()
    }

    /// The Chinese name (`部门预算` …).
    pub fn name(self) -> &'static str {
        match self {
            DocKind::DeptBudget => "部门预算",
            DocKind::UnitBudget => "单位预算",
            DocKind::DeptFinal => "部门决算",
            DocKind::UnitFinal => "单位决算",
        }
    }

    /// Reads `部门预算`, `单位预算`, `部门决算`, `单位决算`.
    pub fn parse(text: &str) -> Option<DocKind> {
        match text.trim() {
            "部门预算" => Some(DocKind::DeptBudget),
            "单位预算" => Some(DocKind::UnitBudget),
            "部门决算" => Some(DocKind::DeptFinal),
            "单位决算" => Some(DocKind::UnitFinal),
            _ => None,
        }
    }
}

/// What is known about the document as a whole.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meta {
    /// The disclosing body (`临夏市人民代表大会常务委员会办公室`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit_name: Option<String>,
    /// Where the document states the disclosing body (its cover line), when it does.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit_loc: Option<Loc>,
    /// The budget year the document reports on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<DocKind>,
    /// The id of the template profile the document was recognised as.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub template: Option<String>,
    /// The document's title line, as printed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The name of the source (a file name), as given to ingest.
    pub source_name: String,
    /// `text` or `pdf`.
    pub source_format: String,
    /// Number of pages, where known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pages: Option<u32>,
}

/// A note (备注, 注, 说明) printed with a table or on its own.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Note {
    pub text: String,
    pub loc: Loc,
}

/// Something ingest could not read with certainty. Not an error: the document was read, but
/// this part of it needs a person's eye.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IngestWarning {
    /// Stable code, e.g. `ambiguous-placement`.
    pub code: String,
    /// What happened, in Chinese.
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub loc: Option<Loc>,
}

impl IngestWarning {
    /// The code of the warning that the text gave its tables column by column, so that their
    /// rows cannot be rebuilt.
    pub const TEXT_FORM: &'static str = "text-form";

    /// Whether the warning is about the reading of the whole document, so that a report shows
    /// it in full, before the findings: the text gave its tables column by column. (A text
    /// without tables, `no-tables`, is not: rule test cases are often narrative only, and the
    /// completeness rules report the missing tables.)
    pub fn about_document(&self) -> bool {
        self.code == Self::TEXT_FORM
    }
}

/// A disclosure read into typed data.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Document {
    pub schema_version: u32,
    pub meta: Meta,
    /// The narrative as a tree of numbered sections. Text before the first numbered heading
    /// (cover, title) is a section without a number.
    pub sections: Vec<Section>,
    /// Every table, in document order.
    pub tables: Vec<Table>,
    /// Notes not attached to a table.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<Note>,
    /// Performance-target forms (部门整体支出绩效目标表, 项目支出绩效目标表).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub performance: Vec<PerformanceForm>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<IngestWarning>,
}

impl Document {
    /// An empty document for a source.
    pub fn new(source_name: impl Into<String>, source_format: impl Into<String>) -> Self {
        Document {
            schema_version: SCHEMA_VERSION,
            meta: Meta {
                source_name: source_name.into(),
                source_format: source_format.into(),
                ..Meta::default()
            },
            ..Document::default()
        }
    }

    /// Every section, depth first, with its path of titles from the root.
    pub fn walk_sections(&self) -> Vec<(Vec<&str>, &Section)> {
        let mut out = Vec::new();
        fn go<'a>(
            s: &'a Section,
            path: &mut Vec<&'a str>,
            out: &mut Vec<(Vec<&'a str>, &'a Section)>,
        ) {
            path.push(s.title.as_str());
            out.push((path.clone(), s));
            for c in &s.children {
                go(c, path, out);
            }
            path.pop();
        }
        let mut path = Vec::new();
        for s in &self.sections {
            go(s, &mut path, &mut out);
        }
        out
    }

    /// Every narrative fact, in document order.
    pub fn facts(&self) -> impl Iterator<Item = &Fact> {
        self.walk_sections()
            .into_iter()
            .flat_map(|(_, s)| s.paragraphs.iter().flat_map(|p| p.facts.iter()))
    }
}
