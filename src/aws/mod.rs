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
