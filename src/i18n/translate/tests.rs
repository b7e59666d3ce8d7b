use super::*;
use crate::i18n::Message;

fn catalog(entries: &[(&str, &str)]) -> Catalog {
    let mut catalog = Catalog::new("en", "t");
    catalog.path = PathBuf::from("po/en.po");
    for (id, text) in entries {
        let mut message = Message::new(*id);
        message.msgstr = vec![text.to_string()];
        catalog.push(message).unwrap();
    }
    catalog
}

fn run(chapters: &[(&str, &str)], catalog: &Catalog) -> Result<Translated, TranslationError> {
    let chapters: Vec<(PathBuf, String)> = chapters
        .iter()
        .map(|(p, t)| (PathBuf::from(p), t.to_string()))
        .collect();
    super::chapters(&chapters, catalog, Path::new("book"))
}

const GUIDE: &str = "# Guide de dépannage\n\n## 📋 Sommaire\n\n1. [Tâches - Ne démarre pas](#-tâches---ne-démarre-pas)\n\n## 🏃 TÂCHES - NE DÉMARRE PAS\n\n### ❌ Task reste en PENDING\n\n**Cause :** Pas d'IP\n\n```bash\n# Voir les events\naws ecs describe-services --cluster my-cluster --services s\n```\n\n### Notes\n\nTexte.\n";

#[test]
fn translates_pins_ids_and_redirects_links() {
    let catalog = catalog(&[
        ("Guide de dépannage", "Troubleshooting guide"),
        ("📋 Sommaire", "📋 Contents"),
        (
            "[Tâches - Ne démarre pas](#-tâches---ne-démarre-pas)",
            "[Tasks - Won't start](#-tâches---ne-démarre-pas)",
        ),
        ("🏃 TÂCHES - NE DÉMARRE PAS", "🏃 TASKS - WON'T START"),
        ("❌ Task reste en PENDING", "❌ Task stuck in PENDING"),
        ("**Cause :** Pas d'IP", "**Cause:** No IP address left"),
        ("Voir les events", "Show the events"),
        ("Notes", "Notes"),
    ]);
    let out = run(&[("guide.md", GUIDE)], &catalog).unwrap();
    let text = &out.texts[0];
    assert!(
        text.contains("# Troubleshooting guide {#guide-de-dépannage}\n"),
        "{text}"
    );
    assert!(text.contains("## 📋 Contents {#sommaire}\n"), "{text}");
    assert!(
        text.contains("## 🏃 TASKS - WON'T START {#tâches-ne-démarre-pas}\n"),
        "{text}"
    );
    assert!(
        text.contains("### ❌ Task stuck in PENDING {#tâches-task-reste-en-pending}\n"),
        "{text}"
    );
    assert!(
        text.contains("[Tasks - Won't start](#tâches-ne-démarre-pas)"),
        "the link follows the pinned id: {text}"
    );
    assert!(
        text.contains(
            "# Show the events\naws ecs describe-services --cluster my-cluster --services s\n"
        ),
        "{text}"
    );
    // `Notes` is the mdBook id of a heading that is not a section: pinned
    // because no other heading has it.
    assert!(text.contains("### Notes {#notes}\n"), "{text}");
    assert_eq!(
        out.untranslated,
        [Untranslated {
            location: "book/guide.md:20".into(),
            msgid: "Texte.".into(),
            fuzzy: false
        }]
    );
}

#[test]
fn an_altered_command_names_the_msgid_and_the_line() {
    let catalog = catalog(&[(
        "Voir les events",
        "Show the events\naws ecs delete-service --service s",
    )]);
    let error = run(&[("guide.md", GUIDE)], &catalog)
        .unwrap_err()
        .to_string();
    assert!(
        error.starts_with("book/guide.md:14: the translation of msgid \"Voir les events\""),
        "{error}"
    );
    assert!(error.contains("one line"), "{error}");
}

#[test]
fn mdbook_ids_shared_by_two_headings_are_not_pinned() {
    let catalog = catalog(&[("Détails", "Details")]);
    let out = run(
        &[("a.md", "#### Détails\n"), ("b.md", "#### Détails\n")],
        &catalog,
    )
    .unwrap();
    assert_eq!(out.texts, ["#### Details\n", "#### Details\n"]);
}

#[test]
fn multi_line_translations_keep_list_indentation() {
    let catalog = catalog(&[("un élément", "an item\\\nover two lines")]);
    let out = run(&[("a.md", "- un élément\n- deux\n")], &catalog).unwrap();
    assert_eq!(out.texts[0], "- an item\\\n  over two lines\n- deux\n");
}

#[test]
fn fuzzy_messages_keep_the_source_and_are_listed() {
    let mut catalog = catalog(&[("Texte.", "Text.")]);
    catalog.messages[0].set_fuzzy(true);
    let out = run(&[("a.md", "Texte.\n")], &catalog).unwrap();
    assert_eq!(out.texts[0], "Texte.\n");
    assert!(out.untranslated[0].fuzzy);
}

/// The identity translation of the repository's own book changes nothing
/// but the pinned ids, and passes every check.
#[test]
fn identity_translation_of_the_guide() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let book = crate::i18n::workflow::load(root).unwrap();
    let template = crate::i18n::workflow::template(&book);
    let mut identity = Catalog::new("fr", "t");
    for message in template.live() {
        let mut m = Message::new(message.msgid.clone());
        m.msgstr = vec![message.msgid.clone()];
        identity.push(m).unwrap();
    }
    let out = super::chapters(&book.chapters, &identity, &book.src_dir).unwrap();
    assert!(out.untranslated.is_empty(), "{:?}", out.untranslated);
    for ((path, source), translated) in book.chapters.iter().zip(&out.texts) {
        let msgids = |text: &str| -> Vec<String> {
            crate::i18n::extract::pieces(text)
                .into_iter()
                .map(|p| p.msgid)
                .filter(|m| !m.contains("](#"))
                .collect()
        };
        assert_eq!(msgids(source), msgids(translated), "{}", path.display());
        let source_lines = source.lines().filter(|l| !l.starts_with('#')).count();
        let translated_lines = translated.lines().filter(|l| !l.starts_with('#')).count();
        assert!(translated_lines <= source_lines, "{}", path.display());
    }
    let guide = &out.texts[book
        .chapters
        .iter()
        .position(|(p, _)| p.ends_with("troubleshooting.md"))
        .unwrap()];
    assert!(guide.contains("### ❌ Push très lent {#ecr-push-très-lent}\n"));
    assert!(
        guide.contains("1. [ECR - Push/Pull](#ecr-push-pull)\n"),
        "links follow the ids"
    );
}
