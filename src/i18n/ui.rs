//! The fixed words of the pages the tool generates (the FAQ page, the
//! command index, failure markers, links to check scripts), per language.
//!
//! These are the tool's own words, not the book's, so they live here rather
//! than in the book's PO files: French for `fr*`, English for every other
//! language. Translating the tool into another language is one more table.

/// Fixed words of the generated pages in one language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ui {
    /// FAQ page: the answer of an entry that has no cause.
    pub no_cause: &'static str,
    /// Command index column headings.
    pub operation: &'static str,
    pub access: &'static str,
    pub count: &'static str,
    pub entries: &'static str,
    /// Access badges.
    pub read_only: &'static str,
    pub mutating: &'static str,
    /// Failure marker: its title and the word before a line number.
    pub failure_title: &'static str,
    pub failure_line: &'static str,
    /// The link from an entry to its check script.
    pub check_script: &'static str,
}

const FRENCH: Ui = Ui {
    no_cause: "voir l'entrée",
    operation: "Opération",
    access: "Accès",
    count: "Occurrences",
    entries: "Entrées",
    read_only: "lecture seule",
    mutating: "modifie",
    failure_title: "cet extrait ne passe pas la validation",
    failure_line: "ligne",
    check_script: "script de vérification",
};

const ENGLISH: Ui = Ui {
    no_cause: "see the entry",
    operation: "Operation",
    access: "Access",
    count: "Count",
    entries: "Entries",
    read_only: "read-only",
    mutating: "mutating",
    failure_title: "this snippet does not pass validation",
    failure_line: "line",
    check_script: "check script",
};

/// The words for `language` (a `[book] language` value such as `fr`, `en`,
/// `fr-CA`).
pub fn ui(language: &str) -> &'static Ui {
    let primary = language
        .split(['-', '_'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    match primary.as_str() {
        "fr" => &FRENCH,
        _ => &ENGLISH,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn languages_pick_their_table() {
        assert_eq!(ui("fr").read_only, "lecture seule");
        assert_eq!(ui("fr-CA").read_only, "lecture seule");
        assert_eq!(ui("en").read_only, "read-only");
        assert_eq!(ui("de").read_only, "read-only", "English is the fallback");
        assert_eq!(ui("").read_only, "read-only");
        assert_eq!(ui("francais").read_only, "read-only");
    }
}
