//! The search index held to the real thing: mdbook-html's own index of the
//! same pages, and elasticlunr-rs's index of the same documents.

use super::index::{self, Skeleton, Terms};
use super::pages::{self, Document};
use super::*;
use crate::site::theme::{self, SiteLanguage};
use elasticlunr::lang::Language;
use elasticlunr::pipeline::{Pipeline, PipelineFn};
use mdbook_renderer::{RenderContext, Renderer};

const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/search-book");

/// The search object in `pages`' one `searchindex*.js`.
fn search_object(pages: &Path) -> Value {
    let mut found = std::fs::read_dir(pages)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            name.starts_with("searchindex") && name.ends_with(".js")
        })
        .collect::<Vec<_>>();
    assert_eq!(found.len(), 1, "{found:?}");
    let text = std::fs::read_to_string(found.pop().unwrap()).unwrap();
    serde_json::from_str(&unwrap_js(&text).unwrap()).unwrap()
}

/// The book at `root` rendered by mdbook-html as it comes, into `out`.
fn render_stock(root: &Path, out: &Path) -> Value {
    let book = mdbook_driver::MDBook::load(root).unwrap();
    let context = RenderContext::new(root, book.book.clone(), book.config.clone(), out);
    mdbook_html::HtmlHandlebars::new().render(&context).unwrap();
    search_object(out)
}

/// The book at `root` rendered as `mdbook-runbook build` renders a
/// language: our page template, mdbook-html indexing nothing, then our
/// index. Returns it and the page template's text.
fn render_ours(root: &Path, out: &Path, french: bool) -> (Value, String) {
    render_ours_with(root, out, french, |_| {})
}

/// [`render_ours`], with `configure` applied to the book's configuration.
fn render_ours_with(
    root: &Path,
    out: &Path,
    french: bool,
    configure: impl FnOnce(&mut mdbook_driver::config::Config),
) -> (Value, String) {
    let mut book = mdbook_driver::MDBook::load(root).unwrap();
    configure(&mut book.config);
    let theme = out.with_extension("theme");
    let language = SiteLanguage::new(if french { "fr" } else { "en" }).unwrap();
    theme::write_theme(
        &theme,
        None,
        &language,
        std::slice::from_ref(&language),
        "# Not found",
    )
    .unwrap();
    book.config.set("output.html.theme", &theme).unwrap();
    let template = theme.join("index.hbs");
    let plan = prepare(&mut book.config, &book.book, &template, french)
        .unwrap()
        .expect("the fixture has search");
    let context = RenderContext::new(root, book.book.clone(), book.config.clone(), out);
    mdbook_html::HtmlHandlebars::new().render(&context).unwrap();
    finish(&plan, out).unwrap();
    (
        search_object(out),
        std::fs::read_to_string(template).unwrap(),
    )
}

/// `search` with its stored headings escaped, as ours stores them.
fn escape_stored_headings(mut search: Value) -> Value {
    if let Some(docs) = search
        .pointer_mut("/index/documentStore/docs")
        .and_then(Value::as_object_mut)
    {
        for doc in docs.values_mut() {
            for field in ["title", "breadcrumbs"] {
                if let Some(Value::String(text)) = doc.get_mut(field) {
                    *text = index::stored_value(text).into_owned();
                }
            }
        }
    }
    search
}

fn assert_same_json(ours: &Value, theirs: &Value) {
    let (ours, theirs) = (ours.to_string(), theirs.to_string());
    if let Some(at) = ours.bytes().zip(theirs.bytes()).position(|(a, b)| a != b) {
        panic!(
            "the indexes differ at byte {at}: ours …{}… theirs …{}…",
            &ours[at.saturating_sub(120)..(at + 80).min(ours.len())],
            &theirs[at.saturating_sub(120)..(at + 80).min(theirs.len())]
        );
    }
    assert_eq!(ours.len(), theirs.len());
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "runbook-search-{name}-{}-{:?}",
        std::process::id(),
        std::thread::current().id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn an_english_index_is_mdbook_htmls_own() {
    let dir = temp_dir("english");
    let theirs = render_stock(Path::new(FIXTURE), &dir.join("stock"));
    let (ours, template) = render_ours(Path::new(FIXTURE), &dir.join("ours"), false);
    // The fixture's sections are all there: a section per heading at the
    // split level, none for the excluded chapter, the draft or the empty one.
    let urls = theirs["doc_urls"].as_array().unwrap();
    assert!(urls.len() >= 12, "{urls:?}");
    assert!(urls.iter().any(|u| u == "intro.html#custom-id"), "{urls:?}");
    assert!(
        !urls
            .iter()
            .any(|u| u.as_str().unwrap().starts_with("part/hidden"))
    );
    assert_same_json(&ours, &escape_stored_headings(theirs));
    // The page template names our index, by a name that is not mdBook's.
    assert!(!template.contains(MDBOOK_INDEX_NAME));
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn the_guide_has_the_sections_mdbook_html_finds() {
    // The repository's own book, French: same documents as mdBook's, with
    // French terms.
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = temp_dir("guide");
    let theirs = escape_stored_headings(render_stock(root, &dir.join("stock")));
    let (ours, _) = render_ours(root, &dir.join("ours"), true);
    assert_eq!(ours["doc_urls"], theirs["doc_urls"]);
    assert_same_json(
        &ours["index"]["documentStore"]["docs"],
        &theirs["index"]["documentStore"]["docs"],
    );
    assert_eq!(ours["search_options"], theirs["search_options"]);
    assert_eq!(ours["results_options"], theirs["results_options"]);
    assert_eq!(ours["index"]["pipeline"], json!([PIPELINE_NAME]));
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn the_index_name_follows_the_content() {
    let dir = temp_dir("names");
    let copy = dir.join("book");
    copy_dir(Path::new(FIXTURE), &copy);
    let name = |out: &str| {
        let (_, template) = render_ours(&copy, &dir.join(out), false);
        let at = template.find("searchindex-").expect("a hashed name");
        template[at..at + 32].to_string()
    };
    let first = name("a");
    assert_eq!(name("b"), first, "same sources, same name");
    let chapter = copy.join("src/deploy.md");
    let text = std::fs::read_to_string(&chapter).unwrap();
    std::fs::write(&chapter, text + "\nA new paragraph.\n").unwrap();
    assert_ne!(name("c"), first, "new text, new name");
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn without_hash_files_the_index_keeps_mdbooks_name() {
    let dir = temp_dir("unhashed");
    let (ours, template) = render_ours_with(Path::new(FIXTURE), &dir.join("ours"), false, |c| {
        c.set("output.html.hash-files", false).unwrap();
    });
    assert!(dir.join("ours/searchindex.js").is_file());
    assert!(
        template.contains(MDBOOK_INDEX_NAME),
        "the template is left alone"
    );
    assert!(ours["doc_urls"].as_array().unwrap().len() >= 12);
    std::fs::remove_dir_all(dir).unwrap();
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

#[test]
fn an_unknown_chapter_setting_is_an_error_as_in_mdbook() {
    let mut book = mdbook_driver::MDBook::load(FIXTURE).unwrap();
    book.config
        .set(
            "output.html.search.chapter",
            json!({"nowhere": {"enable": false}}),
        )
        .unwrap();
    let error = prepare(&mut book.config, &book.book, Path::new("unused"), false)
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("key `nowhere` does not match any chapter paths"),
        "{error}"
    );
}

#[test]
fn no_search_leaves_mdbook_html_alone() {
    let mut book = mdbook_driver::MDBook::load(FIXTURE).unwrap();
    book.config.set("output.html.search.enable", false).unwrap();
    let before = format!("{:?}", book.config);
    assert!(
        prepare(&mut book.config, &book.book, Path::new("unused"), false)
            .unwrap()
            .is_none()
    );
    assert_eq!(format!("{:?}", book.config), before);
}

#[test]
fn sections_split_as_mdbook_splits_them() {
    let chapter = pages::Chapter {
        url: "a/b.html".into(),
        names: vec!["Part", "Chapter"],
    };
    let mut docs = Vec::new();
    pages::sections(
        "<p>Intro &amp; more</p>\n<h1 id=\"t\"><a class=\"header\" href=\"#t\">Title &lt;x&gt;</a></h1>\n<p>Body<br>text</p><script>no</script><h2 id=\"s\">Sub</h2><p>x  \n  y</p>",
        &chapter,
        3,
        &mut docs,
    );
    assert_eq!(
        docs,
        vec![
            Document {
                url: "a/b.html#t".into(),
                title: "Title <x>".into(),
                // Text before the first heading belongs to its section.
                body: "Intro & more Body text".into(),
                // A section's breadcrumbs end with its own heading.
                breadcrumbs: "Part » Chapter » Title <x>".into(),
            },
            Document {
                url: "a/b.html#s".into(),
                title: "Sub".into(),
                body: "x y".into(),
                breadcrumbs: "Part » Chapter » Sub".into(),
            },
        ]
    );
}

#[test]
fn a_generated_page_is_left_out_of_its_section() {
    let chapter = pages::Chapter {
        url: "faq.html".into(),
        names: vec!["FAQ"],
    };
    let mut docs = Vec::new();
    let html = format!(
        "<h1 id=\"faq\">FAQ</h1><p>Intro.</p>{}<h2 id=\"ecs\">ECS</h2><ul><li>listed entry</li></ul>{}<p>Outro.</p>",
        crate::pages::GENERATED_START,
        crate::pages::GENERATED_END
    );
    pages::sections(&html, &chapter, 3, &mut docs);
    assert_eq!(docs.len(), 1, "{docs:?}");
    assert_eq!(docs[0].body, "Intro. Outro.");
}

#[test]
fn content_is_what_the_markers_hold() {
    let page = format!(
        "<main>{}<p>x</p>{}</main>",
        pages::CONTENT_START,
        pages::CONTENT_END
    );
    assert_eq!(pages::content(&page), Some("<p>x</p>"));
    assert_eq!(pages::content("<main><p>x</p></main>"), None);
}

/// elasticlunr's view of [`french`]: its tokenizer, and one pipeline step
/// that folds, drops stop words and stems.
struct FoldedFrench;

impl Language for FoldedFrench {
    fn name(&self) -> String {
        "French".into()
    }

    fn code(&self) -> String {
        "fr".into()
    }

    fn tokenize(&self, text: &str) -> Vec<String> {
        french::tokenize(text)
    }

    fn make_pipeline(&self) -> Pipeline {
        Pipeline {
            queue: vec![Box::new(FrenchTerm)],
        }
    }
}

struct FrenchTerm;

impl PipelineFn for FrenchTerm {
    fn name(&self) -> String {
        PIPELINE_NAME.into()
    }

    fn filter(&self, token: String) -> Option<String> {
        french::term(&token)
    }
}

/// An empty search object as mdbook-html writes one.
fn skeleton_json() -> String {
    json!({
        "results_options": {"limit_results": 30, "teaser_word_count": 30},
        "search_options": {"bool": "OR", "expand": true, "fields": {}},
        "doc_urls": [],
        "index": {
            "fields": ["title", "body", "breadcrumbs"],
            "pipeline": ["trimmer", "stopWordFilter", "stemmer"],
            "ref": "id",
            "version": "0.9.5",
            "index": {},
            "documentStore": {"save": true, "docs": {}, "docInfo": {}, "length": 0},
            "lang": "English"
        }
    })
    .to_string()
}

/// `count` documents made of French words, accents, stop words, numbers,
/// punctuation, repeats, empty fields and an overlong token.
fn varied_documents(count: usize) -> Vec<Document> {
    let words = [
        "Réseau",
        "réseaux",
        "les",
        "tâche",
        "tâches",
        "expirée",
        "expiré",
        "ECS",
        "l'image",
        "CannotPullContainerError",
        "503",
        "élevée",
        "œuvre",
        "naïf",
        "Ça",
        "d'accès",
        "et",
        "sécurité",
        "ÉTAT",
        "x",
        "--force-new-deployment",
        "awsvpc",
        "aujourd’hui",
        "<b>",
    ];
    let long = "a".repeat(90);
    let mut seed = 7u64;
    let mut next = || {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (seed >> 33) as usize
    };
    (0..count)
        .map(|i| {
            let mut text = |n: usize| {
                (0..n)
                    .map(|_| words[next() % words.len()])
                    .collect::<Vec<_>>()
                    .join(if next() % 3 == 0 { ", " } else { " " })
            };
            let body = match i % 7 {
                0 => String::new(),
                1 => format!("{} {long}", text(5)),
                _ => text(3 + i % 40),
            };
            Document {
                url: format!("p{}.html#s{i}", i % 5),
                title: text(2),
                body,
                breadcrumbs: text(3),
            }
        })
        .collect()
}

#[test]
fn a_french_index_is_the_one_elasticlunr_builds() {
    let skeleton_text = skeleton_json();
    let skeleton = Skeleton::read(&skeleton_text).unwrap();
    for count in [0, 1, 2, 250] {
        let docs = varied_documents(count);
        let ours: Value =
            serde_json::from_str(&index::write(&skeleton, &docs, &mut Terms::new(true)).unwrap())
                .unwrap();
        let mut builder = elasticlunr::IndexBuilder::with_language(Box::new(FoldedFrench));
        for field in ["title", "body", "breadcrumbs"] {
            builder = builder.add_field(field);
        }
        let mut theirs = builder.build();
        for (i, doc) in docs.iter().enumerate() {
            theirs.add_doc(&i.to_string(), [&doc.title, &doc.body, &doc.breadcrumbs]);
        }
        let mut expected: Value = serde_json::from_str(&skeleton_text).unwrap();
        expected["doc_urls"] = json!(docs.iter().map(|d| &d.url).collect::<Vec<_>>());
        expected["index"] = serde_json::to_value(&theirs).unwrap();
        assert_same_json(&ours, &escape_stored_headings(expected));
    }
}

#[test]
fn a_french_index_holds_french_terms() {
    let skeleton_text = skeleton_json();
    let skeleton = Skeleton::read(&skeleton_text).unwrap();
    let docs = vec![
        Document {
            url: "a.html#x".into(),
            title: "Réseau".into(),
            body: "Les réseaux privés l'exigent.".into(),
            breadcrumbs: "A » Réseau".into(),
        },
        Document {
            url: "a.html#y".into(),
            title: "Tâches".into(),
            body: "Une tâche a expiré.".into(),
            breadcrumbs: "A » Tâches".into(),
        },
    ];
    let written: Value =
        serde_json::from_str(&index::write(&skeleton, &docs, &mut Terms::new(true)).unwrap())
            .unwrap();
    assert_eq!(written["doc_urls"], json!(["a.html#x", "a.html#y"]));
    assert_eq!(written["search_options"]["bool"], "OR");
    let index = &written["index"];
    assert_eq!(index["pipeline"], json!([PIPELINE_NAME]));
    assert_eq!(index["lang"], "French");
    let body = &index["index"]["body"]["root"];
    let node = |word: &str| {
        word.chars()
            .try_fold(body, |node, c| node.get(c.to_string()))
            .and_then(|node| node.get("docs"))
            .cloned()
    };
    assert!(node("reseau").unwrap().get("0").is_some(), "{body}");
    assert!(node("tach").unwrap().get("1").is_some());
    assert!(node("expir").unwrap().get("1").is_some());
    assert!(node("priv").unwrap().get("0").is_some(), "privés → priv");
    assert!(node("l").is_none(), "l' is a stop word");
}

#[test]
fn stored_headings_are_escaped() {
    let skeleton_text = skeleton_json();
    let skeleton = Skeleton::read(&skeleton_text).unwrap();
    let docs = vec![Document {
        url: "a.html".into(),
        title: "</script> & co".into(),
        body: "<b>".into(),
        breadcrumbs: "<img src=x onerror=alert(1)>".into(),
    }];
    let written: Value =
        serde_json::from_str(&index::write(&skeleton, &docs, &mut Terms::new(false)).unwrap())
            .unwrap();
    let doc = &written["index"]["documentStore"]["docs"]["0"];
    assert_eq!(doc["title"], "&lt;/script&gt; &amp; co");
    assert_eq!(doc["breadcrumbs"], "&lt;img src=x onerror=alert(1)&gt;");
    // The searcher escapes the body itself.
    assert_eq!(doc["body"], "<b>");
}

#[test]
fn searchindex_js_round_trips() {
    let json = r#"{"a":"it's a \\ backslash","b":"\"q\""}"#;
    let js = wrap_js(json);
    assert!(js.starts_with(JS_PREFIX) && js.ends_with(JS_SUFFIX));
    assert_eq!(unwrap_js(&js).unwrap(), json);
    assert!(unwrap_js("var x = 1;").is_err());
    assert!(unwrap_js(&format!("{JS_PREFIX}\\x{JS_SUFFIX}")).is_err());
}

#[test]
fn malformed_skeletons_are_errors_not_panics() {
    for bad in [
        json!([]),
        json!({}),
        json!({"index": {"fields": "x"}}),
        json!({"index": {"fields": ["a", "b"]}}),
        json!({"index": []}),
    ] {
        assert!(Skeleton::read(&bad.to_string()).is_err(), "{bad}");
    }
}

#[test]
fn french_languages() {
    assert!(is_french("fr") && is_french("fr-CA") && is_french("FR_be"));
    assert!(!is_french("en") && !is_french("frr") && !is_french(""));
}

#[test]
fn the_script_carries_the_folds_and_stop_words() {
    let script = french_script().unwrap();
    assert!(script.contains(r#""é":"e""#), "{}", &script[..600]);
    assert!(script.contains(r#""etaient""#));
    assert!(script.contains(&format!("'{PIPELINE_NAME}'")));
    assert!(!script.contains("{{"));
}
