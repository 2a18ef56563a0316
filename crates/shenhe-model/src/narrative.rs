use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::amount::Amount;
use crate::loc::Loc;

/// A numbered section of the narrative (`一、部门职责`, `（一）收入预算`, `1. …`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Section {
    /// The number as printed (`一、`, `（二）`, `3.`), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<String>,
    /// The heading without its number.
    pub title: String,
    /// 1 for `一、`, 2 for `（一）`, 3 for `1.`; 0 for text before the first heading.
    pub depth: u8,
    pub loc: Loc,
    pub paragraphs: Vec<Paragraph>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub children: Vec<Section>,
}

/// A paragraph re-joined from the lines it was wrapped over.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Paragraph {
    /// The text, lines joined without the line breaks.
    pub text: String,
    /// Where each piece of `text` came from: `start` is a byte offset into `text`, `loc` the
    /// source location of the piece that begins there. Sorted by `start`.
    pub segments: Vec<TextSegment>,
    /// Numbers the paragraph states.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub facts: Vec<Fact>,
}

/// See [`Paragraph::segments`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TextSegment {
    pub start: u32,
    pub loc: Loc,
}

impl Paragraph {
    /// The source location of the text from byte `start` to byte `end` of [`Paragraph::text`]
    /// (clamped to the segment `start` falls in when the range crosses a line break).
    pub fn loc_of(&self, start: usize, end: usize) -> Option<Loc> {
        let seg_idx = self
            .segments
            .iter()
            .rposition(|s| (s.start as usize) <= start)?;
        let seg = self.segments.get(seg_idx)?;
        let seg_start = seg.start as usize;
        let seg_end = self
            .segments
            .get(seg_idx + 1)
            .map(|s| s.start as usize)
            .unwrap_or(self.text.len());
        let prefix = self.text.get(seg_start..start)?;
        let chars_before = prefix.chars().count() as u32;
        let bytes_before = prefix.len() as u32;
        let end = end.min(seg_end).max(start);
        let len = (end - start) as u32;
        Some(Loc {
            line: seg.loc.line,
            column: seg.loc.column + chars_before,
            offset: seg.loc.offset + bytes_before,
            len,
            page: seg.loc.page,
            bbox: seg.loc.bbox,
        })
    }
}

/// A number the narrative states.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "type")]
pub enum Measure {
    /// An amount of money (`821.07 万元`).
    Money { amount: Amount },
    /// A percentage (`82.93%`), as printed.
    Percent {
        #[serde(with = "rust_decimal::serde::str")]
        value: Decimal,
    },
    /// A count with its measure word (`4 个`, `2 辆`, `94 人`).
    Count {
        #[serde(with = "rust_decimal::serde::str")]
        value: Decimal,
        unit: String,
    },
}

/// A typed number in a paragraph with where it stands.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fact {
    pub measure: Measure,
    /// The text as printed (`821.07 万元`).
    pub printed: String,
    /// Byte range in the paragraph's text.
    pub start: u32,
    pub end: u32,
    pub loc: Loc,
}
