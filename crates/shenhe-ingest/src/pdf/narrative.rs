//! The running text of a PDF: the lines no table used, read by the text path's narrative
//! reader (sections, re-joined paragraphs, facts) over the reconstructed text, then given
//! their page and box.

use shenhe_model::{IngestWarning, Section};

use super::layout::Item;
use super::sheet::Sheet;
use crate::text::Source;

/// Builds the section tree from the unused text lines.
pub(crate) fn build(
    sheet: &Sheet,
    items: &[Item],
    used: &[bool],
    preamble_title: &str,
    warnings: &mut Vec<IngestWarning>,
) -> Vec<Section> {
    let src = Source::new(&sheet.text);
    let idx: Vec<usize> = items
        .iter()
        .zip(used.iter())
        .filter(|(_, u)| !**u)
        .filter_map(|(it, _)| match it {
            Item::Text(t) => (t.line_no as usize).checked_sub(1),
            Item::Grid(_) => None,
        })
        .collect();
    let mut w = Vec::new();
    let mut sections = crate::narrative::build(&src, &idx, preamble_title, &mut w);
    for s in &mut sections {
        place_section(sheet, s);
    }
    for mut warning in w {
        if let Some(l) = warning.loc.as_mut() {
            sheet.place(l);
        }
        warnings.push(warning);
    }
    sections
}

fn place_section(sheet: &Sheet, s: &mut Section) {
    sheet.place(&mut s.loc);
    for p in &mut s.paragraphs {
        for seg in &mut p.segments {
            sheet.place(&mut seg.loc);
        }
        for f in &mut p.facts {
            sheet.place(&mut f.loc);
        }
    }
    for c in &mut s.children {
        place_section(sheet, c);
    }
}
