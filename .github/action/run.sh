#!/usr/bin/env bash
# The mdbook-runbook GitHub Action's work (action.yml maps its inputs here):
# runs `check` on a book, writes the error and warning counts to
# $GITHUB_OUTPUT, optionally builds the site, and fails the step according
# to FAIL_ON. Tested by tests/ci.rs outside GitHub.
#
# Environment: BOOK (book directory), FORMAT (github|sarif|json|human),
# FAIL_ON (error|warning|never), AWS_CLI (1|2, optional), BUILD (true|false),
# SARIF_FILE (where --format sarif goes), GITHUB_OUTPUT (a file; optional).
set -euo pipefail

book=${BOOK:-.}
format=${FORMAT:-github}
fail_on=${FAIL_ON:-error}
build=${BUILD:-false}
case "$fail_on" in
    error | warning | never) ;;
    *) echo "fail-on must be error, warning or never, not '$fail_on'" >&2; exit 2 ;;
esac
case "$format" in
    github | sarif | json | human) ;;
    *) echo "format must be github, sarif, json or human, not '$format'" >&2; exit 2 ;;
esac

args=(check "$book")
if [ -n "${AWS_CLI:-}" ]; then
    args+=(--aws-cli "$AWS_CLI")
fi

# The counts, from the JSON report (one analysis; the tool exits 1 on errors).
report=$(mktemp)
trap 'rm -f "$report"' EXIT
status=0
mdbook-runbook "${args[@]}" --format json >"$report" || status=$?
if [ "$status" -ge 2 ]; then
    cat "$report" >&2
    exit "$status"
fi
count() {
    python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["summary"][sys.argv[2]])' "$report" "$1"
}
errors=$(count errors)
warnings=$(count warnings)
if [ -n "${GITHUB_OUTPUT:-}" ]; then
    {
        echo "errors=$errors"
        echo "warnings=$warnings"
    } >>"$GITHUB_OUTPUT"
fi

# The findings in the requested format: annotations and the step summary,
# or a SARIF file for upload-sarif.
case "$format" in
    sarif)
        sarif_file=${SARIF_FILE:-mdbook-runbook.sarif}
        mdbook-runbook "${args[@]}" --format sarif >"$sarif_file" || true
        if [ -n "${GITHUB_OUTPUT:-}" ]; then
            echo "sarif-file=$sarif_file" >>"$GITHUB_OUTPUT"
        fi
        ;;
    *) mdbook-runbook "${args[@]}" --format "$format" || true ;;
esac

if [ "$build" = true ]; then
    mdbook-runbook build "$book"
fi

echo "mdbook-runbook: $errors error(s), $warnings warning(s)"
case "$fail_on" in
    error) [ "$errors" -eq 0 ] ;;
    warning) [ "$errors" -eq 0 ] && [ "$warnings" -eq 0 ] ;;
    never) true ;;
esac
