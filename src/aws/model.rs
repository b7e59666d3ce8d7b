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

mod members;

use members::MemberIndex;
use serde::Deserialize;
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
    shapes: crate::raw_json::Members<'a>,
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
    pub fn structures_with<'s>(&'s self, member: &str) -> impl Iterator<Item = &'s str> + use<'s> {
        self.member_index()
            .structures(&self.json, member)
            .map(|id| self.shapes[id].0.as_str())
    }

    /// Builds the index [`Service::structures_with`] reads, ahead of need.
    pub fn prepare_member_index(&self) {
        self.member_index();
    }

    fn member_index(&self) -> &MemberIndex {
        self.by_member
            .get_or_init(|| MemberIndex::build(&self.json, &self.shapes))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
