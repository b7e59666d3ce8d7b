//! The embedded AWS CLI model: loading and looking up.
//!
//! `data/model.bin` (see `FORMAT.md`) holds one zlib-compressed JSON
//! document per CLI service behind a small JSON header. [`Model::get`] reads
//! only the header, which takes well under a millisecond; a service is
//! inflated the first time a command uses it, then kept; its operations
//! and shapes are only located in its JSON text then, and each is parsed
//! the first time it is looked at: a command needs a handful of the
//! thousands `ec2` has. The data
//! is generated from botocore by `src/aws/gen/generate.py`; nothing here
//! knows about any particular service.

use serde::Deserialize;
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::OnceLock;

static MODEL_BIN: &[u8] = include_bytes!("data/model.bin");
const MAGIC: &[u8] = b"RBAWS1\n";

/// What the model was generated from.
#[derive(Debug, Clone, Deserialize)]
pub struct Provenance {
    pub botocore: String,
    pub awscli: String,
}

#[derive(Deserialize)]
struct Header {
    format: u32,
    #[serde(flatten)]
    provenance: Provenance,
    services: BTreeMap<String, (usize, usize)>,
}

/// The whole model: the service index, and services parsed on demand.
pub struct Model {
    pub provenance: Provenance,
    names: Vec<String>,
    ranges: Vec<(usize, usize)>,
    body: &'static [u8],
    services: Vec<OnceLock<Service>>,
}

/// One CLI service (`aws <service> …`).
#[derive(Debug)]
pub struct Service {
    pub cli: String,
    pub botocore: String,
    operations: BTreeMap<String, Lazy<Operation>>,
    pub waiters: BTreeMap<String, String>,
    /// Waiters whose options differ from their operation's.
    pub wargs: BTreeMap<String, Operation>,
    /// Commands aws-cli v1 implements for this service (`ecs deploy`).
    pub cmds: BTreeMap<String, CustomCommand>,
    /// The shapes by name, sorted (looked up by binary search).
    shapes: Vec<(String, Lazy<Shape>)>,
    /// The service's JSON text, which the lazy parts are read from.
    json: String,
    /// Every (member name, structure) pair: the structure at that index of
    /// `shapes` has a member of that name. Sorted, so a member's structures
    /// are one run; built on first use (see [`Service::structures_with`]).
    by_member: OnceLock<MemberIndex>,
    /// The shapes some operation's input reaches, built on first use.
    inputs: OnceLock<std::collections::HashSet<String>>,
}

/// A service as its JSON text has it, its operations and shapes unparsed.
#[derive(Deserialize)]
struct RawService<'a> {
    cli: String,
    botocore: String,
    #[serde(borrow)]
    operations: BTreeMap<String, &'a serde_json::value::RawValue>,
    #[serde(default)]
    waiters: BTreeMap<String, String>,
    #[serde(default)]
    wargs: BTreeMap<String, Operation>,
    #[serde(default)]
    cmds: BTreeMap<String, CustomCommand>,
    #[serde(borrow)]
    shapes: Entries<'a>,
}

/// A JSON object's entries in the order of its text, values left raw.
struct Entries<'a>(Vec<(String, &'a serde_json::value::RawValue)>);

impl<'de: 'a, 'a> Deserialize<'de> for Entries<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = Entries<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<M: serde::de::MapAccess<'de>>(
                self,
                mut map: M,
            ) -> Result<Entries<'de>, M::Error> {
                let mut entries = Vec::with_capacity(map.size_hint().unwrap_or(0));
                while let Some(entry) = map.next_entry()? {
                    entries.push(entry);
                }
                Ok(Entries(entries))
            }
        }
        deserializer.deserialize_map(Visit)
    }
}

/// A part of a service (an operation, a shape) left as its place in the
/// service's JSON text until it is first used, then parsed once.
struct Lazy<T> {
    start: usize,
    end: usize,
    parsed: OnceLock<T>,
}

impl<T> std::fmt::Debug for Lazy<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Lazy({}..{})", self.start, self.end)
    }
}

/// A command aws-cli implements itself (see FORMAT.md, `cmds`).
#[derive(Debug, Deserialize)]
pub struct CustomCommand {
    #[serde(default)]
    pub args: BTreeMap<String, CustomArg>,
    #[serde(default)]
    pub sub: BTreeMap<String, CustomCommand>,
}

/// An argument aws-cli adds (`xargs`, `cmds`).
#[derive(Debug, Deserialize)]
pub struct CustomArg {
    #[serde(default)]
    pub t: Option<String>,
    #[serde(default)]
    pub req: bool,
    #[serde(default, rename = "enum")]
    pub enumeration: Option<Vec<String>>,
    #[serde(default)]
    pub pos: bool,
    #[serde(default)]
    pub n: Option<serde_json::Value>,
}

/// One operation, as the CLI exposes it.
#[derive(Debug, Deserialize)]
pub struct Operation {
    /// The API name, e.g. `DescribeServices`.
    pub op: String,
    #[serde(rename = "in")]
    pub input: Option<String>,
    #[serde(rename = "out")]
    pub output: Option<String>,
    /// CLI flag → input member.
    #[serde(default)]
    pub args: BTreeMap<String, String>,
    /// Flags the CLI accepts but does not document (pagination tokens).
    #[serde(default)]
    pub hidden_args: Vec<String>,
    /// Value arity of flags that do not take exactly one value.
    #[serde(default)]
    pub n: BTreeMap<String, serde_json::Value>,
    /// Input members the CLI requires.
    #[serde(default)]
    pub req: Vec<String>,
    /// Input members the model requires but the CLI does not, because an
    /// argument it adds can supply them (`--zip-file` for `Code`).
    #[serde(default)]
    pub lift: Vec<String>,
    /// Arguments aws-cli adds that are not input members.
    #[serde(default)]
    pub xargs: BTreeMap<String, CustomArg>,
    /// Present when the operation is paginated.
    #[serde(default)]
    pub pag: Option<Vec<Option<String>>>,
    /// The output has a streaming body: the CLI takes an `outfile` positional.
    #[serde(default)]
    pub stream_out: bool,
    #[serde(default)]
    pub deprecated: bool,
}

/// A botocore shape, compacted.
#[derive(Debug, Deserialize)]
pub struct Shape {
    pub t: ShapeType,
    /// Structure members: name → shape.
    #[serde(default)]
    pub m: BTreeMap<String, String>,
    /// Required members.
    #[serde(default)]
    pub r: Vec<String>,
    /// List element.
    #[serde(default)]
    pub e: Option<String>,
    /// Map key and value.
    #[serde(default)]
    pub k: Option<String>,
    #[serde(default)]
    pub v: Option<String>,
    #[serde(default, rename = "enum")]
    pub enumeration: Option<Vec<String>>,
    #[serde(default)]
    pub min: Option<f64>,
    #[serde(default)]
    pub max: Option<f64>,
    /// Strings: the regular expression a value must match.
    #[serde(default)]
    pub pattern: Option<String>,
    /// Structures: the members that are streaming blobs (upload bodies),
    /// which the CLI reads as file paths.
    #[serde(default)]
    pub stream: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ShapeType {
    Structure,
    List,
    Map,
    String,
    Integer,
    Long,
    Float,
    Double,
    Boolean,
    Timestamp,
    Blob,
    Document,
}

impl ShapeType {
    pub fn name(self) -> &'static str {
        match self {
            ShapeType::Structure => "structure",
            ShapeType::List => "list",
            ShapeType::Map => "map",
            ShapeType::String => "string",
            ShapeType::Integer => "integer",
            ShapeType::Long => "long",
            ShapeType::Float => "float",
            ShapeType::Double => "double",
            ShapeType::Boolean => "boolean",
            ShapeType::Timestamp => "timestamp",
            ShapeType::Blob => "blob",
            ShapeType::Document => "document",
        }
    }

    pub fn is_scalar(self) -> bool {
        !matches!(
            self,
            ShapeType::Structure | ShapeType::List | ShapeType::Map | ShapeType::Document
        )
    }
}

impl Model {
    /// The embedded model (the header is parsed on first call).
    pub fn get() -> &'static Model {
        static MODEL: OnceLock<Model> = OnceLock::new();
        MODEL.get_or_init(|| Model::parse(MODEL_BIN).expect("the embedded AWS model is valid"))
    }

    /// Parses the embedded model again, without the process-wide cache (for
    /// measuring load time).
    pub fn load_embedded() -> Result<Model, String> {
        Model::parse(MODEL_BIN)
    }

    /// Parses a model container (see FORMAT.md).
    pub fn parse(bytes: &'static [u8]) -> Result<Model, String> {
        let rest = bytes.strip_prefix(MAGIC).ok_or("not an RBAWS1 model")?;
        let newline = rest
            .iter()
            .position(|&b| b == b'\n')
            .ok_or("no header line")?;
        let header: Header =
            serde_json::from_slice(&rest[..newline]).map_err(|e| format!("header: {e}"))?;
        if header.format != 1 {
            return Err(format!("unsupported model format {}", header.format));
        }
        let (names, ranges): (Vec<String>, Vec<(usize, usize)>) =
            header.services.into_iter().unzip();
        let services = names.iter().map(|_| OnceLock::new()).collect();
        Ok(Model {
            provenance: header.provenance,
            names,
            ranges,
            body: &rest[newline + 1..],
            services,
        })
    }

    /// CLI service names, sorted.
    pub fn service_names(&self) -> impl Iterator<Item = &str> {
        self.names.iter().map(String::as_str)
    }

    pub fn has_service(&self, name: &str) -> bool {
        self.names
            .binary_search_by(|n| n.as_str().cmp(name))
            .is_ok()
    }

    /// The service `name`, inflated on first use.
    pub fn service(&self, name: &str) -> Option<&Service> {
        let index = self.names.binary_search_by(|n| n.as_str().cmp(name)).ok()?;
        Some(self.services[index].get_or_init(|| {
            let (offset, length) = self.ranges[index];
            let compressed = &self.body[offset..offset + length];
            let json = miniz_oxide::inflate::decompress_to_vec_zlib(compressed)
                .expect("the embedded AWS model inflates");
            let json = String::from_utf8(json).expect("the embedded AWS model is UTF-8");
            Service::parse(json).expect("the embedded AWS model parses")
        }))
    }
}

impl Service {
    /// A service from its JSON text; operations and shapes are only
    /// located, and parsed when first looked at.
    fn parse(json: String) -> Result<Service, serde_json::Error> {
        let raw: RawService = serde_json::from_str(&json)?;
        let base = json.as_ptr() as usize;
        fn lazy<T>(base: usize, raw: &serde_json::value::RawValue) -> Lazy<T> {
            let start = raw.get().as_ptr() as usize - base;
            Lazy {
                start,
                end: start + raw.get().len(),
                parsed: OnceLock::new(),
            }
        }
        let operations = raw
            .operations
            .into_iter()
            .map(|(name, value)| (name, lazy(base, value)))
            .collect();
        let mut shapes: Vec<(String, Lazy<Shape>)> = raw
            .shapes
            .0
            .into_iter()
            .map(|(name, value)| (name, lazy(base, value)))
            .collect();
        // The generator writes them sorted; a name given twice keeps its
        // last definition, as a map would.
        if !shapes.is_sorted_by(|(a, _), (b, _)| a < b) {
            shapes.reverse();
            shapes.sort_by(|(a, _), (b, _)| a.cmp(b));
            shapes.dedup_by(|(a, _), (b, _)| a == b);
        }
        Ok(Service {
            cli: raw.cli,
            botocore: raw.botocore,
            operations,
            waiters: raw.waiters,
            wargs: raw.wargs,
            cmds: raw.cmds,
            shapes,
            json,
            by_member: OnceLock::new(),
            inputs: OnceLock::new(),
        })
    }

    /// `lazy`, parsed on first use.
    fn parsed<'s, T: serde::de::DeserializeOwned>(&'s self, lazy: &'s Lazy<T>) -> &'s T {
        lazy.parsed.get_or_init(|| {
            serde_json::from_str(&self.json[lazy.start..lazy.end])
                .expect("the embedded AWS model parses")
        })
    }

    pub fn operation(&self, name: &str) -> Option<&Operation> {
        self.operations
            .get(name)
            .map(|operation| self.parsed(operation))
    }

    /// The operations by CLI name, sorted.
    pub fn operations(&self) -> impl Iterator<Item = (&str, &Operation)> {
        self.operations
            .iter()
            .map(|(name, operation)| (name.as_str(), self.parsed(operation)))
    }

    /// The CLI names of the operations, sorted.
    pub fn operation_names(&self) -> impl Iterator<Item = &str> {
        self.operations.keys().map(String::as_str)
    }

    pub fn shape(&self, name: &str) -> Option<&Shape> {
        let at = self
            .shapes
            .binary_search_by(|(shape, _)| shape.as_str().cmp(name))
            .ok()?;
        Some(self.parsed(&self.shapes[at].1))
    }

    /// The names of the service's shapes, sorted.
    pub fn shape_names(&self) -> impl Iterator<Item = &str> {
        self.shapes.iter().map(|(name, _)| name.as_str())
    }

    /// Whether `shape` is reachable from some operation's input (requests
    /// use it, not only responses).
    pub fn is_input_shape(&self, shape: &str) -> bool {
        self.inputs
            .get_or_init(|| {
                let mut seen = std::collections::HashSet::new();
                let mut stack: Vec<&str> = self
                    .operations()
                    .filter_map(|(_, o)| o.input.as_deref())
                    .collect();
                while let Some(name) = stack.pop() {
                    if seen.contains(name) {
                        continue;
                    }
                    seen.insert(name.to_string());
                    if let Some(shape) = self.shape(name) {
                        stack.extend(shape.m.values().map(String::as_str));
                        stack.extend(
                            [&shape.e, &shape.k, &shape.v]
                                .into_iter()
                                .flatten()
                                .map(String::as_str),
                        );
                    }
                }
                seen
            })
            .contains(shape)
    }

    /// The structure shapes that have a member named `member`, sorted.
    pub fn structures_with(&self, member: &str) -> impl Iterator<Item = &str> {
        let index = self.member_index();
        let json = self.json.as_str();
        let start = index
            .pairs
            .partition_point(|&(key, _)| index.key(json, key) < member);
        index.pairs[start..]
            .iter()
            .take_while(move |&&(key, _)| index.key(json, key) == member)
            .map(|&(_, id)| self.shapes[id as usize].0.as_str())
    }

    /// Builds the index [`Service::structures_with`] reads, ahead of need.
    pub fn prepare_member_index(&self) {
        self.member_index();
    }

    fn member_index(&self) -> &MemberIndex {
        self.by_member.get_or_init(|| {
            let mut index = MemberIndex::default();
            let base = self.json.as_ptr() as usize;
            for (id, (_, shape)) in self.shapes.iter().enumerate() {
                let id = u32::try_from(id).expect("fewer than 2^32 shapes");
                let text = &self.json[shape.start..shape.end];
                // Only the type and the member names are needed: read just
                // those, rather than parse every shape of the service; in
                // the generator's layout, without a parser at all.
                let members: Vec<Cow<'_, str>> = match shape.parsed.get() {
                    Some(shape) if shape.t == ShapeType::Structure => {
                        shape.m.keys().map(|k| Cow::Owned(k.clone())).collect()
                    }
                    Some(_) => continue,
                    None => match quick_member_names(text) {
                        Some(Quick::NotStructure) => continue,
                        Some(Quick::Members(names)) => {
                            names.into_iter().map(Cow::Borrowed).collect()
                        }
                        None => match serde_json::from_str::<MemberNames>(text) {
                            Ok(view) if view.t == "structure" => view.m.0,
                            _ => continue,
                        },
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
            let json = self.json.as_str();
            let mut pairs = std::mem::take(&mut index.pairs);
            pairs.sort_unstable_by(|(a, x), (b, y)| {
                index.key(json, *a).cmp(index.key(json, *b)).then(x.cmp(y))
            });
            index.pairs = pairs;
            index
        })
    }
}

/// Every (member name, structure) pair of a service, sorted, so that a
/// member's structures are one run. A name is located in the service's
/// JSON text where it is written there as it reads, and copied otherwise.
#[derive(Debug, Default)]
struct MemberIndex {
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

    #[test]
    fn the_member_index_is_the_one_parsed_shapes_give() {
        let model = Model::load_embedded().unwrap();
        for name in ["ecs", "ec2"] {
            let service = model.service(name).unwrap();
            // Read from the shapes' text first, then every shape parsed.
            let members = [
                "containerDefinitions",
                "name",
                "VpcId",
                "Tags",
                "awsvpcConfiguration",
            ];
            let light: Vec<Vec<String>> = members
                .iter()
                .map(|m| service.structures_with(m).map(str::to_string).collect())
                .collect();
            for member in members.iter().zip(&light) {
                let mut expected: Vec<String> = service
                    .shape_names()
                    .filter(|shape| {
                        let shape = service.shape(shape).unwrap();
                        shape.t == ShapeType::Structure && shape.m.contains_key(*member.0)
                    })
                    .map(str::to_string)
                    .collect();
                expected.sort_unstable();
                assert_eq!(&expected, member.1, "{name}: {}", member.0);
            }
            assert!(light.iter().any(|names| !names.is_empty()), "{name}");
        }
    }

    #[test]
    fn loads_header_and_services() {
        let model = Model::get();
        assert!(model.service_names().count() > 300);
        assert!(
            model.has_service("ecs") && model.has_service("s3api") && !model.has_service("ecss")
        );
        let ecs = model.service("ecs").unwrap();
        let op = ecs.operation("describe-services").unwrap();
        assert_eq!(op.op, "DescribeServices");
        let input = ecs.shape(op.input.as_deref().unwrap()).unwrap();
        assert_eq!(input.t, ShapeType::Structure);
        assert!(input.r.contains(&"services".to_string()));
        assert_eq!(op.args["--services"], "services");
        assert!(ecs.operation("list-tasks").unwrap().pag.is_some());
        assert_eq!(ecs.waiters["services-stable"], "describe-services");
        let launch = ecs.shape("LaunchType").unwrap();
        assert!(
            launch
                .enumeration
                .as_ref()
                .unwrap()
                .contains(&"FARGATE".to_string())
        );
    }

    #[test]
    fn every_service_inflates() {
        let model = Model::get();
        for name in model.service_names() {
            let service = model.service(name).unwrap();
            assert_eq!(service.cli, name);
            for (cli_name, operation) in service.operations() {
                for shape in [&operation.input, &operation.output].into_iter().flatten() {
                    assert!(
                        service.shape(shape).is_some(),
                        "{name} {cli_name}: missing shape {shape}"
                    );
                }
            }
        }
    }
}
