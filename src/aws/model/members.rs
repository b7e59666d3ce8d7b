//! The member index of a service: which structures have a member of a
//! given name, for recognising the shape of a JSON snippet from its keys
//! (`aws::infer`). Built once per service, on first use, from the member
//! names alone: read straight from the generator's compact layout, or by a
//! JSON parser that skips everything else.

use super::{Lazy, Shape};
use serde::Deserialize;
use std::borrow::Cow;

/// Every (member name, structure) pair of a service, sorted, so that a
/// member's structures are one run. A name is located in the service's
/// JSON text where it is written there as it reads, and copied otherwise.
#[derive(Debug, Default)]
pub(super) struct MemberIndex {
    pairs: Vec<(KeyAt, u32)>,
    extra: String,
}

/// Where a member name is: a byte range of the JSON text or of `extra`.
#[derive(Debug, Clone, Copy)]
enum KeyAt {
    Json(u32, u32),
    Extra(u32, u32),
}

impl MemberIndex {
    /// The index of the structures among `shapes`, whose texts are in
    /// `json`.
    pub(super) fn build(json: &str, shapes: &[(String, Lazy<Shape>)]) -> MemberIndex {
        let mut index = MemberIndex::default();
        let base = json.as_ptr() as usize;
        for (id, (_, shape)) in shapes.iter().enumerate() {
            let id = u32::try_from(id).expect("fewer than 2^32 shapes");
            let text = &json[shape.start..shape.end];
            // Only the type and the member names are needed: read just
            // those from the shape's text (parsed or not), rather than parse
            // every shape of the service; in the generator's layout,
            // without a parser at all.
            let members: Vec<Cow<'_, str>> = match quick_member_names(text) {
                Some(Quick::NotStructure) => continue,
                Some(Quick::Members(names)) => names.into_iter().map(Cow::Borrowed).collect(),
                None => match serde_json::from_str::<MemberNames>(text) {
                    Ok(view) if view.t == "structure" => view.m.0,
                    _ => continue,
                },
            };
            for key in members {
                let key = match key {
                    // A key as written in the text: located there.
                    Cow::Borrowed(key) => {
                        let start = key.as_ptr() as usize - base;
                        KeyAt::Json(start as u32, (start + key.len()) as u32)
                    }
                    Cow::Owned(key) => {
                        let start = index.extra.len();
                        index.extra.push_str(&key);
                        KeyAt::Extra(start as u32, index.extra.len() as u32)
                    }
                };
                index.pairs.push((key, id));
            }
        }
        let mut pairs = std::mem::take(&mut index.pairs);
        pairs.sort_unstable_by(|(a, x), (b, y)| {
            index.key(json, *a).cmp(index.key(json, *b)).then(x.cmp(y))
        });
        index.pairs = pairs;
        index
    }

    /// The structures (indexes in the service's shapes) that have a member
    /// named `member`, in order.
    pub(super) fn structures<'s>(
        &'s self,
        json: &str,
        member: &str,
    ) -> impl Iterator<Item = usize> + use<'s> {
        let start = self
            .pairs
            .partition_point(|&(key, _)| self.key(json, key) < member);
        let len = self.pairs[start..].partition_point(|&(key, _)| self.key(json, key) == member);
        self.pairs[start..start + len]
            .iter()
            .map(|&(_, id)| id as usize)
    }

    fn key<'a>(&'a self, json: &'a str, at: KeyAt) -> &'a str {
        match at {
            KeyAt::Json(start, end) => &json[start as usize..end as usize],
            KeyAt::Extra(start, end) => &self.extra[start as usize..end as usize],
        }
    }
}

/// What [`quick_member_names`] read.
enum Quick<'a> {
    NotStructure,
    Members(Vec<&'a str>),
}

/// The member names of a shape written in the generator's compact layout
/// (`{"t":"structure","m":{"name":"Shape",…},…}`, no escapes in the
/// members), or that it is no structure; `None` for any other layout, which
/// a JSON parser then reads.
fn quick_member_names(text: &str) -> Option<Quick<'_>> {
    let rest = text.strip_prefix("{\"t\":\"")?;
    let Some(rest) = rest.strip_prefix("structure\"") else {
        return Some(Quick::NotStructure);
    };
    if rest == "}" {
        return Some(Quick::Members(Vec::new()));
    }
    let mut rest = rest.strip_prefix(",\"m\":{")?;
    let mut names = Vec::new();
    loop {
        // `"name":"Shape"`, then `,` or the closing `}`.
        let (name, after) = rest.strip_prefix('"')?.split_once('"')?;
        let (shape, after) = after.strip_prefix(":\"")?.split_once('"')?;
        if name.contains('\\') || shape.contains('\\') {
            return None;
        }
        names.push(name);
        match after.as_bytes().first()? {
            b',' => rest = &after[1..],
            b'}' => return Some(Quick::Members(names)),
            _ => return None,
        }
    }
}

/// A shape's type and member names, read without the rest of it.
#[derive(Deserialize)]
struct MemberNames<'a> {
    #[serde(borrow)]
    t: Cow<'a, str>,
    #[serde(default, borrow)]
    m: Keys<'a>,
}

/// The keys of a JSON object, its values skipped.
#[derive(Default)]
struct Keys<'a>(Vec<Cow<'a, str>>);

impl<'de: 'a, 'a> Deserialize<'de> for Keys<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = Keys<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<M: serde::de::MapAccess<'de>>(
                self,
                mut map: M,
            ) -> Result<Keys<'de>, M::Error> {
                let mut keys = Vec::new();
                while let Some((key, serde::de::IgnoredAny)) = map.next_entry::<Borrowed, _>()? {
                    keys.push(key.0);
                }
                Ok(Keys(keys))
            }
        }
        deserializer.deserialize_map(Visit)
    }
}

/// A string borrowed from the JSON text when it has no escapes.
struct Borrowed<'a>(Cow<'a, str>);

impl<'de: 'a, 'a> Deserialize<'de> for Borrowed<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = Borrowed<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E>(self, text: &'de str) -> Result<Borrowed<'de>, E> {
                Ok(Borrowed(Cow::Borrowed(text)))
            }
            fn visit_str<E>(self, text: &str) -> Result<Borrowed<'de>, E> {
                Ok(Borrowed(Cow::Owned(text.to_string())))
            }
        }
        deserializer.deserialize_str(Visit)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aws::model::Model;

    #[test]
    fn the_quick_reading_of_member_names_is_the_parsers() {
        let model = Model::load_embedded().unwrap();
        let mut quick = 0;
        for name in ["ecs", "ec2", "s3api", "iam", "logs"] {
            let service = model.service(name).unwrap();
            for (_, shape) in &service.shapes {
                let text = &service.json[shape.start..shape.end];
                let parsed = serde_json::from_str::<MemberNames>(text).unwrap();
                match quick_member_names(text) {
                    Some(Quick::NotStructure) => assert_ne!(parsed.t, "structure", "{text}"),
                    Some(Quick::Members(names)) => {
                        assert_eq!(parsed.t, "structure", "{text}");
                        let keys: Vec<&str> = parsed.m.0.iter().map(|k| k.as_ref()).collect();
                        assert_eq!(names, keys, "{text}");
                        quick += 1;
                    }
                    None => {}
                }
            }
        }
        assert!(quick > 1000, "{quick}");
        // Other layouts are left to the parser.
        for text in [
            r#"{"m":{"a":"A"},"t":"structure"}"#,
            r#"{"t":"structure","m":{"a\"b":"A"}}"#,
            r#"{"t":"structure","m":{}}"#,
            r#"{ "t": "structure" }"#,
        ] {
            assert!(quick_member_names(text).is_none(), "{text}");
        }
        assert!(matches!(
            quick_member_names(r#"{"t":"structure"}"#),
            Some(Quick::Members(names)) if names.is_empty()
        ));
    }
}
