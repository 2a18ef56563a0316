//! Waivers: accepted findings. A waiver names a rule, a location key and a fingerprint of the
//! values the finding saw; it applies while the finding shows exactly those values and the
//! waiver has not expired. Waived findings stay in the report, marked as waived; a waiver whose
//! numbers changed (lapsed) or whose date passed (expired) leaves the finding open and says so.

use serde::Serialize;

use crate::config::{Config, Date, Waiver};
use crate::finding::{Finding, Severity};
use crate::report::Report;

/// What a waiver did to a finding.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum WaiverState {
    /// Accepted: the finding does not count towards the exit status.
    Waived,
    /// The waiver matches but its expiry date has passed: the finding is open again.
    Expired,
    /// A waiver for this rule and location exists but was recorded for other values: the
    /// numbers changed, the finding is open again.
    Lapsed,
}

impl WaiverState {
    /// 已豁免, 豁免已过期, 豁免已失效.
    pub fn name(self) -> &'static str {
        match self {
            WaiverState::Waived => "已豁免",
            WaiverState::Expired => "豁免已过期",
            WaiverState::Lapsed => "豁免已失效（数值已变化）",
        }
    }
}

/// The waiver attached to a finding.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct WaiverStatus {
    pub state: WaiverState,
    pub reason: String,
    pub author: String,
    /// `2026-12-31`.
    pub expires: String,
    /// The fingerprint the waiver was recorded for (differs from the finding's when lapsed).
    pub recorded_fingerprint: String,
    /// Line of the `[[waiver]]` entry in the configuration file.
    pub config_line: u32,
}

/// Appends one place of a finding as a key to `out`: `role:table/row/column` or
/// `role:section`.
fn push_place_key(out: &mut String, l: &crate::finding::Location) {
    out.push_str(&l.role);
    out.push(':');
    let parts = [&l.table, &l.section, &l.row, &l.column];
    for (k, p) in parts.into_iter().filter_map(|p| p.as_deref()).enumerate() {
        if k > 0 {
            out.push('/');
        }
        out.push_str(p);
    }
}

/// The location key of a finding: its places (role, table, row, column or section) without
/// line numbers or values, so that it survives edits elsewhere in the document.
pub fn location_key(f: &Finding) -> String {
    let mut out = String::new();
    push_location_key(&mut out, f, &mut Vec::new());
    out
}

/// Appends [`location_key`] of `f` to `out` (`starts` is scratch space).
fn push_location_key(out: &mut String, f: &Finding, starts: &mut Vec<usize>) {
    // Each distinct place key once, in order, joined by `; `: every key is written into the
    // one string, and a repeated one is taken back out.
    starts.clear();
    for l in &f.locations {
        let start = out.len();
        if !starts.is_empty() {
            out.push_str("; ");
        }
        let key_start = out.len();
        push_place_key(out, l);
        let key = out.get(key_start..).unwrap_or("");
        let repeated = starts.iter().enumerate().any(|(i, &s)| {
            // A key before ends where the next one's `; ` begins (or where this one begins).
            let end = starts.get(i + 1).map_or(start, |n| n.saturating_sub(2));
            out.get(s..end) == Some(key)
        });
        if repeated {
            out.truncate(start);
        } else {
            starts.push(key_start);
        }
    }
}

/// FNV-1a, 64 bits: small, stable across platforms and versions.
struct Fnv(u64);

impl Fnv {
    fn new() -> Fnv {
        Fnv(0xcbf2_9ce4_8422_2325)
    }

    /// The bytes of `s`, then the unit separator 0x1f.
    fn field(&mut self, s: &str) {
        let mut h = self.0;
        for b in s.bytes() {
            h = (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
        }
        self.0 = (h ^ 0x1f).wrapping_mul(0x0000_0100_0000_01b3);
    }
}

/// A hash as 16 lowercase hexadecimal digits (`{:016x}`).
fn hex16(h: u64) -> String {
    (0..16)
        .rev()
        .map(|k| char::from_digit(((h >> (4 * k)) & 0xf) as u32, 16).unwrap_or('0'))
        .collect()
}

/// The fingerprint of a finding: 16 hexadecimal digits hashing the rule id, the location key
/// and every value the finding saw (both sides of the comparison, the printed value or text at
/// each location). The message wording does not enter it.
pub fn fingerprint(f: &Finding) -> String {
    hex16(fingerprint_hash(f, &mut Scratch::default()))
}

/// Buffers reused from one finding's fingerprint to the next.
#[derive(Default)]
struct Scratch {
    key: String,
    starts: Vec<usize>,
}

/// The hash [`fingerprint`] writes out.
fn fingerprint_hash(f: &Finding, scratch: &mut Scratch) -> u64 {
    let mut h = Fnv::new();
    h.field(&f.rule_id);
    scratch.key.clear();
    push_location_key(&mut scratch.key, f, &mut scratch.starts);
    h.field(&scratch.key);
    if let Some(v) = &f.values {
        h.field(&v.left.printed);
        h.field(v.comparison);
        h.field(&v.right.printed);
    }
    for l in &f.locations {
        h.field(l.value.as_deref().unwrap_or(""));
        h.field(l.text.as_deref().unwrap_or(""));
    }
    h.0
}

/// Fills in the fingerprint of every finding of one document, in document order. Findings
/// that would share a fingerprint (the same rule, places and values: the same template leftover
/// in two sentences of one section) are told apart by their order: the second and later ones
/// hash their ordinal in too, so that a waiver covers exactly one of them.
pub fn fingerprint_all(findings: &mut [Finding]) {
    let mut seen: Vec<(u64, u32)> = Vec::new();
    let mut scratch = Scratch::default();
    for f in findings {
        let base = fingerprint_hash(f, &mut scratch);
        let n = match seen.iter_mut().find(|(k, _)| *k == base) {
            Some((_, n)) => {
                *n += 1;
                *n
            }
            None => {
                seen.push((base, 1));
                1
            }
        };
        f.fingerprint = if n == 1 {
            hex16(base)
        } else {
            let mut h = Fnv(base);
            h.field(&n.to_string());
            hex16(h.0)
        };
    }
}

/// Whether a waiver's `document` names the document at `path` (as given on the command line)
/// whose file name is `source_name`: equal, or a suffix of whole path components.
fn names_document(document: &str, path: &str, source_name: &str) -> bool {
    let d = document.replace('\\', "/");
    let p = path.replace('\\', "/");
    let d = d.trim_start_matches("./");
    p == d || source_name == d || p.ends_with(&format!("/{d}"))
}

/// What the waivers of a configuration did in one document: (waiver index, state) per use.
pub type WaiverUses = Vec<(usize, WaiverState)>;

impl Config {
    /// Marks the findings of `report` that a waiver covers, fills in every finding's
    /// fingerprint and recounts. `path` is the document as given to the command (waivers with
    /// a `document` match it); `today` decides expiry (a waiver is valid through its date).
    pub fn apply_waivers(&self, report: &mut Report, path: &str, today: Date) -> WaiverUses {
        let mut uses = Vec::new();
        let source_name = report.document.source_name.clone();
        for f in &mut report.findings {
            if f.fingerprint.is_empty() {
                f.fingerprint = fingerprint(f);
            }
            f.waiver = None;
            let key = location_key(f);
            let candidates: Vec<(usize, &Waiver)> = self
                .waivers
                .iter()
                .enumerate()
                .filter(|(_, w)| {
                    w.rule == f.rule_id
                        && w.location == key
                        && w.document
                            .as_deref()
                            .is_none_or(|d| names_document(d, path, &source_name))
                })
                .collect();
            let exact = candidates
                .iter()
                .find(|(_, w)| w.fingerprint == f.fingerprint);
            let (index, waiver, state) = match (exact, candidates.first()) {
                (Some((i, w)), _) if w.expires < today => (*i, *w, WaiverState::Expired),
                (Some((i, w)), _) => (*i, *w, WaiverState::Waived),
                (None, Some((i, w))) => (*i, *w, WaiverState::Lapsed),
                (None, None) => continue,
            };
            uses.push((index, state));
            f.waiver = Some(WaiverStatus {
                state,
                reason: waiver.reason.clone(),
                author: waiver.author.clone(),
                expires: waiver.expires.to_string(),
                recorded_fingerprint: waiver.fingerprint.clone(),
                config_line: waiver.pos.line,
            });
        }
        report.recount();
        uses
    }
}

/// What became of every waiver over a whole run.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WaiverLedger {
    /// Per waiver: (findings waived, findings where it had expired, findings where it lapsed).
    uses: Vec<(usize, usize, usize)>,
}

/// A waiver that needs attention at the end of a run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WaiverNotice<'c> {
    pub waiver: &'c Waiver,
    pub kind: WaiverNoticeKind,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WaiverNoticeKind {
    /// Its date has passed.
    Expired,
    /// It matched a rule and location, but never with its values: the numbers changed.
    Lapsed,
    /// It matched no finding at all: the problem may have been fixed.
    Unused,
}

impl WaiverNoticeKind {
    pub fn name(self) -> &'static str {
        match self {
            WaiverNoticeKind::Expired => "已过期",
            WaiverNoticeKind::Lapsed => "已失效（数值已变化）",
            WaiverNoticeKind::Unused => "未用到（问题可能已改正）",
        }
    }
}

impl WaiverLedger {
    pub fn new(cfg: &Config) -> WaiverLedger {
        WaiverLedger {
            uses: vec![(0, 0, 0); cfg.waivers.len()],
        }
    }

    /// Adds one document's uses.
    pub fn record(&mut self, uses: &[(usize, WaiverState)]) {
        for (i, state) in uses {
            if let Some(u) = self.uses.get_mut(*i) {
                match state {
                    WaiverState::Waived => u.0 += 1,
                    WaiverState::Expired => u.1 += 1,
                    WaiverState::Lapsed => u.2 += 1,
                }
            }
        }
    }

    /// Findings waived over the run.
    pub fn waived(&self) -> usize {
        self.uses.iter().map(|u| u.0).sum()
    }

    /// The waivers that need attention: expired (by date, whether used or not), lapsed
    /// (matched only with other values), unused. In configuration order.
    pub fn notices<'c>(&self, cfg: &'c Config, today: Date) -> Vec<WaiverNotice<'c>> {
        cfg.waivers
            .iter()
            .zip(&self.uses)
            .filter_map(|(w, &(waived, _, lapsed))| {
                let kind = if w.expires < today {
                    WaiverNoticeKind::Expired
                } else if waived == 0 && lapsed > 0 {
                    WaiverNoticeKind::Lapsed
                } else if waived == 0 {
                    WaiverNoticeKind::Unused
                } else {
                    return None;
                };
                Some(WaiverNotice { waiver: w, kind })
            })
            .collect()
    }
}

/// Whether a finding counts: not waived.
pub fn is_open(f: &Finding) -> bool {
    !matches!(
        f.waiver.as_ref().map(|w| w.state),
        Some(WaiverState::Waived)
    )
}

/// Whether a finding is an open error (what makes `shenhe check` exit 1).
pub fn is_open_error(f: &Finding) -> bool {
    f.severity == Severity::Error && is_open(f)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Location;

    /// The hash and its digits as first written: FNV-1a over each field's bytes and 0x1f,
    /// printed with `{:016x}`.
    #[test]
    fn hash_and_digits_as_first_written() {
        for fields in [
            vec![],
            vec!["", "a", "表三 部门支出", "0"],
            vec!["WB-001", "左:表三/合计; 右:表七"],
        ] {
            let mut h = Fnv::new();
            let mut old = 0xcbf2_9ce4_8422_2325u64;
            for f in &fields {
                h.field(f);
                for b in f.bytes().chain(std::iter::once(0x1f)) {
                    old ^= u64::from(b);
                    old = old.wrapping_mul(0x0000_0100_0000_01b3);
                }
            }
            assert_eq!(h.0, old);
            assert_eq!(hex16(h.0), format!("{:016x}", h.0));
        }
        for x in [0, 1, 0xf, 0x10, u64::MAX, 0x0123_4567_89ab_cdef] {
            assert_eq!(hex16(x), format!("{x:016x}"));
        }
    }

    fn place(role: &str, table: Option<&str>, row: Option<&str>) -> Location {
        Location {
            role: role.into(),
            table: table.map(Into::into),
            row: row.map(Into::into),
            ..Location::default()
        }
    }

    fn finding(locations: Vec<Location>) -> Finding {
        Finding {
            rule_id: "R".into(),
            title: String::new(),
            severity: Severity::Error,
            category: None,
            basis: Vec::new(),
            message: String::new(),
            values: None,
            note: None,
            locations,
            rule_span: crate::finding::RuleSpan {
                file: String::new(),
                line: 1,
                column: 1,
            },
            fingerprint: String::new(),
            waiver: None,
            repairs: Vec::new(),
        }
    }

    #[test]
    fn location_keys_list_each_place_once_in_order() {
        let f = finding(vec![
            place("左", Some("表一"), Some("合计")),
            place("左", Some("表一"), None),
            place("左", Some("表一"), Some("合计")),
            place("右", Some("表一"), Some("合")),
            place("左", Some("表一"), None),
            place("右", Some("表一"), Some("合")),
            place("值", None, None),
        ]);
        assert_eq!(location_key(&f), "左:表一/合计; 左:表一; 右:表一/合; 值:");
        assert_eq!(location_key(&finding(Vec::new())), "");
    }
}
