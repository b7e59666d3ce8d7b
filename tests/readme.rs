//! The README's rule table is the registry's: same rules, same order, same
//! default severity, same summary. `RUNBOOK_BLESS=1` rewrites the table from
//! the registry after a deliberate change.

mod common;

use common::repo;
use mdbook_runbook::registry::RuleId;

const HEADER: &str = "| rule | severity | what it catches |\n|---|---|---|\n";

fn table() -> String {
    let mut table = HEADER.to_string();
    for rule in RuleId::ALL {
        table.push_str(&format!(
            "| `{}` | {} | {} |\n",
            rule.id(),
            rule.default_severity(),
            rule.summary()
        ));
    }
    table
}

#[test]
fn readme_rule_table_is_the_registry() {
    let path = repo().join("README.md");
    let readme = std::fs::read_to_string(&path).unwrap();
    let start = readme.find(HEADER).expect("the README has a rule table");
    let end = readme[start..]
        .find("\n\n")
        .map_or(readme.len(), |i| start + i + 1);
    let expected = table();
    if std::env::var_os("RUNBOOK_BLESS").is_some() {
        let updated = format!("{}{expected}{}", &readme[..start], &readme[end..]);
        std::fs::write(&path, updated).unwrap();
        return;
    }
    assert_eq!(
        &readme[start..end],
        expected,
        "README rule table differs from src/registry.rs; RUNBOOK_BLESS=1 rewrites it"
    );
}
