//! Characters → text lines: glyphs sharing a baseline, in reading order, with the gaps that
//! separate words and cells.

use super::glyphs::Glyph;

/// A run of glyphs on one baseline without a wide gap.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Word {
    pub(crate) text: String,
    pub(crate) x0: f64,
    pub(crate) x1: f64,
    pub(crate) top: f64,
    pub(crate) bottom: f64,
    pub(crate) y: f64,
    pub(crate) size: f64,
    /// Whether a space separates this word from the previous one on its line (a gap of about
    /// a space width or more between Latin letters or digits).
    pub(crate) space_before: bool,
}

/// The glyphs of one baseline, left to right, grouped into words.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct TextLine {
    pub(crate) words: Vec<Word>,
    pub(crate) x0: f64,
    pub(crate) x1: f64,
    pub(crate) top: f64,
    pub(crate) bottom: f64,
    pub(crate) y: f64,
    /// The most common glyph size on the line.
    pub(crate) size: f64,
}

#[cfg(test)]
impl TextLine {
    /// The words joined with one space where they are apart (layout does the same with boxes).
    pub(crate) fn text(&self) -> String {
        let mut out = String::new();
        let mut prev: Option<&Word> = None;
        for w in &self.words {
            if let Some(p) = prev
                && (w.space_before || w.x0 - p.x1 > 0.9 * w.size.max(p.size))
            {
                out.push(' ');
            }
            out.push_str(&w.text);
            prev = Some(w);
        }
        out
    }
}

/// Removes glyphs drawn twice at (almost) the same place, as fake-bold text is.
pub(crate) fn dedup(glyphs: &mut Vec<Glyph>) {
    glyphs.sort_by(|a, b| {
        b.y.total_cmp(&a.y)
            .then(a.x0.total_cmp(&b.x0))
            .then(a.text.cmp(&b.text))
    });
    let mut out: Vec<Glyph> = Vec::with_capacity(glyphs.len());
    for g in glyphs.drain(..) {
        let dup = out.iter().rev().take(4).any(|o| {
            o.text == g.text
                && (o.y - g.y).abs() < 0.15 * g.size
                && (o.x0 - g.x0).abs() < 0.15 * g.size
        });
        if !dup {
            out.push(g);
        }
    }
    *glyphs = out;
}

/// Groups glyphs into lines (top to bottom) and words (left to right). `glyphs` must be the
/// upright glyphs of one region (a page or a cell).
pub(crate) fn lines(glyphs: &[&Glyph]) -> Vec<TextLine> {
    let mut sorted: Vec<&Glyph> = glyphs.to_vec();
    sorted.sort_by(|a, b| b.y.total_cmp(&a.y).then(a.x0.total_cmp(&b.x0)));
    let mut groups: Vec<Vec<&Glyph>> = Vec::new();
    let mut current: Vec<&Glyph> = Vec::new();
    let mut line_y = f64::NAN;
    let mut line_size = 0.0f64;
    for g in sorted {
        let tol = 0.3 * g.size.min(line_size).max(1.0);
        if current.is_empty() || (line_y - g.y).abs() <= tol {
            if current.is_empty() {
                line_y = g.y;
                line_size = g.size;
            }
            current.push(g);
        } else {
            groups.push(std::mem::take(&mut current));
            line_y = g.y;
            line_size = g.size;
            current.push(g);
        }
    }
    if !current.is_empty() {
        groups.push(current);
    }
    groups
        .into_iter()
        .filter_map(|mut g| make_line(&mut g))
        .collect()
}

fn is_latin(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | ',' | '%' | '-' | '(' | ')')
}

fn make_line(glyphs: &mut [&Glyph]) -> Option<TextLine> {
    glyphs.sort_by(|a, b| a.x0.total_cmp(&b.x0));
    let first = glyphs.first()?;
    let mut words: Vec<Word> = Vec::new();
    let mut cur = word_of(first, false);
    for pair in glyphs.windows(2) {
        let [p, g] = pair else { continue };
        let gap = g.x0 - p.x1;
        let size = g.size.max(p.size);
        let latin_pair = p.text.chars().all(is_latin) && g.text.chars().all(is_latin);
        // A space in Latin text is about a quarter em; CJK text abuts. A number and CJK text
        // apart by a third of an em are two cells of a table printed without lines
        // (`371,514,655.00` | `一、一般公共服务支出`); running text sets them closer.
        let number_meets_cjk = p.text.chars().all(is_latin) != g.text.chars().all(is_latin);
        let split = gap > 0.6 * size
            || (latin_pair && gap > 0.2 * size)
            || (number_meets_cjk && gap > 0.3 * size);
        if split {
            let space = latin_pair && gap > 0.2 * size;
            words.push(std::mem::replace(&mut cur, word_of(g, space)));
        } else {
            cur.text.push_str(&g.text);
            cur.x1 = cur.x1.max(g.x1);
            cur.top = cur.top.max(g.top);
            cur.bottom = cur.bottom.min(g.bottom);
            cur.size = cur.size.max(g.size);
        }
    }
    words.push(cur);
    let x0 = words.first().map_or(0.0, |w| w.x0);
    let x1 = words.iter().map(|w| w.x1).fold(f64::MIN, f64::max);
    let top = words.iter().map(|w| w.top).fold(f64::MIN, f64::max);
    let bottom = words.iter().map(|w| w.bottom).fold(f64::MAX, f64::min);
    let y = first.y;
    let size = mode_size(glyphs);
    Some(TextLine {
        words,
        x0,
        x1,
        top,
        bottom,
        y,
        size,
    })
}

fn word_of(g: &Glyph, space_before: bool) -> Word {
    Word {
        text: g.text.clone(),
        x0: g.x0,
        x1: g.x1,
        top: g.top,
        bottom: g.bottom,
        y: g.y,
        size: g.size,
        space_before,
    }
}

fn mode_size(glyphs: &[&Glyph]) -> f64 {
    let mut sizes: Vec<(i64, usize)> = Vec::new();
    for g in glyphs {
        let k = (g.size * 10.0).round() as i64;
        match sizes.iter_mut().find(|(s, _)| *s == k) {
            Some((_, n)) => *n += 1,
            None => sizes.push((k, 1)),
        }
    }
    sizes
        .iter()
        .max_by_key(|(_, n)| *n)
        .map_or(0.0, |(s, _)| *s as f64 / 10.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn g(text: &str, x0: f64, y: f64) -> Glyph {
        Glyph {
            text: text.into(),
            x0,
            x1: x0 + 10.0,
            y,
            top: y + 8.0,
            bottom: y - 2.0,
            size: 10.0,
            upright: true,
        }
    }

    #[test]
    fn baselines_make_lines_and_gaps_make_words() {
        let glyphs = [
            g("合", 10.0, 100.0),
            g("计", 20.0, 100.2),
            g("1", 80.0, 100.0),
            g("2", 85.0, 100.0),
            g("注", 10.0, 80.0),
        ];
        let refs: Vec<&Glyph> = glyphs.iter().collect();
        let ls = lines(&refs);
        assert_eq!(ls.len(), 2);
        assert_eq!(ls[0].words.len(), 2);
        assert_eq!(ls[0].words[0].text, "合计");
        assert_eq!(ls[0].words[1].text, "12");
        assert_eq!(ls[0].text(), "合计 12");
        assert_eq!(ls[1].text(), "注");
    }

    #[test]
    fn fake_bold_duplicates_are_dropped() {
        let mut glyphs = vec![
            g("表", 10.0, 100.0),
            g("表", 10.3, 100.0),
            g("一", 20.0, 100.0),
        ];
        dedup(&mut glyphs);
        assert_eq!(glyphs.len(), 2);
    }
}
