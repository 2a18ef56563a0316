//! A small, fast tokenizer for PDF content streams and CMaps.
//!
//! Content streams are the hot path of PDF reading: a page holds thousands of operators. This
//! lexer borrows from the input, allocates only for strings and arrays, and never fails: bytes it
//! cannot read are skipped, so a damaged stream still yields what can be read.

/// One operand of a content-stream operator.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Operand<'a> {
    Number(f64),
    Name(&'a [u8]),
    /// A literal or hexadecimal string, decoded to bytes.
    Str(Vec<u8>),
    Array(Vec<Operand<'a>>),
    /// Dictionaries only occur as operands of marked-content operators and inline images; their
    /// content is not needed.
    Dict,
    Bool(bool),
    Null,
}

impl Operand<'_> {
    pub(crate) fn number(&self) -> Option<f64> {
        match self {
            Operand::Number(n) => Some(*n),
            _ => None,
        }
    }
}

/// A token: an operand or an operator keyword.
#[derive(Debug, PartialEq)]
pub(crate) enum Token<'a> {
    Operand(Operand<'a>),
    Operator(&'a [u8]),
    ArrayEnd,
    DictEnd,
}

pub(crate) struct Lexer<'a> {
    data: &'a [u8],
    pos: usize,
    /// Arrays and dictionaries being read (nested), bounded by [`MAX_NESTING`].
    nesting: usize,
}

/// Deepest nesting of arrays and dictionaries read as structure; deeper brackets are read as
/// flat tokens, so hostile input cannot exhaust the stack.
const MAX_NESTING: usize = 32;

fn is_white(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n' | 0x0c | 0)
}

fn is_delim(b: u8) -> bool {
    matches!(
        b,
        b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%'
    )
}

fn is_regular(b: u8) -> bool {
    !is_white(b) && !is_delim(b)
}

fn hex_val(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

impl<'a> Lexer<'a> {
    pub(crate) fn new(data: &'a [u8]) -> Self {
        Lexer {
            data,
            pos: 0,
            nesting: 0,
        }
    }

    fn peek(&self) -> Option<u8> {
        self.data.get(self.pos).copied()
    }

    fn skip_white(&mut self) {
        while let Some(b) = self.peek() {
            if is_white(b) {
                self.pos += 1;
            } else if b == b'%' {
                while let Some(c) = self.peek() {
                    if c == b'\n' || c == b'\r' {
                        break;
                    }
                    self.pos += 1;
                }
            } else {
                break;
            }
        }
    }

    fn regular_run(&mut self) -> &'a [u8] {
        let start = self.pos;
        while let Some(b) = self.peek() {
            if is_regular(b) {
                self.pos += 1;
            } else {
                break;
            }
        }
        self.data.get(start..self.pos).unwrap_or(&[])
    }

    /// The next token, or `None` at the end of the input.
    pub(crate) fn next_token(&mut self) -> Option<Token<'a>> {
        loop {
            self.skip_white();
            let b = self.peek()?;
            match b {
                b'/' => {
                    self.pos += 1;
                    let name = self.regular_run();
                    return Some(Token::Operand(Operand::Name(name)));
                }
                b'(' => {
                    self.pos += 1;
                    return Some(Token::Operand(Operand::Str(self.literal_string())));
                }
                b'<' => {
                    if self.data.get(self.pos + 1) == Some(&b'<') {
                        self.pos += 2;
                        if self.nesting < MAX_NESTING {
                            self.nesting += 1;
                            self.skip_dict();
                            self.nesting -= 1;
                        }
                        return Some(Token::Operand(Operand::Dict));
                    }
                    self.pos += 1;
                    return Some(Token::Operand(Operand::Str(self.hex_string())));
                }
                b'>' => {
                    // A stray `>` or the `>>` of a dictionary we are not inside.
                    self.pos += 1;
                    if self.peek() == Some(b'>') {
                        self.pos += 1;
                        return Some(Token::DictEnd);
                    }
                }
                b'[' => {
                    self.pos += 1;
                    if self.nesting >= MAX_NESTING {
                        return Some(Token::Operand(Operand::Array(Vec::new())));
                    }
                    self.nesting += 1;
                    let items = self.array();
                    self.nesting -= 1;
                    return Some(Token::Operand(Operand::Array(items)));
                }
                b']' => {
                    self.pos += 1;
                    return Some(Token::ArrayEnd);
                }
                b'{' | b'}' | b')' => {
                    self.pos += 1;
                }
                _ => {
                    let word = self.regular_run();
                    if word.is_empty() {
                        self.pos += 1;
                        continue;
                    }
                    if let Some(n) = parse_number(word) {
                        return Some(Token::Operand(Operand::Number(n)));
                    }
                    return Some(match word {
                        b"true" => Token::Operand(Operand::Bool(true)),
                        b"false" => Token::Operand(Operand::Bool(false)),
                        b"null" => Token::Operand(Operand::Null),
                        _ => Token::Operator(word),
                    });
                }
            }
        }
    }

    fn array(&mut self) -> Vec<Operand<'a>> {
        let mut items = Vec::new();
        while let Some(tok) = self.next_token() {
            match tok {
                Token::Operand(o) => items.push(o),
                Token::ArrayEnd => break,
                // An operator inside an array is malformed; keep what was read.
                Token::Operator(_) | Token::DictEnd => break,
            }
        }
        items
    }

    fn skip_dict(&mut self) {
        let mut depth = 1usize;
        while let Some(tok) = self.next_token() {
            if tok == Token::DictEnd {
                depth -= 1;
                if depth == 0 {
                    return;
                }
            }
        }
    }

    fn literal_string(&mut self) -> Vec<u8> {
        let mut out = Vec::new();
        let mut depth = 1usize;
        while let Some(b) = self.peek() {
            self.pos += 1;
            match b {
                b'(' => {
                    depth += 1;
                    out.push(b);
                }
                b')' => {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                    out.push(b);
                }
                b'\\' => {
                    let Some(e) = self.peek() else { break };
                    self.pos += 1;
                    match e {
                        b'n' => out.push(b'\n'),
                        b'r' => out.push(b'\r'),
                        b't' => out.push(b'\t'),
                        b'b' => out.push(8),
                        b'f' => out.push(12),
                        b'\r' => {
                            if self.peek() == Some(b'\n') {
                                self.pos += 1;
                            }
                        }
                        b'\n' => {}
                        b'0'..=b'7' => {
                            let mut v = u32::from(e - b'0');
                            for _ in 0..2 {
                                match self.peek() {
                                    Some(d @ b'0'..=b'7') => {
                                        v = v * 8 + u32::from(d - b'0');
                                        self.pos += 1;
                                    }
                                    _ => break,
                                }
                            }
                            out.push((v & 0xff) as u8);
                        }
                        other => out.push(other),
                    }
                }
                _ => out.push(b),
            }
        }
        out
    }

    fn hex_string(&mut self) -> Vec<u8> {
        let mut out = Vec::new();
        let mut high: Option<u8> = None;
        while let Some(b) = self.peek() {
            self.pos += 1;
            if b == b'>' {
                break;
            }
            if let Some(v) = hex_val(b) {
                match high.take() {
                    Some(h) => out.push(h << 4 | v),
                    None => high = Some(v),
                }
            }
        }
        if let Some(h) = high {
            out.push(h << 4);
        }
        out
    }

    /// Skips the binary data of an inline image after its `ID` operator, up to and including
    /// `EI`.
    pub(crate) fn skip_inline_image(&mut self) {
        // One white-space byte follows ID.
        self.pos += 1;
        let data = self.data;
        let mut i = self.pos;
        while i + 1 < data.len() {
            if data.get(i) == Some(&b'E')
                && data.get(i + 1) == Some(&b'I')
                && i > 0
                && data.get(i - 1).is_some_and(|b| is_white(*b))
                && data.get(i + 2).is_none_or(|b| is_white(*b) || is_delim(*b))
            {
                self.pos = i + 2;
                return;
            }
            i += 1;
        }
        self.pos = data.len();
    }
}

/// Parses a PDF number (`12`, `-3.5`, `.5`, `4.`). Returns `None` for anything else.
fn parse_number(word: &[u8]) -> Option<f64> {
    let first = *word.first()?;
    if !(first.is_ascii_digit() || first == b'-' || first == b'+' || first == b'.') {
        return None;
    }
    let mut neg = false;
    let mut i = 0usize;
    if first == b'-' || first == b'+' {
        neg = first == b'-';
        i = 1;
    }
    let mut int: f64 = 0.0;
    let mut frac: f64 = 0.0;
    let mut scale: f64 = 1.0;
    let mut seen_dot = false;
    let mut digits = 0usize;
    for &b in word.get(i..)? {
        match b {
            b'0'..=b'9' => {
                digits += 1;
                if seen_dot {
                    scale /= 10.0;
                    frac += f64::from(b - b'0') * scale;
                } else {
                    int = int * 10.0 + f64::from(b - b'0');
                }
            }
            b'.' if !seen_dot => seen_dot = true,
            // `--5` and similar malformed numbers: take what was read.
            b'-' if digits == 0 => neg = !neg,
            _ => return None,
        }
    }
    if digits == 0 && !seen_dot {
        return None;
    }
    let v = int + frac;
    Some(if neg { -v } else { v })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(src: &[u8]) -> Vec<Token<'_>> {
        let mut l = Lexer::new(src);
        let mut out = Vec::new();
        while let Some(t) = l.next_token() {
            out.push(t);
        }
        out
    }

    #[test]
    fn operators_and_operands() {
        let t = tokens(b"BT /F1 12 Tf 1 0 0 1 72.5 -.5 Tm (a\\(b\\)c) Tj [<0041> -120 (x)] TJ ET");
        assert_eq!(t[0], Token::Operator(b"BT"));
        assert_eq!(t[1], Token::Operand(Operand::Name(b"F1")));
        assert_eq!(t[2], Token::Operand(Operand::Number(12.0)));
        assert_eq!(t[8], Token::Operand(Operand::Number(72.5)));
        assert_eq!(t[9], Token::Operand(Operand::Number(-0.5)));
        assert_eq!(t[11], Token::Operand(Operand::Str(b"a(b)c".to_vec())));
        assert_eq!(
            t[13],
            Token::Operand(Operand::Array(vec![
                Operand::Str(vec![0, 0x41]),
                Operand::Number(-120.0),
                Operand::Str(b"x".to_vec())
            ]))
        );
    }

    #[test]
    fn octal_escapes_and_odd_hex() {
        let t = tokens(b"(\\101\\12) <414>");
        assert_eq!(t[0], Token::Operand(Operand::Str(vec![b'A', b'\n'])));
        assert_eq!(t[1], Token::Operand(Operand::Str(vec![0x41, 0x40])));
    }

    #[test]
    fn dictionaries_and_junk_do_not_stop_the_lexer() {
        let t = tokens(b"/P <</MCID 0 /X <</Y 1>> >> BDC ) } EMC");
        assert_eq!(t[1], Token::Operand(Operand::Dict));
        assert_eq!(t[2], Token::Operator(b"BDC"));
        assert_eq!(t[3], Token::Operator(b"EMC"));
    }

    #[test]
    fn deep_nesting_does_not_exhaust_the_stack() {
        let mut src = vec![b'['; 200_000];
        src.extend(vec![b'<'; 200_000]);
        src.extend_from_slice(b" Tj");
        let t = tokens(&src);
        assert!(!t.is_empty());
    }

    #[test]
    fn inline_images_are_skipped() {
        let mut l = Lexer::new(b"BI /W 1 /H 1 ID \x00EI\xff EI Q");
        let mut ops = Vec::new();
        while let Some(t) = l.next_token() {
            if let Token::Operator(op) = t {
                ops.push(op.to_vec());
                if op == b"ID" {
                    l.skip_inline_image();
                }
            }
        }
        assert_eq!(ops, vec![b"BI".to_vec(), b"ID".to_vec(), b"Q".to_vec()]);
    }
}
