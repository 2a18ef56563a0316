use serde::{Deserialize, Serialize};

/// Where something stands in the source a document was read from.
///
/// `line` and `column` are 1-based; `column` counts characters (not bytes). `offset` and `len`
/// are byte offsets into the decoded source text (UTF-8), so a caller holding the text can cut
/// out exactly the span. For PDF input `page` is 1-based and `bbox` holds the box on the page in
/// PDF points rounded to whole points (x0, y0, x1, y1, origin at the bottom left of the page); for text input `page` is filled where
/// the text marks page starts.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
pub struct Loc {
    pub line: u32,
    pub column: u32,
    pub offset: u32,
    pub len: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bbox: Option<[i32; 4]>,
}

impl Loc {
    /// A location in text input.
    pub fn text(line: u32, column: u32, offset: u32, len: u32) -> Self {
        Loc {
            line,
            column,
            offset,
            len,
            page: None,
            bbox: None,
        }
    }

    /// The same location with a page number.
    pub fn with_page(mut self, page: Option<u32>) -> Self {
        self.page = page;
        self
    }

    /// The smallest location covering both (same line/column as the earlier one).
    pub fn join(self, other: Loc) -> Loc {
        let (first, second) = if other.offset < self.offset {
            (other, self)
        } else {
            (self, other)
        };
        let end =
            (first.offset.saturating_add(first.len)).max(second.offset.saturating_add(second.len));
        Loc {
            len: end.saturating_sub(first.offset),
            ..first
        }
    }
}
