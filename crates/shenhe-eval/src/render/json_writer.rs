//! A serde serializer that appends exactly what `serde_json::to_string_pretty` writes to a byte
//! buffer, for the forms a report uses: structs, maps with string keys, sequences and tuples,
//! strings, integers, booleans, options and unit variants.
//!
//! It exists for speed: serde_json tests every byte of every string against its escape table
//! and writes each piece through `io::Write`. Here a string that needs no escape (almost every
//! one) is found so 16 bytes at a time and copied whole, and a field's line break, indentation,
//! quoted name and `": "` are written as one reserved run. Anything else (floats, escapes)
//! is handed to serde_json piece by piece, and a form this writer does not know (bytes, enum
//! variants with data, non-string map keys) makes it fail, so that the caller can fall back
//! to serde_json for the whole value: the output is serde_json's in every case.

use serde::Serialize;
use serde::ser::{self, Impossible};

/// A form this writer leaves to serde_json.
#[derive(Debug)]
pub(super) struct Unsupported;

impl std::fmt::Display for Unsupported {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a form left to serde_json")
    }
}

impl std::error::Error for Unsupported {}

impl ser::Error for Unsupported {
    fn custom<T: std::fmt::Display>(_msg: T) -> Self {
        Unsupported
    }
}

/// Appends `v` to `out` as `serde_json::to_string_pretty` writes it. On `Err` `out` holds a
/// partial value after its old end: the caller truncates it and falls back to serde_json.
pub(super) fn write_pretty<T: Serialize + ?Sized>(
    out: &mut Vec<u8>,
    v: &T,
) -> Result<(), Unsupported> {
    v.serialize(&mut Writer { out, level: 0 })
}

/// A line break after a comma and the indentation of the deepest level written at once.
const BREAK: &[u8] = b",\n                                                                ";

struct Writer<'o> {
    out: &'o mut Vec<u8>,
    /// Nesting depth: two spaces of indentation each.
    level: usize,
}

impl<'o> Writer<'o> {
    /// A line break (after a comma unless `first`) and the current indentation.
    fn line(&mut self, first: bool) {
        let start = usize::from(first);
        let len = 2 + 2 * self.level - start;
        // Up to 16 levels: a piece of fixed length (copied without a call), cut to `len`.
        let fixed: Option<&[u8; 34]> = BREAK.get(start..start + 34).and_then(|p| p.try_into().ok());
        if let Some(piece) = fixed.filter(|_| len <= 34) {
            let end = self.out.len() + len;
            self.out.extend_from_slice(piece);
            self.out.truncate(end);
            return;
        }
        match BREAK.get(start..2 + 2 * self.level) {
            Some(piece) => self.out.extend_from_slice(piece),
            None => {
                self.out
                    .extend_from_slice(if first { b"\n" } else { b",\n" });
                (0..self.level).for_each(|_| self.out.extend_from_slice(b"  "));
            }
        }
    }

    fn open(&mut self, bracket: u8) -> Compound<'_, 'o> {
        self.level += 1;
        self.out.push(bracket);
        Compound {
            w: self,
            first: true,
        }
    }

    /// A string in quotes, copied whole when it needs no escape (checked on the copy).
    fn string(&mut self, s: &str) -> Result<(), Unsupported> {
        let start = self.out.len();
        self.out.reserve(s.len() + 2);
        self.out.push(b'"');
        self.out.extend_from_slice(s.as_bytes());
        if needs_escape(self.out, s.len()) {
            self.out.truncate(start);
            return serde_json::to_writer(&mut *self.out, s).map_err(|_| Unsupported);
        }
        self.out.push(b'"');
        Ok(())
    }

    fn unsigned(&mut self, mut n: u64) {
        let mut digits = [0u8; 20];
        let mut start = digits.len();
        loop {
            start -= 1;
            if let Some(d) = digits.get_mut(start) {
                *d = b'0' + (n % 10) as u8;
            }
            n /= 10;
            if n == 0 {
                break;
            }
        }
        self.out
            .extend_from_slice(digits.get(start..).unwrap_or_default());
    }

    fn signed(&mut self, n: i64) {
        if n < 0 {
            self.out.push(b'-');
        }
        self.unsigned(n.unsigned_abs());
    }
}

/// Whether serde_json escapes one of the last `n` bytes of `out`: a control byte, `"` or `\`.
/// Tested 16 bytes at a time without an early exit within a block, which the compiler turns
/// into a few vector compares; the last block is the last 16 bytes of `out`, of which the
/// bytes before the `n` are masked out (no copy to pad a short string).
fn needs_escape(out: &[u8], n: usize) -> bool {
    /// `MASKS[k..k + 16]` keeps the last `k` bytes of a block.
    const MASKS: [u8; 32] = [
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, //
        0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, //
        0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
    ];
    fn hits(block: &[u8; 16], mask: &[u8; 16]) -> bool {
        block.iter().zip(mask).fold(0u8, |acc, (&b, &m)| {
            let esc = u8::from(b < 0x20) | u8::from(b == b'"') | u8::from(b == b'\\');
            acc | (esc & m)
        }) != 0
    }
    fn as_block(s: &[u8]) -> Option<&[u8; 16]> {
        s.try_into().ok()
    }
    let all = &[0xFF; 16];
    let Some(s) = out.get(out.len().saturating_sub(n)..) else {
        return true;
    };
    let (blocks, rest) = s.as_chunks::<16>();
    if blocks.iter().any(|b| hits(b, all)) {
        return true;
    }
    let last = out.len().checked_sub(16).and_then(|k| out.get(k..));
    let mask = MASKS.get(rest.len()..rest.len() + 16);
    match (last.and_then(as_block), mask.and_then(as_block)) {
        (Some(last), Some(mask)) => hits(last, mask),
        // Fewer than 16 bytes written in all.
        _ => rest.iter().any(|&b| b < 0x20 || b == b'"' || b == b'\\'),
    }
}

/// An open array or object.
struct Compound<'a, 'o> {
    w: &'a mut Writer<'o>,
    /// No element or field written yet.
    first: bool,
}

impl Compound<'_, '_> {
    fn next(&mut self) {
        self.w.line(self.first);
        self.first = false;
    }

    fn close(self, bracket: u8) {
        self.w.level -= 1;
        if !self.first {
            self.w.line(true);
        }
        self.w.out.push(bracket);
    }
}

impl<'a, 'o> ser::Serializer for &'a mut Writer<'o> {
    type Ok = ();
    type Error = Unsupported;
    type SerializeSeq = Compound<'a, 'o>;
    type SerializeTuple = Compound<'a, 'o>;
    type SerializeTupleStruct = Compound<'a, 'o>;
    type SerializeTupleVariant = Impossible<(), Unsupported>;
    type SerializeMap = Compound<'a, 'o>;
    type SerializeStruct = Compound<'a, 'o>;
    type SerializeStructVariant = Impossible<(), Unsupported>;

    fn serialize_bool(self, v: bool) -> Result<(), Unsupported> {
        self.out
            .extend_from_slice(if v { b"true" } else { b"false" });
        Ok(())
    }

    fn serialize_i8(self, v: i8) -> Result<(), Unsupported> {
        self.signed(v.into());
        Ok(())
    }

    fn serialize_i16(self, v: i16) -> Result<(), Unsupported> {
        self.signed(v.into());
        Ok(())
    }

    fn serialize_i32(self, v: i32) -> Result<(), Unsupported> {
        self.signed(v.into());
        Ok(())
    }

    fn serialize_i64(self, v: i64) -> Result<(), Unsupported> {
        self.signed(v);
        Ok(())
    }

    fn serialize_u8(self, v: u8) -> Result<(), Unsupported> {
        self.unsigned(v.into());
        Ok(())
    }

    fn serialize_u16(self, v: u16) -> Result<(), Unsupported> {
        self.unsigned(v.into());
        Ok(())
    }

    fn serialize_u32(self, v: u32) -> Result<(), Unsupported> {
        self.unsigned(v.into());
        Ok(())
    }

    fn serialize_u64(self, v: u64) -> Result<(), Unsupported> {
        self.unsigned(v);
        Ok(())
    }

    fn serialize_f32(self, v: f32) -> Result<(), Unsupported> {
        serde_json::to_writer(&mut *self.out, &v).map_err(|_| Unsupported)
    }

    fn serialize_f64(self, v: f64) -> Result<(), Unsupported> {
        serde_json::to_writer(&mut *self.out, &v).map_err(|_| Unsupported)
    }

    fn serialize_char(self, v: char) -> Result<(), Unsupported> {
        self.string(v.encode_utf8(&mut [0u8; 4]))
    }

    fn serialize_str(self, v: &str) -> Result<(), Unsupported> {
        self.string(v)
    }

    fn serialize_bytes(self, _v: &[u8]) -> Result<(), Unsupported> {
        Err(Unsupported)
    }

    fn serialize_none(self) -> Result<(), Unsupported> {
        self.out.extend_from_slice(b"null");
        Ok(())
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Unsupported> {
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<(), Unsupported> {
        self.serialize_none()
    }

    fn serialize_unit_struct(self, _name: &'static str) -> Result<(), Unsupported> {
        self.serialize_none()
    }

    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<(), Unsupported> {
        self.string(variant)
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<(), Unsupported> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _value: &T,
    ) -> Result<(), Unsupported> {
        Err(Unsupported)
    }

    fn serialize_seq(self, _len: Option<usize>) -> Result<Compound<'a, 'o>, Unsupported> {
        Ok(self.open(b'['))
    }

    fn serialize_tuple(self, _len: usize) -> Result<Compound<'a, 'o>, Unsupported> {
        Ok(self.open(b'['))
    }

    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Compound<'a, 'o>, Unsupported> {
        Ok(self.open(b'['))
    }

    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleVariant, Unsupported> {
        Err(Unsupported)
    }

    fn serialize_map(self, _len: Option<usize>) -> Result<Compound<'a, 'o>, Unsupported> {
        Ok(self.open(b'{'))
    }

    fn serialize_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Compound<'a, 'o>, Unsupported> {
        Ok(self.open(b'{'))
    }

    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStructVariant, Unsupported> {
        Err(Unsupported)
    }
}

impl ser::SerializeSeq for Compound<'_, '_> {
    type Ok = ();
    type Error = Unsupported;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Unsupported> {
        self.next();
        value.serialize(&mut *self.w)
    }

    fn end(self) -> Result<(), Unsupported> {
        self.close(b']');
        Ok(())
    }
}

impl ser::SerializeTuple for Compound<'_, '_> {
    type Ok = ();
    type Error = Unsupported;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Unsupported> {
        ser::SerializeSeq::serialize_element(self, value)
    }

    fn end(self) -> Result<(), Unsupported> {
        ser::SerializeSeq::end(self)
    }
}

impl ser::SerializeTupleStruct for Compound<'_, '_> {
    type Ok = ();
    type Error = Unsupported;

    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Unsupported> {
        ser::SerializeSeq::serialize_element(self, value)
    }

    fn end(self) -> Result<(), Unsupported> {
        ser::SerializeSeq::end(self)
    }
}

impl ser::SerializeMap for Compound<'_, '_> {
    type Ok = ();
    type Error = Unsupported;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Unsupported> {
        self.next();
        key.serialize(KeyWriter(&mut *self.w))
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Unsupported> {
        self.w.out.extend_from_slice(b": ");
        value.serialize(&mut *self.w)
    }

    fn end(self) -> Result<(), Unsupported> {
        self.close(b'}');
        Ok(())
    }
}

impl ser::SerializeStruct for Compound<'_, '_> {
    type Ok = ();
    type Error = Unsupported;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Unsupported> {
        self.w.out.reserve(2 + 2 * self.w.level + key.len() + 4);
        self.next();
        self.w.string(key)?;
        self.w.out.extend_from_slice(b": ");
        value.serialize(&mut *self.w)
    }

    fn end(self) -> Result<(), Unsupported> {
        self.close(b'}');
        Ok(())
    }
}

/// A map key: only strings (serde_json also quotes numbers and booleans; left to it).
struct KeyWriter<'a, 'o>(&'a mut Writer<'o>);

/// Methods of [`KeyWriter`] that refuse their form.
macro_rules! refuse {
    ($($name:ident($($arg:ty),*) -> $ok:ty;)*) => {
        $(fn $name(self, $(_: $arg),*) -> Result<$ok, Unsupported> {
            Err(Unsupported)
        })*
    };
}

impl ser::Serializer for KeyWriter<'_, '_> {
    type Ok = ();
    type Error = Unsupported;
    type SerializeSeq = Impossible<(), Unsupported>;
    type SerializeTuple = Impossible<(), Unsupported>;
    type SerializeTupleStruct = Impossible<(), Unsupported>;
    type SerializeTupleVariant = Impossible<(), Unsupported>;
    type SerializeMap = Impossible<(), Unsupported>;
    type SerializeStruct = Impossible<(), Unsupported>;
    type SerializeStructVariant = Impossible<(), Unsupported>;

    fn serialize_str(self, v: &str) -> Result<(), Unsupported> {
        self.0.string(v)
    }

    refuse! {
        serialize_bool(bool) -> ();
        serialize_i8(i8) -> ();
        serialize_i16(i16) -> ();
        serialize_i32(i32) -> ();
        serialize_i64(i64) -> ();
        serialize_u8(u8) -> ();
        serialize_u16(u16) -> ();
        serialize_u32(u32) -> ();
        serialize_u64(u64) -> ();
        serialize_f32(f32) -> ();
        serialize_f64(f64) -> ();
        serialize_char(char) -> ();
        serialize_bytes(&[u8]) -> ();
        serialize_none() -> ();
        serialize_unit() -> ();
        serialize_unit_struct(&'static str) -> ();
        serialize_unit_variant(&'static str, u32, &'static str) -> ();
        serialize_seq(Option<usize>) -> Self::SerializeSeq;
        serialize_tuple(usize) -> Self::SerializeTuple;
        serialize_tuple_struct(&'static str, usize) -> Self::SerializeTupleStruct;
        serialize_tuple_variant(&'static str, u32, &'static str, usize) -> Self::SerializeTupleVariant;
        serialize_map(Option<usize>) -> Self::SerializeMap;
        serialize_struct(&'static str, usize) -> Self::SerializeStruct;
        serialize_struct_variant(&'static str, u32, &'static str, usize) -> Self::SerializeStructVariant;
    }

    fn serialize_some<T: Serialize + ?Sized>(self, _value: &T) -> Result<(), Unsupported> {
        Err(Unsupported)
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _value: &T,
    ) -> Result<(), Unsupported> {
        Err(Unsupported)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _value: &T,
    ) -> Result<(), Unsupported> {
        Err(Unsupported)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fast(v: &impl Serialize) -> String {
        let mut out = b"before".to_vec();
        write_pretty(&mut out, v).unwrap();
        String::from_utf8(out).unwrap()
    }

    /// The writer lays out exactly as `serde_json::to_string_pretty`: empty and nested arrays
    /// and objects, escapes, numbers, and nesting deeper than `BREAK` covers.
    #[test]
    fn layout_is_serde_json_pretty() {
        let mut deep = serde_json::json!({
            "leaf": [1, "x\"\n\u{1}", [], {}, -12, 1.5, -0.25, 1e300, u64::MAX, i64::MIN],
            "empty": {},
            "esc\\ape": "\u{7f}\t\r\u{8}\u{c}\u{1f} 表\\",
        });
        for i in 0..40 {
            deep = if i % 2 == 0 {
                serde_json::json!([deep, i])
            } else {
                serde_json::json!({"k": deep, "n": null, "t": true, "f": false})
            };
        }
        let long_plain = "预算".repeat(40);
        let long_quoted = format!("{long_plain}\"{long_plain}");
        for v in [
            deep,
            serde_json::json!([]),
            serde_json::json!({}),
            serde_json::json!("表三（万元）"),
            serde_json::json!([{"a": []}, {"b": {}}]),
            serde_json::json!([long_plain, long_quoted, "", "0123456789abcdef\\"]),
        ] {
            let want = format!("before{}", serde_json::to_string_pretty(&v).unwrap());
            assert_eq!(fast(&v), want);
        }
    }

    /// Structs, options, tuples, unit variants, chars and every integer width, as derived.
    #[test]
    fn derived_forms_match_serde_json() {
        #[derive(Serialize)]
        #[serde(rename_all = "snake_case")]
        enum Kind {
            FirstKind,
        }
        #[derive(Serialize)]
        struct Unit;
        #[derive(Serialize)]
        struct Id(u32);
        #[derive(Serialize)]
        struct Pair(i8, u8);
        #[derive(Serialize)]
        struct Inner {
            #[serde(skip_serializing_if = "Option::is_none")]
            gone: Option<u32>,
        }
        #[derive(Serialize)]
        struct Outer<'a> {
            kind: Kind,
            unit: Unit,
            id: Id,
            pair: Pair,
            bbox: Option<[i32; 4]>,
            none: Option<String>,
            inner: Inner,
            inners: Vec<Inner>,
            ints: (i16, u16, i32, u32, i64, u64, usize),
            c: char,
            quote: char,
            f: f32,
            text: &'a str,
            #[serde(flatten)]
            flat: Inner,
        }
        let v = Outer {
            kind: Kind::FirstKind,
            unit: Unit,
            id: Id(7),
            pair: Pair(-128, 255),
            bbox: Some([-1, 0, 2_147_483_647, -2_147_483_648]),
            none: None,
            inner: Inner { gone: None },
            inners: vec![Inner { gone: Some(0) }, Inner { gone: None }],
            ints: (i16::MIN, u16::MAX, -1, 10, i64::MAX, 1_000_000, 9),
            c: '表',
            quote: '"',
            f: 0.1,
            text: "“821.07万元”",
            flat: Inner { gone: Some(3) },
        };
        let want = format!("before{}", serde_json::to_string_pretty(&v).unwrap());
        assert_eq!(fast(&v), want);
    }

    #[test]
    fn escapes_are_found_at_every_position() {
        for len in 0..40 {
            for at in 0..len {
                for b in [b'"', b'\\', 0, 0x1f, b'\n'] {
                    let mut s = vec![b'a'; len];
                    if let Some(x) = s.get_mut(at) {
                        *x = b;
                    }
                    assert!(needs_escape(&s, len), "{len} {at} {b}");
                    // After 40 plain bytes, and after bytes that need escapes.
                    let mut after = vec![b'a'; 40];
                    after.extend_from_slice(&s);
                    assert!(needs_escape(&after, len), "{len} {at} {b}");
                }
            }
            let plain = "表 ~\u{7f}".repeat(len);
            assert!(!needs_escape(plain.as_bytes(), plain.len()));
            let after_escapes = format!("{}{plain}", "\"\\\n".repeat(20));
            assert!(!needs_escape(after_escapes.as_bytes(), plain.len()));
        }
    }

    #[test]
    fn other_forms_are_refused() {
        #[derive(Serialize)]
        enum E {
            Data(u32),
            Tuple(u8, u8),
            Struct { a: u8 },
        }
        let mut out = Vec::new();
        for v in [E::Data(1), E::Tuple(1, 2), E::Struct { a: 1 }] {
            assert!(write_pretty(&mut out, &v).is_err());
        }
        let numbered: std::collections::BTreeMap<u32, u32> = [(1, 2)].into();
        assert!(write_pretty(&mut out, &numbered).is_err());
        struct Bytes;
        impl Serialize for Bytes {
            fn serialize<S: ser::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_bytes(b"ab")
            }
        }
        assert!(write_pretty(&mut out, &Bytes).is_err());
    }
}
