//! The fast path: a hand-written parser for rule files that parse without recovery.
//!
//! pest spends ≈ 500–700 instructions per byte of a rule file (a rule call, a stack probe and
//! an attempt record for every token tried), which made compiling the bundled pack the
//! largest cost of a one-document `shenhe check` (this parser needs ≈ 50). Most files are correct, so this parser tries
//! first: it mirrors `grammar.pest` rule by rule (same ordered choices, same tokens, trivia
//! skipped between the tokens of every non-atomic rule) and builds the same [`Tree`] pest's
//! pairs give. It has no `bad_item`/`bad_clause` recovery and records no attempts: where the
//! grammar would need recovery it fails, and the caller parses the file with pest, whose
//! errors name what was expected. A file this parser accepts is accepted by the grammar
//! without recovery and yields the same tree (PEG choices are deterministic, and the
//! recovery alternatives come last), so the lowering sees the same input either way;
//! `tests.rs` compares the two trees on the corpus, the pack, and broken variants of them.
//!
//! Keep this file in step with `grammar.pest`.

use crate::limits::is_name_char;
use crate::names::{LONGEST_RESERVED, RESERVED};
use crate::parser::Rule;
use crate::tree::{NodeData, Tree, to_u32};

/// The tree of a rule file, or `None` when it needs pest (errors, recovery).
pub(crate) fn parse_file(text: &str) -> Option<Tree<'_>> {
    let mut p = Parser {
        text,
        pos: 0,
        nodes: Vec::with_capacity(text.len() / 4),
        depth: 0,
        too_deep: false,
    };
    // file = { SOI ~ item* ~ EOI }
    let file = p.open(Rule::file);
    p.skip();
    p.repeat(Parser::item);
    p.skip();
    if p.pos != text.len() || p.too_deep {
        return None;
    }
    let eoi = p.open(Rule::EOI);
    p.close(eoi);
    p.close(file);
    Some(Tree {
        text,
        nodes: p.nodes,
    })
}

/// Expressions nested deeper than this are left to pest (whose stack guard reports them), so
/// this parser's recursion stays shallow on any thread.
const MAX_DEPTH: usize = 100;

struct Parser<'i> {
    text: &'i str,
    pos: usize,
    nodes: Vec<NodeData>,
    /// Expressions open around the current position.
    depth: usize,
    /// Set when `MAX_DEPTH` was crossed: the result is thrown away.
    too_deep: bool,
}

/// A keyword (its rule and words) and what must follow it, in [`Parser::quantified`].
type Clause<'w, 'i> = (Rule, &'w [&'w str], fn(&mut Parser<'i>) -> bool);

/// `WHITESPACE` without the comments: `" " | '\t'..'\r' | "\u{3000}" | "\u{FEFF}" | "\u{A0}"`.
fn is_blank(c: char) -> bool {
    matches!(c, ' ' | '\t'..='\r' | '\u{3000}' | '\u{FEFF}' | '\u{A0}')
}

impl<'i> Parser<'i> {
    fn rest(&self) -> &'i str {
        self.text.get(self.pos..).unwrap_or("")
    }

    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    fn mark(&self) -> (usize, usize) {
        (self.pos, self.nodes.len())
    }

    fn reset(&mut self, pos: usize, len: usize) {
        self.pos = pos;
        self.nodes.truncate(len);
    }

    fn open(&mut self, rule: Rule) -> usize {
        let at = to_u32(self.pos);
        self.nodes.push(NodeData {
            rule,
            start: at,
            end: at,
            next: 0,
        });
        self.nodes.len() - 1
    }

    /// Closes node `idx`: it ends where its last child ends, or here when it has none.
    fn close(&mut self, idx: usize) {
        let len = self.nodes.len();
        let mut end = to_u32(self.pos);
        let mut child = idx + 1;
        while let Some(c) = self.nodes.get(child) {
            end = c.end;
            let next = c.next as usize;
            if next >= len || next <= child {
                break;
            }
            child = next;
        }
        if let Some(n) = self.nodes.get_mut(idx) {
            n.end = end;
            n.next = to_u32(len);
        }
    }

    /// A node for `rule` around `f`; on failure nothing is kept and the position is restored.
    fn rule(&mut self, rule: Rule, f: impl FnOnce(&mut Self) -> bool) -> bool {
        let (pos, len) = self.mark();
        let idx = self.open(rule);
        if f(self) {
            self.close(idx);
            true
        } else {
            self.reset(pos, len);
            false
        }
    }

    /// `f` as one sequence: on failure the position and the nodes are restored.
    fn attempt(&mut self, f: impl FnOnce(&mut Self) -> bool) -> bool {
        let (pos, len) = self.mark();
        if f(self) {
            true
        } else {
            self.reset(pos, len);
            false
        }
    }

    /// `(sep ~ item)*` after a first item, each part after trivia (`expr ~ (comma ~ expr)*`).
    fn separated_rest(&mut self, sep: fn(&mut Self) -> bool, item: fn(&mut Self) -> bool) {
        while self.attempt(|p| {
            p.skip();
            if !sep(p) {
                return false;
            }
            p.skip();
            item(p)
        }) {}
    }

    /// `x*` inside a non-atomic rule: the first `x` right here, each further one after trivia.
    fn repeat(&mut self, mut f: impl FnMut(&mut Self) -> bool) {
        if !f(self) {
            return;
        }
        loop {
            let (pos, len) = self.mark();
            self.skip();
            if !f(self) {
                self.reset(pos, len);
                return;
            }
        }
    }

    /// Implicit whitespace and comments (`WHITESPACE`, repeated).
    fn skip(&mut self) {
        loop {
            let rest = self.rest();
            let Some(c) = rest.chars().next() else {
                return;
            };
            if is_blank(c) {
                self.pos += c.len_utf8();
                continue;
            }
            let comment = if c == '#' {
                1
            } else if rest.starts_with("////") {
                4
            } else if rest.starts_with("//") && !rest.get(2..).is_some_and(|r| r.starts_with('/')) {
                2
            } else {
                return;
            };
            self.pos += comment;
            self.line_chars();
        }
    }

    /// `line_char*`: to the end of the line (CR or LF).
    fn line_chars(&mut self) {
        let rest = self.rest().as_bytes();
        self.pos += rest
            .iter()
            .position(|&b| b == b'\n' || b == b'\r')
            .unwrap_or(rest.len());
    }

    /// A literal token.
    fn lit(&mut self, s: &str) -> bool {
        if self.rest().starts_with(s) {
            self.pos += s.len();
            true
        } else {
            false
        }
    }

    /// Whether one of `words` starts here (a cheap test before building a node).
    fn starts_with_any(&self, words: &[&str]) -> bool {
        let rest = self.rest();
        words.iter().any(|w| rest.starts_with(w))
    }

    /// Whether the next byte is one of `bytes` (a cheap test before building a node).
    fn next_byte_in(&self, bytes: &[u8]) -> bool {
        self.text
            .as_bytes()
            .get(self.pos)
            .is_some_and(|b| bytes.contains(b))
    }

    /// Whether a name character follows (`&name_char`).
    fn name_char_follows(&self) -> bool {
        self.peek().is_some_and(is_name_char)
    }

    /// `(a | b) ~ !name_char`
    fn word(&mut self, words: &[&str]) -> bool {
        let at = self.pos;
        for w in words {
            if self.lit(w) {
                if self.name_char_follows() {
                    self.pos = at;
                    return false;
                }
                return true;
            }
        }
        false
    }

    /// A leaf node for `rule` made of one of `words`, each a whole word.
    fn keyword(&mut self, rule: Rule, words: &[&str]) -> bool {
        self.rule(rule, |p| p.word(words))
    }

    /// A leaf node for `rule` made of one of the literals `alts` (tried in order).
    fn token(&mut self, rule: Rule, alts: &[&str]) -> bool {
        self.rule(rule, |p| alts.iter().any(|a| p.lit(a)))
    }

    /// The length of the run of name characters here.
    fn name_run(&self) -> usize {
        let rest = self.rest();
        // ASCII letters and digits and the common ideographs first, without the full test.
        let name_char = |c: char| {
            c.is_ascii_alphanumeric() || ('\u{4E00}'..='\u{9FFF}').contains(&c) || is_name_char(c)
        };
        rest.char_indices()
            .find(|&(_, c)| !name_char(c))
            .map_or(rest.len(), |(i, _)| i)
    }

    // ---------- items ----------

    /// `item = _{ version_decl | binding | rule_def | doc_comment | bad_item }` without the
    /// recovery.
    fn item(&mut self) -> bool {
        self.version_decl() || self.binding() || self.rule_def() || self.doc_comment()
    }

    /// `version_decl = { kw_language ~ colon? ~ version_number }`
    fn version_decl(&mut self) -> bool {
        self.rule(Rule::version_decl, |p| {
            if !p.keyword(Rule::kw_language, &["语言", "language"]) {
                return false;
            }
            p.skip();
            p.colon();
            p.skip();
            p.rule(Rule::version_number, |p| p.digits())
        })
    }

    /// `binding = { kw_let ~ colon? ~ name ~ assign ~ expr }`
    fn binding(&mut self) -> bool {
        self.rule(Rule::binding, |p| {
            if !p.keyword(Rule::kw_let, &["令", "let"]) {
                return false;
            }
            p.skip();
            p.colon();
            p.skip();
            if !p.name() {
                return false;
            }
            p.skip();
            if !p.assign() {
                return false;
            }
            p.skip();
            p.expr()
        })
    }

    /// `assign = { "=" ~ !"=" }` (non-atomic: the trivia before the lookahead is its own).
    fn assign(&mut self) -> bool {
        self.rule(Rule::assign, |p| {
            if !p.lit("=") {
                return false;
            }
            p.skip();
            !p.rest().starts_with('=')
        })
    }

    /// `rule_def = { doc_comment* ~ kw_rule ~ rule_id ~ string ~ open_brace ~ clause* ~
    /// close_brace }` (without `bad_clause`).
    fn rule_def(&mut self) -> bool {
        self.rule(Rule::rule_def, |p| {
            p.repeat(Self::doc_comment);
            p.skip();
            if !p.keyword(Rule::kw_rule, &["规则", "rule"]) {
                return false;
            }
            p.skip();
            if !p.rule_id() {
                return false;
            }
            p.skip();
            if !p.string() {
                return false;
            }
            p.skip();
            if !p.token(Rule::open_brace, &["{"]) {
                return false;
            }
            p.skip();
            p.repeat(Self::clause);
            p.skip();
            p.token(Rule::close_brace, &["}"])
        })
    }

    /// `rule_id = @{ (ASCII_ALPHANUMERIC | "-" | "_")+ }`
    fn rule_id(&mut self) -> bool {
        self.rule(Rule::rule_id, |p| {
            let n = p
                .rest()
                .bytes()
                .take_while(|b| b.is_ascii_alphanumeric() || *b == b'-' || *b == b'_')
                .count();
            p.pos += n;
            n > 0
        })
    }

    /// `doc_comment = @{ "///" ~ line_char* }`
    fn doc_comment(&mut self) -> bool {
        self.rule(Rule::doc_comment, |p| {
            if !p.lit("///") {
                return false;
            }
            p.line_chars();
            true
        })
    }

    /// `version_number = @{ ASCII_DIGIT+ }` (also the digits of `number`).
    fn digits(&mut self) -> bool {
        let n = self.rest().bytes().take_while(u8::is_ascii_digit).count();
        self.pos += n;
        n > 0
    }

    // ---------- clauses ----------

    /// `clause = _{ assert_clause | binding | message_clause | when_clause | severity_clause
    /// | category_clause | basis_clause | applies_clause | template_clause | doc_comment }`
    fn clause(&mut self) -> bool {
        self.keyword_clause(Rule::assert_clause, Rule::kw_assert, &["断言", "assert"])
            || self.binding()
            || self.keyword_clause(Rule::message_clause, Rule::kw_message, &["消息", "message"])
            || self.keyword_clause(Rule::when_clause, Rule::kw_when, &["前提", "when"])
            || self.keyword_clause(
                Rule::severity_clause,
                Rule::kw_severity,
                &["级别", "severity"],
            )
            || self.keyword_clause(
                Rule::category_clause,
                Rule::kw_category,
                &["类别", "category"],
            )
            || self.keyword_clause(Rule::basis_clause, Rule::kw_basis, &["依据", "basis"])
            || self.keyword_clause(Rule::applies_clause, Rule::kw_applies, &["适用", "applies"])
            || self.keyword_clause(
                Rule::template_clause,
                Rule::kw_template,
                &["模板", "template"],
            )
            || self.doc_comment()
    }

    /// A clause `kw ~ colon? ~ value`.
    fn keyword_clause(&mut self, rule: Rule, kw: Rule, words: &[&str]) -> bool {
        if !self.starts_with_any(words) {
            return false;
        }
        self.rule(rule, |p| {
            if !p.keyword(kw, words) {
                return false;
            }
            p.skip();
            p.colon();
            p.skip();
            match rule {
                // `断言 expr (否则 "…")?`
                Rule::assert_clause => {
                    if !p.expr() {
                        return false;
                    }
                    p.attempt(|p| {
                        p.skip();
                        if !p.keyword(Rule::kw_else, &["否则", "else"]) {
                            return false;
                        }
                        p.skip();
                        p.string()
                    });
                    true
                }
                Rule::message_clause => p.string(),
                Rule::when_clause => p.expr(),
                // `word ~ (comma ~ word)*`
                Rule::applies_clause | Rule::template_clause => {
                    if !p.word_value() {
                        return false;
                    }
                    p.separated_rest(Self::comma, Self::word_value);
                    true
                }
                _ => p.word_value(),
            }
        })
    }

    /// `word = _{ string | name }`
    fn word_value(&mut self) -> bool {
        self.string() || self.name()
    }

    /// `colon?` (`colon = { ":" | "：" }`)
    fn colon(&mut self) -> bool {
        self.token(Rule::colon, &[":", "："])
    }

    /// `comma = { "," | "，" }`
    fn comma(&mut self) -> bool {
        self.token(Rule::comma, &[",", "，"])
    }

    // ---------- expressions ----------

    /// `expr = { prefix_op* ~ operand ~ postfix_op* ~ (infix_op ~ prefix_op* ~ operand ~
    /// postfix_op*)* }`
    fn expr(&mut self) -> bool {
        if self.depth >= MAX_DEPTH || self.too_deep {
            self.too_deep = true;
            return false;
        }
        self.depth += 1;
        let ok = self.expr_inner();
        self.depth -= 1;
        ok
    }

    fn expr_inner(&mut self) -> bool {
        self.rule(Rule::expr, |p| {
            if !p.operand_with_ops() {
                return false;
            }
            p.separated_rest(Self::infix_op, Self::operand_with_ops);
            true
        })
    }

    /// `prefix_op* ~ operand ~ postfix_op*`
    fn operand_with_ops(&mut self) -> bool {
        self.repeat(Self::prefix_op);
        self.skip();
        if !self.operand() {
            return false;
        }
        self.skip();
        self.repeat(Self::tolerance);
        true
    }

    /// `prefix_op = @{ "-" | ("非" | "not") ~ !name_char | "!" ~ !"=" }`
    fn prefix_op(&mut self) -> bool {
        // `-`, `!`, `n`, and the first byte of `非`.
        if !self.next_byte_in(b"-!n\xE9") {
            return false;
        }
        self.rule(Rule::prefix_op, |p| {
            p.lit("-")
                || p.word(&["非", "not"])
                || (p.rest().starts_with('!') && !p.rest().starts_with("!=") && p.lit("!"))
        })
    }

    /// `infix_op = @{ "===" | "==" | "!=" | "≠" | "<=" | "≤" | ">=" | "≥" | "<" | ">" | "+" |
    /// "-" | "*" | "×" | "/" | "÷" | ("且" | "and" | "或" | "or") ~ !name_char | "&&" | "||" }`
    fn infix_op(&mut self) -> bool {
        const SYMBOLS: [&str; 16] = [
            "===", "==", "!=", "≠", "<=", "≤", ">=", "≥", "<", ">", "+", "-", "*", "×", "/", "÷",
        ];
        // The first bytes of the operators (`≠≤≥` E2, `×÷` C3, `且` E4, `或` E6).
        if !self.next_byte_in(b"=!<>+-*/&|ao\xE2\xC3\xE4\xE6") {
            return false;
        }
        self.rule(Rule::infix_op, |p| {
            SYMBOLS.iter().any(|s| p.lit(s))
                || p.word(&["且", "and", "或", "or"])
                || p.lit("&&")
                || p.lit("||")
        })
    }

    /// `operand = _{ postfix_expr | every_row | each_match }`
    fn operand(&mut self) -> bool {
        self.postfix_expr() || self.every_row() || self.each_match()
    }

    /// `tolerance = { op_pm ~ number_lit }`
    fn tolerance(&mut self) -> bool {
        // `±` (C2), `+-`, `容差` (E5), `tolerance`.
        if !self.next_byte_in(b"+t\xC2\xE5") {
            return false;
        }
        self.rule(Rule::tolerance, |p| {
            if !p.rule(Rule::op_pm, |p| {
                p.lit("±") || p.lit("+-") || p.word(&["容差", "tolerance"])
            }) {
                return false;
            }
            p.skip();
            p.number_lit()
        })
    }

    /// `every_row = { kw_every ~ postfix_expr ~ (kw_where ~ expr)? ~ colon ~ expr }`
    fn every_row(&mut self) -> bool {
        self.quantified(
            Rule::every_row,
            (Rule::kw_every, &["每行", "every"], Self::postfix_expr),
            (Rule::kw_where, &["若", "where"], Self::expr),
        )
    }

    /// `each_match = { kw_each ~ string ~ (kw_in ~ postfix_expr)? ~ colon ~ expr }`
    fn each_match(&mut self) -> bool {
        self.quantified(
            Rule::each_match,
            (Rule::kw_each, &["每处", "each"], Self::string),
            (Rule::kw_in, &["于", "in"], Self::postfix_expr),
        )
    }

    /// The shape `every_row` and `each_match` share: `rule = { kw ~ head ~ (kw2 ~ part)? ~
    /// colon ~ expr }`, each keyword given with its words and what follows it.
    fn quantified(&mut self, rule: Rule, head: Clause<'_, 'i>, optional: Clause<'_, 'i>) -> bool {
        self.rule(rule, |p| {
            let keyword_then = |p: &mut Self, (kw, words, then): Clause<'_, 'i>| {
                if !p.keyword(kw, words) {
                    return false;
                }
                p.skip();
                then(p)
            };
            if !keyword_then(p, head) {
                return false;
            }
            p.skip();
            p.attempt(|p| keyword_then(p, optional));
            p.skip();
            if !p.colon() {
                return false;
            }
            p.skip();
            p.expr()
        })
    }

    /// `postfix_expr = { primary ~ (call_args | field | index)* }`
    fn postfix_expr(&mut self) -> bool {
        self.rule(Rule::postfix_expr, |p| {
            if !p.primary() {
                return false;
            }
            while p.attempt(|p| {
                p.skip();
                p.next_byte_in(b"(.[") && (p.call_args() || p.field() || p.index())
            }) {}
            true
        })
    }

    /// `call_args = { "(" ~ (expr ~ (comma ~ expr)* ~ comma?)? ~ close_paren }`
    fn call_args(&mut self) -> bool {
        self.rule(Rule::call_args, |p| {
            if !p.lit("(") {
                return false;
            }
            p.skip();
            p.attempt(|p| {
                if !p.expr() {
                    return false;
                }
                p.separated_rest(Self::comma, Self::expr);
                p.skip();
                p.comma();
                true
            });
            p.skip();
            p.token(Rule::close_paren, &[")"])
        })
    }

    /// `field = { "." ~ field_name }`, `field_name = @{ name_char+ }`
    fn field(&mut self) -> bool {
        self.rule(Rule::field, |p| {
            if !p.lit(".") {
                return false;
            }
            p.skip();
            p.rule(Rule::field_name, |p| {
                let n = p.name_run();
                p.pos += n;
                n > 0
            })
        })
    }

    /// `index = { "[" ~ expr ~ close_bracket }`
    fn index(&mut self) -> bool {
        self.rule(Rule::index, |p| {
            if !p.lit("[") {
                return false;
            }
            p.skip();
            if !p.expr() {
                return false;
            }
            p.skip();
            p.token(Rule::close_bracket, &["]"])
        })
    }

    /// `primary = _{ name | number_lit | string | paren | bool }`
    fn primary(&mut self) -> bool {
        self.name() || self.number_lit() || self.string() || self.paren() || self.bool()
    }

    /// `name = @{ !ASCII_DIGIT ~ !reserved ~ name_char+ }`: a keyword followed by a non-name
    /// character is a whole run equal to the keyword.
    fn name(&mut self) -> bool {
        if self.peek().is_none_or(|c| c.is_ascii_digit()) {
            return false;
        }
        let n = self.name_run();
        let run = self.rest().get(..n).unwrap_or("");
        if n == 0 || (n <= LONGEST_RESERVED && RESERVED.contains(&run)) {
            return false;
        }
        self.rule(Rule::name, |p| {
            p.pos += n;
            true
        })
    }

    /// `paren = { open_paren ~ expr ~ close_paren }`
    fn paren(&mut self) -> bool {
        self.rule(Rule::paren, |p| {
            if !p.token(Rule::open_paren, &["("]) {
                return false;
            }
            p.skip();
            if !p.expr() {
                return false;
            }
            p.skip();
            p.token(Rule::close_paren, &[")"])
        })
    }

    /// `bool = { kw_true | kw_false }`
    fn bool(&mut self) -> bool {
        self.rule(Rule::bool, |p| {
            p.keyword(Rule::kw_true, &["真", "true"]) || p.keyword(Rule::kw_false, &["假", "false"])
        })
    }

    // ---------- literals ----------

    /// `number_lit = ${ number ~ (percent_sign | inline_space* ~ unit)? }`
    fn number_lit(&mut self) -> bool {
        self.rule(Rule::number_lit, |p| {
            // number = @{ ASCII_DIGIT+ ~ ("." ~ ASCII_DIGIT+)? }
            let number = p.rule(Rule::number, |p| {
                if !p.digits() {
                    return false;
                }
                let at = p.pos;
                if !(p.lit(".") && p.digits()) {
                    p.pos = at;
                }
                true
            });
            if !number {
                return false;
            }
            if !p.token(Rule::percent_sign, &["%", "％"]) {
                p.attempt(|p| {
                    let n = p
                        .rest()
                        .char_indices()
                        .find(|&(_, c)| !matches!(c, ' ' | '\t' | '\u{3000}'))
                        .map_or(p.rest().len(), |(i, _)| i);
                    p.pos += n;
                    // unit = @{ ("亿元" | "万元" | "元") ~ !name_char }
                    p.keyword(Rule::unit, &["亿元", "万元", "元"])
                });
            }
            true
        })
    }

    /// `string = ${ ascii_string | cjk_string }`
    fn string(&mut self) -> bool {
        self.rule(Rule::string, |p| {
            p.rule(Rule::ascii_string, |p| {
                if !p.token(Rule::quote, &["\""]) {
                    return false;
                }
                p.rule(Rule::ascii_string_body, |p| {
                    let rest = p.rest();
                    let mut chars = rest.char_indices().peekable();
                    let mut end = rest.len();
                    while let Some((i, c)) = chars.next() {
                        match c {
                            '"' | '\n' | '\r' => {
                                end = i;
                                break;
                            }
                            // `"\\" ~ line_char`
                            '\\' => match chars.peek() {
                                Some(&(_, d)) if d != '\n' && d != '\r' => {
                                    chars.next();
                                }
                                _ => {
                                    end = i;
                                    break;
                                }
                            },
                            _ => {}
                        }
                    }
                    p.pos += end;
                    true
                }) && p.token(Rule::quote_close, &["\""])
            }) || p.rule(Rule::cjk_string, |p| {
                if !p.token(Rule::cjk_quote, &["“"]) {
                    return false;
                }
                p.rule(Rule::cjk_string_body, |p| {
                    let rest = p.rest();
                    p.pos += rest.find(['\n', '\r', '”']).unwrap_or(rest.len());
                    true
                }) && p.token(Rule::cjk_quote_close, &["”"])
            })
        })
    }
}
