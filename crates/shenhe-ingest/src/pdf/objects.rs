//! Small helpers over `lopdf` objects: follow references, read numbers, decode streams.

use std::collections::HashMap;
use std::rc::Rc;

use lopdf::{Dictionary, Document, Object, ObjectId};

/// Largest stream we decode (content streams, CMaps): 64 MiB. Bigger means a damaged or hostile
/// file.
pub(crate) const MAX_STREAM: usize = 64 * 1024 * 1024;

/// Most decoded stream bytes (page contents, forms, CMaps) one document may produce: 256 MiB.
/// The corpus documents decode a few megabytes; a small file whose streams are decompression
/// bombs, or that draws the same huge stream from thousands of pages, would otherwise take
/// minutes and gigabytes.
pub(crate) const MAX_DOCUMENT_DECODED: usize = 4 * MAX_STREAM;

/// Decodes streams for one document: each stream object once (pages and fonts that share a
/// stream share its bytes), within [`MAX_DOCUMENT_DECODED`] in all.
pub(crate) struct Streams {
    cache: HashMap<ObjectId, Option<Rc<[u8]>>>,
    left: usize,
    /// Whether a stream was refused because the document's budget was spent.
    pub(crate) spent: bool,
}

impl Streams {
    pub(crate) fn with_budget(bytes: usize) -> Self {
        Streams {
            cache: HashMap::new(),
            left: bytes,
            spent: false,
        }
    }

    /// The decoded content of a stream object (or a reference to one); `None` when it is not a
    /// stream, cannot be decoded, or the budget is spent (then [`Streams::spent`] is set).
    pub(crate) fn bytes(&mut self, doc: &Document, obj: &Object) -> Option<Rc<[u8]>> {
        let id = match obj {
            Object::Reference(id) => Some(*id),
            _ => None,
        };
        if let Some(cached) = id.and_then(|id| self.cache.get(&id)) {
            return cached.clone();
        }
        let Object::Stream(stream) = deref(doc, obj)? else {
            return None;
        };
        let limit = MAX_STREAM.min(self.left);
        let decoded = match stream.get_plain_content_with_limit(limit) {
            Ok(v) => {
                self.left = self.left.saturating_sub(v.len());
                Some(Rc::from(v))
            }
            Err(lopdf::Error::Decompress(lopdf::DecompressError::MemoryLimitExceeded {
                ..
            })) => {
                // `limit` bytes were produced before decoding stopped.
                self.left = self.left.saturating_sub(limit);
                None
            }
            Err(_) => {
                self.left = self.left.saturating_sub(stream.content.len());
                None
            }
        };
        if self.left == 0 {
            self.spent = true;
        }
        if let Some(id) = id {
            self.cache.insert(id, decoded.clone());
        }
        decoded
    }
}

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

/// A rectangle array `[x0 y0 x1 y1]`, normalised so that x0 <= x1 and y0 <= y1.
pub(crate) fn rect(doc: &Document, obj: &Object) -> Option<[f64; 4]> {
    let arr = deref(doc, obj)?.as_array().ok()?;
    let v: Vec<f64> = arr.iter().filter_map(|o| num(doc, o)).collect();
    match v.as_slice() {
        [a, b, c, d] => Some([a.min(*c), b.min(*d), a.max(*c), b.max(*d)]),
        _ => None,
    }
}
