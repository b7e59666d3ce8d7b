//! The AWS CLI as data: the embedded model, the shorthand syntax, and the
//! checks of one `aws …` command line against them.

pub mod access;
pub mod command;
mod constraints;
pub mod custom;
pub mod iam;
pub mod infer;
pub mod limits;
pub mod model;
pub mod placeholders;
pub mod query;
pub mod shorthand;
pub mod validate;

/// The CLI customizations, loaded once from `data/customizations.json`.
pub fn customizations() -> &'static custom::Customizations {
    static CUSTOM: std::sync::OnceLock<custom::Customizations> = std::sync::OnceLock::new();
    CUSTOM.get_or_init(|| {
        custom::Customizations::parse(include_str!("data/customizations.json"))
            .expect("the embedded customizations.json is valid")
    })
}

/// Makes ready, ahead of need, the parts of the embedded data that
/// `texts` (a book's chapters) will use: each service named after an
/// `aws ` (inflated on first use otherwise, up to 15 ms for `ec2`), with
/// its member index when a text has JSON to recognise, and the IAM action
/// list when a text holds a policy-like `"Action"`. Run beside the parsing
/// and checking of those texts, it takes that time off the path that
/// waits for it; what it prepares is what the checks would prepare anyway,
/// so results are the same with or without it.
pub fn warm_up(texts: &[&str]) {
    let model = model::Model::get();
    let json = texts.iter().any(|text| text.contains("```json"));
    let mut seen = std::collections::BTreeSet::new();
    for text in texts {
        for (at, _) in text.match_indices("aws ") {
            let word = text[at + 4..]
                .split(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
                .next()
                .unwrap_or("");
            if !word.is_empty()
                && model.has_service(word)
                && seen.insert(word)
                && let Some(service) = model.service(word)
                && json
            {
                service.prepare_member_index();
            }
        }
    }
    if texts.iter().any(|text| text.contains("\"Action\"")) {
        iam::Actions::get();
    }
}
