#!/usr/bin/env bash
# The project's test command (see README): installs what the tests need
# beyond cargo, into ./.tools (git-ignored), then runs the whole suite.
#
#   tests/run.sh            # everything
#   tests/run.sh --test mdbook_binary   # extra arguments go to `cargo test`
#
# Installed here, on first use:
#   - mdbook 0.5.4 (the real binary, for tests/mdbook_binary.rs)
#   - a Python venv with the pinned awscli (src/aws/gen/requirements.txt),
#     for tests/aws_cli_differential.rs and the check scripts, and, from
#     tests/requirements.txt, jsonschema (faq.json and manifest.json schemas)
#     moto[server] (the AWS API emulator the scripts run against) and
#     websocket-client (the browser tests' DevTools client)
#   - Debian packages: shellcheck (every generated script is checked) and
#     gettext's msgfmt (tests/i18n.rs) and chromium (tests/site_browser.rs)
set -euo pipefail
cd "$(dirname "$0")/.."
tools="$PWD/.tools"

mdbook_version=0.5.4
mdbook="$tools/mdbook/bin/mdbook"
if ! "$mdbook" --version 2>/dev/null | grep -qx "mdbook v$mdbook_version"; then
    echo "tests/run.sh: installing mdbook $mdbook_version into $tools/mdbook" >&2
    cargo install mdbook --locked --version "$mdbook_version" --root "$tools/mdbook"
fi
export MDBOOK="$mdbook"

venv="$tools/venv"
requirements="src/aws/gen/requirements.txt tests/requirements.txt"
# shellcheck disable=SC2086
if ! cat $requirements | cmp -s - "$venv/requirements.txt" 2>/dev/null; then
    echo "tests/run.sh: installing the pinned Python packages ($requirements) into $venv" >&2
    rm -rf "$venv"
    python3 -m venv "$venv"
    for file in $requirements; do
        "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$file"
    done
    cat $requirements > "$venv/requirements.txt"
fi
export RUNBOOK_PYTHON="$venv/bin/python"

# Debian packages the tests use, installed when their command is missing.
debian_package() { # COMMAND PACKAGE
    command -v "$1" >/dev/null 2>&1 && return 0
    echo "tests/run.sh: installing the Debian package $2" >&2
    local sudo=
    [ "$(id -u)" = 0 ] || sudo=sudo
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$2" >/dev/null
}
debian_package shellcheck shellcheck
debian_package msgfmt gettext
debian_package chromium chromium

cargo test --locked "$@"
