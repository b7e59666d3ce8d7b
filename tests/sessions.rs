//! Commands wherever runbooks write them: terminal sessions with prompts and
//! output, fences without a language, and whole `aws` commands in inline
//! code are checked, indexed and scripted like a `bash` block's commands.

mod common;

use common::{bin, run, scratch, write_book};
use std::path::PathBuf;

const CHAPTER: &str = r#"# Runbook

## 🧪 Sessions

### ❌ "boom"

**Diagnostic :**

```console
$ aws ecs list-clusterz
An error occurred (InvalidAction): "list-clusterz" is not valid ( é
{
  "clusterArns": [
$ aws ecs list-tasks --cluster c \
>   --desired-status STOPED
```

```bash
$ aws ecs list-tasks --cluster c --launch-type EC3
```

### ❌ "untagged"

**Diagnostic :**

```
aws ecs nope-op --cluster c
```

```
Just some text, not a command.
```

**Solution :** run `aws ecs update-service --cluster c --service s --force-new-deploymentt`, and see `--cluster` too.
"#;

fn book(name: &str) -> PathBuf {
    let dir = scratch(name);
    write_book(
        &dir,
        "[book]\ntitle = \"t\"\nlanguage = \"en\"\nsrc = \"src\"\n\n[build]\nbuild-dir = \"site\"\n\n[preprocessor.runbook]\non-failure = \"continue\"\n",
        &[
            (
                "src/SUMMARY.md",
                "# Summary\n\n- [Runbook](./runbook.md)\n- [Commands](./commands.md)\n",
            ),
            ("src/runbook.md", CHAPTER),
            ("src/commands.md", "# Commands\n\n{{#runbook-commands}}\n"),
        ],
    );
    dir
}

fn location(needle: &str) -> (u64, u64) {
    let at = CHAPTER.find(needle).unwrap();
    let line = CHAPTER[..at].matches('\n').count() + 1;
    let line_start = CHAPTER[..at].rfind('\n').map_or(0, |i| i + 1);
    (
        line as u64,
        CHAPTER[line_start..at].chars().count() as u64 + 1,
    )
}

#[test]
fn commands_in_sessions_untagged_fences_and_inline_code_are_checked() {
    let dir = book("sessions-check");
    let (_, stdout, stderr) = run(bin().arg("check").arg(&dir).args(["--format", "json"]));
    let report: serde_json::Value =
        serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stderr}"));
    let findings: Vec<(String, u64, u64)> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["rule"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
                d["column"].as_u64().unwrap(),
            )
        })
        .collect();
    let has = |rule: &str, needle: &str| {
        let (line, column) = location(needle);
        findings.contains(&(rule.to_string(), line, column))
    };
    assert!(
        has("aws-unknown-operation", "list-clusterz\n"),
        "{findings:?}"
    );
    assert!(has("aws-invalid-enum", "STOPED"), "{findings:?}");
    assert!(
        has("aws-invalid-enum", "EC3"),
        "a prompt in a bash block: {findings:?}"
    );
    assert!(has("aws-unknown-operation", "nope-op"), "{findings:?}");
    assert!(
        has("aws-unknown-option", "--force-new-deploymentt"),
        "{findings:?}"
    );
    let untagged: Vec<_> = findings
        .iter()
        .filter(|f| f.0 == "untagged-shell-block")
        .collect();
    assert_eq!(
        untagged.len(),
        1,
        "only the fence with a command: {findings:?}"
    );
    assert!(
        !findings
            .iter()
            .any(|f| f.0 == "shell-syntax" || f.0 == "bash-block-not-shell"),
        "output lines are not shell: {findings:?}"
    );
}

#[test]
fn those_commands_reach_the_faq_the_command_index_and_the_scripts() {
    let dir = book("sessions-build");
    let (code, _, stderr) = run(bin().arg("build").arg(&dir));
    assert_eq!(code, 0, "{stderr}");
    let faq = std::fs::read_to_string(dir.join("site/en/faq.json")).unwrap();
    for command in [
        "aws ecs list-tasks --cluster c --desired-status STOPED",
        "aws ecs nope-op --cluster c",
        "aws ecs update-service --cluster c --service s --force-new-deploymentt",
    ] {
        assert!(faq.contains(command), "{command} in {faq}");
    }
    assert!(
        !faq.contains("\"command\": \"An error"),
        "output is not a command: {faq}"
    );
    let index = std::fs::read_to_string(dir.join("site/en/commands.html")).unwrap();
    assert!(
        index.contains("update-service"),
        "inline command in the index"
    );
    let script = std::fs::read_to_string(dir.join("site/checks/sessions-boom.sh")).unwrap();
    assert!(
        script.contains("aws ecs list-tasks --cluster c \\"),
        "{script}"
    );
    assert!(
        !script.contains("$ aws") && !script.contains("An error occurred"),
        "{script}"
    );
}

#[test]
fn configuration_says_where_commands_are_read() {
    let dir = book("sessions-config");
    let toml = std::fs::read_to_string(dir.join("book.toml")).unwrap()
        + "shell-languages = [\"bash\"]\nuntagged-fences = false\ninline-commands = false\n";
    std::fs::write(dir.join("book.toml"), toml).unwrap();
    let (_, stdout, stderr) = run(bin().arg("check").arg(&dir).args(["--format", "json"]));
    let report: serde_json::Value =
        serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stderr}"));
    let rules: Vec<&str> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["rule"].as_str().unwrap())
        .collect();
    // Only the bash block is read now: its session still is one.
    assert_eq!(rules, ["aws-invalid-enum"], "{stdout}");
}

/// The same commands in a bash block, a terminal session, a fence without a
/// language and inline code, one entry each.
const ACCESS_CHAPTER: &str = r##"# Runbook

## 🧪 Access

### ❌ "in a bash block"

**Diagnostic :**

```bash
aws ecs describe-services --cluster c --services s
aws ecs update-service --cluster c --service s --force-new-deployment
aws ecs execute-command --cluster c --task t --container app --interactive --command /bin/sh
docker ps
kubectl delete pod p
```

### ❌ "in a session"

**Diagnostic :**

```console
$ aws ecs describe-services --cluster c --services s
{ "services": [] }
$ aws ecs update-service --cluster c --service s --force-new-deployment
$ aws ecs execute-command --cluster c --task t --container app --interactive --command /bin/sh
Starting session with SessionId: ecs-execute-command-0123
$ docker ps
CONTAINER ID   IMAGE   COMMAND   CREATED   STATUS   PORTS   NAMES
$ kubectl delete pod p
pod "p" deleted
```

### ❌ "in an untagged fence"

**Diagnostic :**

```
aws ecs describe-services --cluster c --services s
aws ecs update-service --cluster c --service s --force-new-deployment
aws ecs execute-command --cluster c --task t --container app --interactive --command /bin/sh
docker ps
kubectl delete pod p
```

### ❌ "in inline code"

**Diagnostic :** run `aws ecs describe-services --cluster c --services s`, then `aws ecs update-service --cluster c --service s --force-new-deployment`, or open a shell with `aws ecs execute-command --cluster c --task t --container app --interactive --command /bin/sh`.
"##;

#[test]
fn the_same_command_has_the_same_access_in_every_form() {
    let dir = scratch("sessions-access");
    write_book(
        &dir,
        "[book]\ntitle = \"t\"\nlanguage = \"en\"\nsrc = \"src\"\n\n[build]\nbuild-dir = \"site\"\n",
        &[
            (
                "src/SUMMARY.md",
                "# Summary\n\n- [Runbook](./runbook.md)\n- [Commands](./commands.md)\n",
            ),
            ("src/runbook.md", ACCESS_CHAPTER),
            ("src/commands.md", "# Commands\n\n{{#runbook-commands}}\n"),
        ],
    );
    let (code, _, stderr) = run(bin().arg("build").arg(&dir));
    assert_eq!(code, 0, "{stderr}");
    let read = |path: &str| -> serde_json::Value {
        serde_json::from_str(&std::fs::read_to_string(dir.join(path)).unwrap()).unwrap()
    };
    let forms = [
        "access-in-a-bash-block",
        "access-in-a-session",
        "access-in-an-untagged-fence",
        "access-in-inline-code",
    ];

    // faq.json: each form lists the bash block's commands, same class.
    let faq = read("site/en/faq.json");
    let commands_of = |id: &str| -> Vec<serde_json::Value> {
        let entry = faq["entries"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["id"] == id)
            .unwrap_or_else(|| panic!("{id} in {faq}"));
        entry["commands"].as_array().unwrap().clone()
    };
    let bash = commands_of(forms[0]);
    assert_eq!(bash.len(), 5, "{bash:?}");
    let classes: Vec<&str> = bash.iter().map(|c| c["access"].as_str().unwrap()).collect();
    assert_eq!(
        classes,
        ["read-only", "mutating", "mutating", "read-only", "mutating"]
    );
    for form in &forms[1..3] {
        assert_eq!(commands_of(form), bash, "{form}");
    }
    // Inline code holds the aws commands only.
    assert_eq!(commands_of(forms[3]), bash[..3], "inline code");

    // The command index: one row per operation, listing every form's entry,
    // with the class the bash block gives it.
    let index = std::fs::read_to_string(dir.join("site/en/commands.html")).unwrap();
    for command in &bash {
        let operation = command["operation"].as_str().unwrap();
        let row_start = index
            .find(&format!("<tr><td><code>{operation}</code></td>"))
            .unwrap_or_else(|| panic!("{operation} in {index}"));
        let row = &index[row_start..row_start + index[row_start..].find("</tr>").unwrap()];
        let badge = format!(
            "runbook-badge runbook-{}",
            command["access"].as_str().unwrap()
        );
        assert!(row.contains(&badge), "{row}");
        let forms_here = if command["program"] == "aws" { 4 } else { 3 };
        for form in &forms[..forms_here] {
            assert!(row.contains(&format!("#{form}\"")), "{form} in {row}");
        }
    }

    // The check scripts classify the commands of a session and of an
    // untagged fence as they do a bash block's (the interactive one too);
    // a mention in inline code gets no script.
    let manifest = read("site/checks/manifest.json");
    let scripted = |id: &str| -> Vec<(String, String)> {
        manifest["scripts"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["entry_id"] == id)
            .unwrap_or_else(|| panic!("{id} in {manifest}"))["commands"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| {
                (
                    c["command"].as_str().unwrap().to_string(),
                    c["access"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };
    let bash = scripted(forms[0]);
    assert_eq!(bash[2].1, "interactive", "{bash:?}");
    assert_eq!(scripted(forms[1]), bash);
    assert_eq!(scripted(forms[2]), bash);
    assert!(
        !manifest["scripts"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["entry_id"] == forms[3])
    );
}
