//! The handlebars templates of `templates/`, embedded in the binary and
//! registered once: page fragments (HTML-escaped: book text can never
//! inject markup) and the check scripts (not escaped: their data is escaped
//! for bash by [`scripts::render`](crate::scripts::render)).

use handlebars::Handlebars;
use serde::Serialize;
use std::sync::OnceLock;

/// Page fragments, with HTML escaping.
fn html_registry() -> &'static Handlebars<'static> {
    static REGISTRY: OnceLock<Handlebars<'static>> = OnceLock::new();
    REGISTRY.get_or_init(|| {
        let mut registry = Handlebars::new();
        registry.set_strict_mode(true);
        for (name, text) in [
            (
                "failure-marker",
                include_str!("../templates/failure-marker.hbs"),
            ),
            ("script-link", include_str!("../templates/script-link.hbs")),
        ] {
            registry
                .register_template_string(name, text)
                .expect("the embedded templates parse");
        }
        registry
    })
}

/// Shell scripts, without escaping.
fn script_registry() -> &'static Handlebars<'static> {
    static REGISTRY: OnceLock<Handlebars<'static>> = OnceLock::new();
    REGISTRY.get_or_init(|| {
        let mut registry = Handlebars::new();
        registry.set_strict_mode(true);
        registry.register_escape_fn(handlebars::no_escape);
        for (name, text) in [
            (
                "check-script",
                include_str!("../templates/check-script.sh.hbs"),
            ),
            ("run-all", include_str!("../templates/run-all.sh.hbs")),
        ] {
            registry
                .register_template_string(name, text)
                .expect("the embedded templates parse");
        }
        registry
            .register_partial(
                "parameters",
                include_str!("../templates/script-parameters.sh.hbs"),
            )
            .expect("the embedded templates parse");
        registry
    })
}

/// Renders the page fragment `name` (`failure-marker`, `script-link`).
pub fn html(name: &str, data: &impl Serialize) -> String {
    html_registry()
        .render(name, data)
        .expect("the embedded templates render with their data")
}

/// Renders the script template `name` (`check-script`, `run-all`) with
/// `data`, which it takes as it is (not copied, as `render` would).
pub fn script(name: &str, data: serde_json::Value) -> Result<String, handlebars::RenderError> {
    script_registry().render_with_context(name, &handlebars::Context::from(data))
}
