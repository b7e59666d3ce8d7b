//! The documents of a search index, read back from the pages mdbook-html
//! wrote.
//!
//! mdBook's search splits each chapter into sections at its headings (down
//! to `heading-split-level`) and stores, per section, the heading, the text
//! under it and the breadcrumbs (the chapter's parents, the chapter, the
//! headings above). It reads them from its own tree of the page, which it
//! then writes out as the page's HTML; that HTML is exactly the tree (text
//! escaped with `&lt;` `&gt;` `&amp;`, attributes quoted, `<script>` and
//! `<style>` contents raw), so the same sections come out of the written
//! page, read here between the markers the page template puts around the
//! content ([`CONTENT_START`], [`CONTENT_END`]). The rules are mdBook's:
//! every opening tag separates words (a space), text inside a heading goes
//! to the heading, `<script>` and `<style>` are skipped, and the first
//! heading with an `id` at or above the split level starts a section.
//! One thing is left out that mdBook would index: the pages this tool
//! generates (between [`GENERATED_START`] and [`GENERATED_END`]), which
//! list entries that search finds where they are written.

use crate::pages::{GENERATED_END, GENERATED_START};
use std::borrow::Cow;

/// What the page template writes just before a page's content.
pub const CONTENT_START: &str = "<!--runbook:content-->";
/// What the page template writes just after it.
pub const CONTENT_END: &str = "<!--/runbook:content-->";

/// One section of a chapter, as the search index stores it.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// The page, and `#id` of the section's heading when it has one.
    pub url: String,
    pub title: String,
    pub body: String,
    pub breadcrumbs: String,
}

/// A chapter as its sections need it.
pub struct Chapter<'a> {
    /// The page's path in URL form (`guide/x.html`).
    pub url: String,
    /// The chapter's parents' names, then its own.
    pub names: Vec<&'a str>,
}

/// The content of a page mdbook-html wrote: the text between the
/// template's markers, or `None` for a page without them.
pub fn content(page: &str) -> Option<&str> {
    let start = page.find(CONTENT_START)? + CONTENT_START.len();
    let end = page.rfind(CONTENT_END)?;
    page.get(start..end)
}

/// Appends the sections of `chapter`, whose page content is `html`, to
/// `out`, splitting at headings of level `split_level` and above.
pub fn sections(html: &str, chapter: &Chapter, split_level: u8, out: &mut Vec<Document>) {
    let mut section = Sections {
        chapter,
        split_level,
        out,
        id: None,
        heading: String::new(),
        body: String::new(),
        breadcrumbs: chapter.names.iter().map(|n| n.to_string()).collect(),
        in_heading: false,
    };
    let mut rest = html;
    while !rest.is_empty() {
        let Some(open) = rest.find('<') else {
            section.text(rest);
            break;
        };
        section.text(&rest[..open]);
        rest = &rest[open..];
        if let Some(generated) = rest.strip_prefix(GENERATED_START) {
            rest = generated
                .find(GENERATED_END)
                .map_or("", |end| &generated[end + GENERATED_END.len()..]);
            continue;
        }
        if let Some(comment) = rest.strip_prefix("<!--") {
            rest = comment.find("-->").map_or("", |end| &comment[end + 3..]);
            continue;
        }
        let Some(close) = rest.find('>') else {
            // Not HTML mdbook-html writes; the rest reads as text.
            section.text(rest);
            break;
        };
        let tag = &rest[1..close];
        rest = &rest[close + 1..];
        if let Some(name) = tag.strip_prefix('/') {
            section.end(name.trim());
            continue;
        }
        let self_closing = tag.ends_with('/');
        let tag = tag.strip_suffix('/').unwrap_or(tag);
        let name_end = tag
            .find(|c: char| c.is_ascii_whitespace())
            .unwrap_or(tag.len());
        let name = &tag[..name_end];
        if matches!(name, "script" | "style") && !self_closing {
            // Raw contents, up to the one end tag they cannot contain.
            let end = format!("</{name}>");
            rest = rest.find(&end).map_or("", |at| &rest[at + end.len()..]);
            continue;
        }
        section.start(name, &tag[name_end..]);
        if self_closing {
            section.end(name);
        }
    }
    section.finish();
}

/// The sections of one chapter, as they are read.
struct Sections<'c, 'a, 'o> {
    chapter: &'c Chapter<'a>,
    split_level: u8,
    out: &'o mut Vec<Document>,
    /// The `id` of the heading that opened the current section.
    id: Option<String>,
    heading: String,
    body: String,
    breadcrumbs: Vec<String>,
    in_heading: bool,
}

impl Sections<'_, '_, '_> {
    fn splits(&self, name: &str) -> bool {
        heading_level(name).is_some_and(|level| level <= self.split_level)
    }

    fn text(&mut self, escaped: &str) {
        let text = unescape(escaped);
        if self.in_heading {
            self.heading.push_str(&text);
        } else {
            self.body.push_str(&text);
        }
    }

    fn start(&mut self, name: &str, attributes: &str) {
        if self.splits(name)
            && let Some(id) = attribute(attributes, "id")
        {
            if !self.heading.is_empty() {
                // The next heading ends the section.
                let id = self.id.take().unwrap_or_default();
                let title = std::mem::take(&mut self.heading);
                let body = std::mem::take(&mut self.body);
                self.add(&id, &title, &body);
                self.breadcrumbs.pop();
            }
            self.id = Some(id.into_owned());
            self.in_heading = true;
        } else if self.in_heading {
            self.heading.push(' ');
        } else {
            self.body.push(' ');
        }
    }

    fn end(&mut self, name: &str) {
        // As mdBook does: any heading at the split level closes, with or
        // without an id.
        if self.splits(name) {
            self.in_heading = false;
            self.breadcrumbs.push(self.heading.clone());
        }
    }

    fn add(&mut self, id: &str, title: &str, body: &str) {
        let mut url = self.chapter.url.clone();
        if !id.is_empty() {
            url.push('#');
            url.push_str(id);
        }
        self.out.push(Document {
            url,
            title: collapse_whitespace(title.trim()),
            body: collapse_whitespace(body.trim()),
            breadcrumbs: collapse_whitespace(self.breadcrumbs.join(" » ").trim()),
        });
    }

    /// The last section, if it holds anything.
    fn finish(mut self) {
        if self.body.is_empty() && self.heading.is_empty() {
            return;
        }
        let heading = std::mem::take(&mut self.heading);
        let body = std::mem::take(&mut self.body);
        let title = if heading.is_empty() {
            self.breadcrumbs.first().cloned().unwrap_or_default()
        } else {
            heading
        };
        let id = self.id.take().unwrap_or_default();
        self.add(&id, &title, &body);
    }
}

/// `1` to `6` for `h1` to `h6`.
fn heading_level(name: &str) -> Option<u8> {
    match name.as_bytes() {
        [b'h', level @ b'1'..=b'6'] => Some(level - b'0'),
        _ => None,
    }
}

/// The value of the attribute `wanted` in the attributes of a tag as
/// mdbook-html writes them (` name="value"`, the value escaped).
fn attribute<'t>(mut attributes: &'t str, wanted: &str) -> Option<Cow<'t, str>> {
    loop {
        attributes = attributes.trim_start();
        if attributes.is_empty() {
            return None;
        }
        let name_end = attributes
            .find(|c: char| c == '=' || c.is_ascii_whitespace())
            .unwrap_or(attributes.len());
        let name = &attributes[..name_end];
        attributes = &attributes[name_end..];
        let value = match attributes.strip_prefix("=\"") {
            Some(quoted) => {
                let end = quoted.find('"')?;
                attributes = &quoted[end + 1..];
                &quoted[..end]
            }
            None => "",
        };
        if name == wanted {
            return Some(unescape(value));
        }
    }
}

/// Text or an attribute value as mdbook-html escapes them, unescaped.
fn unescape(text: &str) -> Cow<'_, str> {
    if !text.contains('&') {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let (replacement, length) = [
            ("&lt;", '<'),
            ("&gt;", '>'),
            ("&amp;", '&'),
            ("&quot;", '"'),
            ("&#39;", '\''),
            ("&#92;", '\\'),
        ]
        .iter()
        .find(|(entity, _)| rest.starts_with(entity))
        .map_or(('&', 1), |(entity, c)| (*c, entity.len()));
        out.push(replacement);
        rest = &rest[length..];
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// Every run of two or more whitespace characters made one space, as
/// mdBook stores a section's text.
fn collapse_whitespace(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_whitespace() && chars.peek().is_some_and(|n| n.is_whitespace()) {
            while chars.peek().is_some_and(|n| n.is_whitespace()) {
                chars.next();
            }
            out.push(' ');
        } else {
            out.push(c);
        }
    }
    out
}
