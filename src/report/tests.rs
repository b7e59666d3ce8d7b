//! Every rule's findings, on text with multi-byte characters at or before
//! the finding, rendered by the human renderer: no panic, and the line and
//! column it prints are those of the character the finding is about.

use super::human;
use crate::config::Config;
use crate::model::Location;
use crate::parse::parse_book;
use crate::rules;

/// An entry holding `body`, in a section whose title has an emoji.
fn in_entry(body: &str) -> String {
    format!("# Cas é\n\n## Cas 🔥\n\n### ❌ Entrée\n\n**Solution :**\n\n{body}\n")
}

fn json_block(json: &str) -> String {
    in_entry(&format!("```json\n{json}\n```"))
}

fn bash_block(bash: &str) -> String {
    in_entry(&format!("```bash\n{bash}\n```"))
}

/// The commands that make the JSON rules look for ECS and Application Auto
/// Scaling shapes.
const SERVICES: &str = "aws ecs register-task-definition --cli-input-json file://t.json\naws application-autoscaling describe-scaling-policies --service-namespace ecs\n";

fn with_services(json: &str) -> String {
    in_entry(&format!("```bash\n{SERVICES}```\n\n```json\n{json}\n```"))
}

/// Location of the last `needle` in `text`, counting characters.
fn location_of(text: &str, needle: &str) -> Location {
    let at = text
        .rfind(needle)
        .unwrap_or_else(|| panic!("{needle:?} in {text}"));
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    Location {
        line: text[..at].matches('\n').count() + 1,
        column: text[line_start..at].chars().count() + 1,
    }
}

#[test]
fn every_rule_renders_multibyte_spans_at_the_right_place() {
    // (rule, chapter text, the text the finding starts at, its last occurrence)
    let cases: Vec<(&str, String, &str)> = vec![
        // JSON syntax errors at a multi-byte character: smart quotes, an
        // accent, an emoji, a zero-width space, a combining accent.
        ("json-syntax", json_block("{\"family\": “web”}"), "“web"),
        ("json-syntax", json_block("{\"clé\": é}"), "é}"),
        ("json-syntax", json_block("{\"a\": 🔥}"), "🔥}"),
        ("json-syntax", json_block("{\"a\":\u{200b} 1}"), "\u{200b}"),
        ("json-syntax", json_block("{\"a\": 1\u{301}}"), "\u{301}"),
        ("json-syntax", json_block("{\"clé\": \"é\",}"), ",}"),
        (
            "json-not-strict",
            json_block("\"healthCheck\": {\"command\": [\"CMD-SHELL\", \"curl é\"], \"retries\": 3}"),
            "\"healthCheck",
        ),
        (
            "json-shape",
            with_services("{\"family\": \"wéb\", \"networkMode\": \"awsvpc\", \"requiresCompatibilité\": [\"FARGATE\"]}"),
            "\"requiresCompatibilité",
        ),
        (
            "aws-limit",
            with_services("\"healthCheck\": {\"command\": [\"CMD-SHELL\", \"curl é\"], \"interval\": 301, \"retries\": 3}"),
            "301",
        ),
        (
            "fargate-task-size",
            with_services("{\"family\": \"wéb\", \"containerDefinitions\": [], \"requiresCompatibilities\": [\"FARGATE\"], \"cpu\": \"512\", \"memory\": \"8192\"}"),
            "\"8192",
        ),
        (
            "iam-policy",
            json_block("{\"Sid\": \"é\", \"Effect\": \"Allöw\", \"Action\": \"ecr:GetAuthorizationToken\", \"Resource\": \"*\"}"),
            "\"Allöw",
        ),
        (
            "iam-unknown-action",
            json_block("{\"Sid\": \"é\", \"Effect\": \"Allow\", \"Action\": \"ecr:GetAuthorisatiönToken\", \"Resource\": \"*\"}"),
            "\"ecr:GetAuthorisatiön",
        ),
        (
            "iam-wildcard-no-match",
            json_block("{\"Sid\": \"é\", \"Effect\": \"Allow\", \"Action\": \"ecr:Frobnicaté*\", \"Resource\": \"*\"}"),
            "\"ecr:Frobnicaté",
        ),
        (
            "iam-principal",
            json_block("{\"Sid\": \"é\", \"Effect\": \"Allow\", \"Principal\": {\"Service\": \"écs-tasks\"}, \"Action\": \"sts:AssumeRole\", \"Resource\": \"*\"}"),
            "\"écs-tasks",
        ),
        ("aws-unknown-service", bash_block("aws écs list-clusters"), "écs"),
        ("aws-unknown-operation", bash_block("aws ecs lïst-clusters"), "lïst"),
        (
            "aws-unknown-option",
            bash_block("aws ecs list-clusters --max-ïtems 5"),
            "--max-ïtems",
        ),
        (
            "aws-missing-required",
            bash_block("aws ecs describe-services --cluster café"),
            "describe-services",
        ),
        (
            "aws-invalid-type",
            bash_block("aws ecs update-service --cluster c --service s --desired-count dé"),
            "dé",
        ),
        (
            "aws-invalid-enum",
            bash_block("aws ecs list-tasks --cluster c --desired-status STÖPPED"),
            "STÖPPED",
        ),
        (
            "untagged-shell-block",
            "# C\n\n```\naws ecs list-clusters # é\n```\n".to_string(),
            "```\naws",
        ),
        (
            "aws-value-out-of-range",
            bash_block("aws lambda update-function-configuration --function-name fé --timeout 99999"),
            "99999",
        ),
        (
            "aws-pattern-mismatch",
            bash_block("aws iam get-role --role-name 'rôle à part'"),
            "'rôle à part'",
        ),
        (
            "aws-invalid-shorthand",
            bash_block("aws ecs run-task --task-definition td --network-configuration \"awsvpcConfiguration={subnét=[s1]}\""),
            "ét=",
        ),
        (
            "aws-invalid-json-arg",
            bash_block("aws application-autoscaling put-scaling-policy --service-namespace ecs --resource-id service/c/s --scalable-dimension ecs:service:DesiredCount --policy-name p --policy-type TargetTrackingScaling --target-tracking-scaling-policy-configuration '{\"TargetValue\": “70”}'"),
            "“70",
        ),
        (
            "aws-invalid-query",
            bash_block("aws ecs describe-services --cluster c --services s --query 'services[“0]'"),
            "“0",
        ),
        (
            "aws-query-unknown-field",
            bash_block("aws ecs describe-services --cluster c --services s --query 'services[0].\"évent\"'"),
            "\"évent",
        ),
        (
            "aws-cli-version",
            bash_block("X=🔥 aws ecs list-clusters --output yaml"),
            "yaml",
        ),
        ("shell-syntax", bash_block("echo 'unterminated é"), "'unterminated"),
        (
            "bash-block-not-shell",
            bash_block("aws sts get-caller-identity\n{\n  \"Effect\": \"Allöw\"\n}"),
            "{\n  \"Effect",
        ),
        ("shell-no-command", bash_block("# seulement un commentaire é"), "```bash"),
        (
            "unknown-label",
            in_entry("**Étiquette inconnue :** texte"),
            "**Étiquette",
        ),
        (
            "broken-link",
            in_entry("Voir [lien](#café-absent)."),
            "#café-absent",
        ),
        (
            "broken-link",
            in_entry("Voir [page](./fiché.md)."),
            "./fiché.md",
        ),
        ("invalid-id", in_entry("## Titré {#Café}"), "## Titré"),
        (
            "duplicate-id",
            in_entry("## Un é {#même}\n\n## Deux é {#même}"),
            "## Deux é",
        ),
        (
            "fargate-table-outdated",
            in_entry("| CPU | Mémoire (Mo) |\n|---|---|\n| 256 | 512, 1024, 2048 |\n| 512 | 1024–4096 é |"),
            "| CPU",
        ),
        (
            "duplicate-page-directive",
            "# Pagé\n\n{{#runbook-faq}}\n\nÉté 🔥 puis\n  {{#runbook-faq}}\n".to_string(),
            "{{#runbook-faq}}",
        ),
        (
            "unclosed-fence",
            "# Ché\n\nÉté 🔥\n\n  ```bash\necho é\n".to_string(),
            "```bash",
        ),
        (
            "unknown-rule",
            "# C\n\n<!-- runbook:allow sécurité-réseau -->\n```json\n{\"é\": 1}\n```\n".to_string(),
            "sécurité-réseau",
        ),
        (
            "mojibake",
            "# C\n\nLe dÃ©ploiement du rÃ©seau a Ã©chouÃ©, vÃ©rifiez la sÃ©curitÃ© et le dÃ©pÃ´t.\n"
                .to_string(),
            "Ã©ploiement",
        ),
    ];
    let mut covered: Vec<&str> = Vec::new();
    for (rule, text, needle) in &cases {
        let guide = parse_book([("book/x.md".into(), text.clone())]);
        let chapter = &guide.chapters[0];
        let analysis = crate::analysis::Analysis::of(&guide, Default::default());
        let findings = rules::check(&guide, &analysis, &Config::default());
        let expected = location_of(text, needle);
        let finding = findings
            .iter()
            .find(|d| d.rule == *rule && (d.line, d.column) == (expected.line, expected.column))
            .unwrap_or_else(|| {
                panic!("no {rule} at {expected:?} in:\n{text}\nfindings: {findings:#?}")
            });
        for offset in [finding.span.start, finding.span.end] {
            assert!(
                chapter.source.is_char_boundary(offset),
                "{rule}: span {:?} cuts a character",
                finding.span
            );
        }
        let end = chapter.location(finding.span.end);
        assert_eq!(
            (finding.end_line, finding.end_column),
            (end.line, end.column),
            "{rule}: end"
        );
        let text = human::render(&findings, &guide);
        let header = format!("--> book/x.md:{}:{}\n", expected.line, expected.column);
        assert!(text.contains(&header), "{rule}: {header:?} in\n{text}");
        covered.push(rule);
    }
    let every_rule: Vec<&str> = crate::registry::RuleId::ids().collect();
    let missing: Vec<&&str> = every_rule.iter().filter(|r| !covered.contains(r)).collect();
    assert!(
        missing.is_empty(),
        "rules without a multi-byte case: {missing:?}"
    );
}

#[test]
fn visible_escapes_what_a_terminal_would_act_on() {
    use super::visible;
    let cases = [
        ("plain é 🔥\ttab\nline", "plain é 🔥\ttab\nline"),
        ("\u{1b}[31mred\u{1b}[0m", "\\u{1b}[31mred\\u{1b}[0m"),
        ("\u{1b}]0;title\u{7}", "\\u{1b}]0;title\\u{7}"),
        (
            "csi \u{9b}2J del \u{7f} nul \u{0}",
            "csi \\u{9b}2J del \\u{7f} nul \\u{0}",
        ),
        ("crlf\r\nlone\rcr", "crlf\r\nlone\\u{d}cr"),
        (
            "rtl \u{202e}txt.exe zw\u{200b}sp",
            "rtl \\u{202e}txt.exe zw\\u{200b}sp",
        ),
        // A joiner inside an emoji sequence is kept.
        ("👩\u{200d}🔧", "👩\u{200d}🔧"),
    ];
    for (text, expected) in cases {
        assert_eq!(visible(text), expected, "{text:?}");
    }
    assert!(matches!(visible("abc"), std::borrow::Cow::Borrowed(_)));
}
