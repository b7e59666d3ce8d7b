//! AWS API errors as the CLI and the SDKs print them: the error code, the
//! operation, and every exception name a text holds.

/// What an AWS SDK or the CLI says about a failed call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// The error code: `ClientException`, `ExpiredToken`, …
    pub code: String,
    /// The API operation, when the text names it: `RegisterTaskDefinition`.
    pub operation: Option<String>,
}

/// The first AWS API error in `text`, in the forms the CLI and the SDKs
/// print: `An error occurred (Code) when calling the Op operation: …`
/// (CLI, boto3), `operation error Svc: Op, … Code: …` (Go v2),
/// `(Service: …; Error Code: Code; …)` (Java), or a bare `SomeException:`.
pub fn api_error(text: &str) -> Option<ApiError> {
    let operation = operation_name(text);
    let code = between(text, "An error occurred (", ")")
        .or_else(|| between(text, "Error Code: ", ";"))
        .map(str::trim)
        .filter(|c| is_identifier(c))
        .map(str::to_string)
        .or_else(|| exception_names(text).into_iter().next())?;
    Some(ApiError { code, operation })
}

/// The API operation a text names.
fn operation_name(text: &str) -> Option<String> {
    let named = between(text, "when calling the ", " operation").or_else(|| {
        // Go SDK v2: `operation error ECS: RegisterTaskDefinition, https …`
        between(text, "operation error ", ",").and_then(|s| s.split(": ").nth(1))
    })?;
    let named = named.trim();
    is_identifier(named).then(|| named.to_string())
}

fn between<'t>(text: &'t str, start: &str, end: &str) -> Option<&'t str> {
    let from = text.find(start)? + start.len();
    let to = text[from..].find(end)? + from;
    Some(&text[from..to])
}

fn is_identifier(word: &str) -> bool {
    word.len() >= 3
        && word.starts_with(|c: char| c.is_ascii_uppercase())
        && word.chars().all(|c| c.is_ascii_alphanumeric())
}

/// Every AWS API exception name in `text`: the code of `An error occurred
/// (Code)` and of `Error Code: Code`, and every `…Exception` identifier
/// (also as the last part of `botocore.errorfactory.ClientException`).
pub(super) fn exception_names(text: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut add = |name: &str| {
        if !names.iter().any(|n| n == name) {
            names.push(name.to_string());
        }
    };
    for marker in ["An error occurred (", "Error Code: "] {
        let mut rest = text;
        while let Some(at) = rest.find(marker) {
            rest = &rest[at + marker.len()..];
            let code: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric())
                .collect();
            if is_identifier(&code) {
                add(&code);
            }
        }
    }
    for word in text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '.')) {
        let last = word.rsplit('.').next().unwrap_or(word);
        if last.len() > "Exception".len() && last.ends_with("Exception") && is_identifier(last) {
            add(last);
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_api_errors() {
        let cases = [
            (
                "An error occurred (ClientException) when calling the RegisterTaskDefinition operation: Invalid 'cpu' setting for task.",
                "ClientException",
                Some("RegisterTaskDefinition"),
            ),
            (
                "operation error ECS: ExecuteCommand, https response error StatusCode: 400, RequestID: x, InvalidParameterException: task length",
                "InvalidParameterException",
                Some("ExecuteCommand"),
            ),
            (
                "Fargate requires … (Service: AmazonECS; Status Code: 400; Error Code: ClientException; Request ID: f8)",
                "ClientException",
                None,
            ),
        ];
        for (text, code, operation) in cases {
            let expected = ApiError {
                code: code.into(),
                operation: operation.map(String::from),
            };
            assert_eq!(api_error(text), Some(expected), "{text}");
        }
        assert_eq!(api_error("exec format error"), None);
        assert_eq!(
            exception_names(
                "botocore.errorfactory.ExpiredTokenException: An error occurred (ExpiredToken) when"
            ),
            ["ExpiredToken", "ExpiredTokenException"]
        );
    }
}
