//! The targets for one parser each: markdown, shell, shorthand, `--query`
//! and `lookup`.

use super::{faq_scorer, in_text, json_spans, span_in};
use crate::aws::model::Model;
use crate::aws::{query as aws_query, shorthand as aws_shorthand};
use crate::model::SnippetForm;
use crate::registry::{RuleId, Severity};
use crate::shell::{self as sh, lexer, segment, session};

/// Chapter markdown → model (`parse.rs`): every span of the model is a
/// range of the text on character boundaries, every index points at an
/// item that exists, and every piece of a snippet's code is the source text
/// it says it comes from.
pub fn markdown(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let chapter = crate::parse::parse_chapter("book/fuzz.md", text);
    for h in &chapter.headings {
        span_in(&chapter, h.span, "heading");
        in_text(text, h.insert_at, h.insert_at, "heading id insertion point");
        if let Some(stray) = h.stray_id {
            span_in(&chapter, stray, "stray heading id");
        }
    }
    for section in &chapter.sections {
        assert!(section.heading < chapter.headings.len());
        span_in(&chapter, section.span, "section");
        for entry in &section.entries {
            assert!(entry.heading < chapter.headings.len());
            span_in(&chapter, entry.span, "entry");
            for part in &entry.parts {
                span_in(&chapter, part.span, "part");
                span_in(&chapter, part.label_span, "part label");
                assert!(part.snippets.iter().all(|&i| i < chapter.snippets.len()));
                assert!(part.tables.iter().all(|&i| i < chapter.tables.len()));
            }
        }
    }
    for snippet in &chapter.snippets {
        span_in(&chapter, snippet.span, "snippet");
        let code = &snippet.code;
        for (n, &(at, source)) in snippet.pieces.iter().enumerate() {
            let next = snippet.pieces.get(n + 1).map_or(code.len(), |p| p.0);
            in_text(code, at, next, "snippet piece");
            let piece = &code[at..next];
            let verbatim = text.get(source..source + piece.len()) == Some(piece);
            // The spaces pulldown-cmark makes of part of a tab (indented
            // code in a list item) are in no source: such a piece sits where
            // the next one starts.
            let expanded_tab = piece.bytes().all(|b| b == b' ')
                && snippet.pieces.get(n + 1).is_none_or(|p| p.1 == source);
            assert!(
                verbatim || expanded_tab,
                "a piece of a {:?} snippet's code is not the source at {source}",
                snippet.form
            );
        }
        if snippet.form != SnippetForm::Inline {
            // A block's code lies inside its span.
            assert!(snippet.pieces.iter().all(|&(_, s)| s <= snippet.span.end));
        }
        let _ = chapter.location(snippet.source_offset(code.len()));
    }
    for table in &chapter.tables {
        span_in(&chapter, table.span, "table");
        for cell in table.header.iter().chain(table.rows.iter().flatten()) {
            span_in(&chapter, cell.span, "table cell");
        }
    }
    for link in &chapter.links {
        span_in(&chapter, link.dest_span, "link destination");
    }
    for directive in &chapter.page_directives {
        span_in(&chapter, directive.span, "page directive");
    }
}

/// Shell lexing and segmentation (`shell/`): tokens, words, foreign ranges,
/// statements and syntax errors lie inside the code; session blanking keeps
/// every offset; the commands of a session are analysed too.
pub fn shell(data: &[u8]) {
    let Ok(code) = std::str::from_utf8(data) else {
        return;
    };
    for token in lexer::lex(code, 0, code.len()) {
        match token {
            lexer::Token::Word(word) => word_spans(code, &word),
            lexer::Token::Separator { start, end } | lexer::Token::Redirect { start, end, .. } => {
                in_text(code, start, end, "operator")
            }
            lexer::Token::HeredocBody(heredoc) => {
                in_text(code, heredoc.start, heredoc.end, "here document");
                assert!(heredoc.operator <= heredoc.start);
                for &(s, e) in &heredoc.substitutions {
                    in_text(code, s, e, "here document substitution");
                }
            }
        }
    }
    analysis(code);
    for lang in ["console", "bash"] {
        let _ = session::is_session(code, lang);
        let commands = session::commands_only(code, lang);
        assert_eq!(commands.len(), code.len());
        for (a, b) in code.bytes().zip(commands.bytes()) {
            assert!(a == b || b == b' ', "blanking changed {a:?} into {b:?}");
            assert_eq!(a == b'\n', b == b'\n', "blanking moved a line break");
        }
        if lang == "console" && commands != code {
            analysis(&commands);
        }
    }
}

fn word_spans(code: &str, word: &sh::Word) {
    in_text(code, word.start, word.end, "word");
    for &(s, e) in &word.substitutions {
        in_text(code, s, e, "substitution");
    }
    for (i, _) in word.value.char_indices().chain([(word.value.len(), ' ')]) {
        let at = word.code_offset(i);
        assert!(at <= code.len(), "value byte {i} maps outside the code");
    }
}

fn analysis(code: &str) {
    let analysis = sh::analyze(code);
    for command in &analysis.commands {
        for pair in command.words.windows(2) {
            assert!(pair[0].end <= pair[1].start, "words out of order");
        }
        command.words.iter().for_each(|w| word_spans(code, w));
    }
    let mut last_end = 0;
    for foreign in &analysis.foreign {
        in_text(code, foreign.start, foreign.end, "foreign text");
        assert!(foreign.start >= last_end, "foreign ranges overlap");
        last_end = foreign.end;
    }
    assert!(analysis.syntax_errors.len() <= sh::MAX_SYNTAX_ERRORS);
    for pair in analysis.syntax_errors.windows(2) {
        assert!(
            pair[0].offset <= pair[1].offset,
            "syntax errors out of order"
        );
    }
    for error in &analysis.syntax_errors {
        assert!(error.offset <= error.end && error.end <= code.len());
        assert!(!error.message.is_empty());
    }
    let masked = segment::mask(code, &analysis.foreign);
    assert_eq!(masked.len(), code.len());
    let mut last_end = 0;
    for statement in sh::statements(&masked) {
        in_text(code, statement.start, statement.end, "statement");
        assert!(statement.start >= last_end, "statements overlap");
        last_end = statement.end;
    }
}

/// The AWS CLI shorthand (`aws/shorthand.rs`): a parsed tree's spans lie in
/// the text, an error's offset too, and validating the tree against real
/// shapes (as `--network-configuration` and `--filters` are) reports
/// findings inside the text.
pub fn shorthand(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = aws_shorthand::looks_like_shorthand(text);
    let node = match aws_shorthand::parse(text) {
        Ok(node) => node,
        Err(error) => {
            assert!(error.offset <= text.len(), "error offset past the end");
            assert!(!error.message.is_empty());
            return;
        }
    };
    json_spans(&node, text);
    for (service, shape) in [("ecs", "NetworkConfiguration"), ("ec2", "FilterList")] {
        let service = Model::get().service(service).expect("service in the model");
        assert!(service.shape(shape).is_some(), "no shape {shape}");
        let mut validator = crate::aws::validate::Validator::new(
            service,
            crate::aws::validate::Completeness::Whole,
            RuleId::AwsInvalidShorthand,
        );
        validator.check(&node, shape, "--value");
        for issue in &validator.issues {
            assert!(issue.start <= issue.end && issue.end <= text.len());
        }
    }
}

/// `--query` as the checker reads it (`aws/query.rs`), with no output
/// shape and against real ones: findings lie inside the expression, and an
/// expression the `jmespath` crate refuses is always an error.
pub fn query(data: &[u8]) {
    let Ok(expr) = std::str::from_utf8(data) else {
        return;
    };
    let refused = !expr.contains('`') && jmespath::parse(expr).is_err();
    let model = Model::get();
    let targets = [
        None,
        Some(("ecs", "describe-services")),
        Some(("ec2", "describe-instances")),
    ];
    for target in targets {
        let (service, output) = match target {
            None => (None, None),
            Some((service, operation)) => {
                let service = model.service(service).expect("service in the model");
                let operation = service.operation(operation).expect("a listed operation");
                (Some(service), operation.output.as_deref())
            }
        };
        let findings = aws_query::check(expr, service, output);
        for finding in &findings {
            assert!(
                finding.start <= finding.end && finding.end <= expr.len(),
                "finding {}..{} outside the {}-byte expression",
                finding.start,
                finding.end,
                expr.len()
            );
            assert!(!finding.message.is_empty());
        }
        if refused {
            assert!(
                findings.iter().any(|f| f.severity == Severity::Error),
                "jmespath refuses {expr:?}, the checker says nothing"
            );
        }
    }
}

/// `lookup` (`lookup/`): normalising never panics, tokens are never empty,
/// confidences are finite, in 0..=1, sorted, on the right side of the
/// threshold, and both renderings are clean (JSON that parses, text with no
/// control characters).
pub fn lookup(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (index, scorer) = faq_scorer();
    assert!(index.entries.len() >= 4, "the fixed FAQ index lost entries");
    let _ = crate::lookup::normalize(text);
    assert!(crate::lookup::tokens(text).iter().all(|t| !t.is_empty()));
    let _ = crate::lookup::api_error(text);
    let result = scorer.lookup(text);
    let hits = match &result {
        crate::lookup::Lookup::Explained(hits) => {
            assert!(!hits.is_empty());
            assert!(
                hits.iter()
                    .all(|h| h.confidence >= crate::lookup::CONFIDENCE_THRESHOLD)
            );
            hits
        }
        crate::lookup::Lookup::NoEntry { nearest } => {
            assert!(
                nearest
                    .iter()
                    .all(|h| h.confidence < crate::lookup::CONFIDENCE_THRESHOLD)
            );
            nearest
        }
    };
    for hit in hits {
        assert!(
            hit.confidence.is_finite() && (0.0..=1.0).contains(&hit.confidence),
            "confidence {} for {text:?}",
            hit.confidence
        );
    }
    for pair in hits.windows(2) {
        assert!(
            pair[0].confidence >= pair[1].confidence,
            "hits out of order"
        );
    }
    let rendered = crate::lookup::render::text(hits);
    assert!(
        !rendered.chars().any(|c| c.is_control() && c != '\n'),
        "control character in {rendered:?}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&crate::lookup::render::json(hits)).expect("lookup JSON parses");
    assert_eq!(json["matches"].as_array().map(Vec::len), Some(hits.len()));
}
