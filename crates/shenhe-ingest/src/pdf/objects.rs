//! Small helpers over `lopdf` objects: follow references, read numbers, decode streams.

use lopdf::{Dictionary, Document, Object};

/// Largest stream we decode (content streams, CMaps): 64 MiB. Bigger means a damaged or hostile
/// file.
pub(crate) const MAX_STREAM: usize = 64 * 1024 * 1024;

/// Follows references (at most 16, so cycles end).
pub(crate) fn deref<'a>(doc: &'a Document, mut obj: &'a Object) -> Option<&'a Object> {
    for _ in 0..16 {
        match obj {
            Object::Reference(id) => obj = doc.get_object(*id).ok()?,
            other => return Some(other),
        }
    }
    None
}

/// The dictionary an object is or refers to (a stream's dictionary included).
pub(crate) fn dict_of<'a>(doc: &'a Document, obj: &'a Object) -> Option<&'a Dictionary> {
    match deref(doc, obj)? {
        Object::Dictionary(d) => Some(d),
        Object::Stream(s) => Some(&s.dict),
        _ => None,
    }
}

/// A number object as `f64`.
pub(crate) fn num(doc: &Document, obj: &Object) -> Option<f64> {
    match deref(doc, obj)? {
        Object::Integer(i) => Some(*i as f64),
        Object::Real(r) => Some(f64::from(*r)),
        _ => None,
    }
}

/// The decoded content of a stream object.
pub(crate) fn stream_bytes(doc: &Document, obj: &Object) -> Option<Vec<u8>> {
    match deref(doc, obj)? {
        Object::Stream(s) => s.get_plain_content_with_limit(MAX_STREAM).ok(),
        _ => None,
    }
}

/// A rectangle array `[x0 y0 x1 y1]`, normalised so that x0 <= x1 and y0 <= y1.
pub(crate) fn rect(doc: &Document, obj: &Object) -> Option<[f64; 4]> {
    let arr = deref(doc, obj)?.as_array().ok()?;
    let v: Vec<f64> = arr.iter().filter_map(|o| num(doc, o)).collect();
    match v.as_slice() {
        [a, b, c, d] => Some([a.min(*c), b.min(*d), a.max(*c), b.max(*d)]),
        _ => None,
    }
}
