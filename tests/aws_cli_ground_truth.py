#!/usr/bin/env python3
"""Ground truth for the AWS CLI differential corpus.

Reads tests/fixtures/aws-cli-corpus/commands.txt (or the file given as
argument) and asks the real AWS CLI -- PyPI ``awscli``, i.e. AWS CLI v1; the
project pins 1.46.3 -- what it thinks of every command line in it. Prints,
as JSON on stdout, a list with one object per command line:

    {"line": <1-based line number in commands.txt>,
     "command": "<the line as written>",
     "valid": true | false,
     "detail": "reached network" | "exit 0, no network call"
               | "<the line of the CLI's error output that says what is wrong>"}

and a one-line summary (awscli version, counts, elapsed time) on stderr.

Usage, with a Python that has awscli installed:

    python3 -m venv /tmp/awsv && /tmp/awsv/bin/pip install awscli==1.46.3
    /tmp/awsv/bin/python tests/aws_cli_ground_truth.py > /tmp/ground-truth.json

The argument may name another corpus of the same folder (``generated.txt``,
made by ``fixtures/aws-cli-corpus/generate.py``); its expected differences
are then read from ``<name>-known-differences.txt``.

Options: ``--full`` adds "rc", "stdout" and "stderr" to every object (for
debugging the corpus); ``--isolated`` gives every command its own botocore
data loader and turns off the lookup caches (see cache_pure_lookups) -- much
slower, and the verdicts must not change; ``--jobs=N`` runs the lines in N
forked worker processes (default: the number of CPUs, at most 4; the
results keep the corpus order).
Exit status: 0 when the corpus was run, 2 when awscli cannot be imported or
the arguments are wrong.

Ground truth rule
-----------------
A command is VALID exactly when the CLI accepts it far enough to try the
network. Every command runs with fake credentials (AWS_ACCESS_KEY_ID,
AWS_SECRET_ACCESS_KEY), AWS_DEFAULT_REGION=eu-west-3, no config or
credentials file (both /dev/null), IMDS disabled, one attempt only
(AWS_MAX_ATTEMPTS=1, AWS_RETRY_MODE=standard), and these global options put
in front of it:

    --endpoint-url http://127.0.0.1:9 --cli-connect-timeout 1 --cli-read-timeout 1

Port 9 on loopback is closed, so an accepted command fails at once with
"Could not connect to the endpoint URL" (or another connection-level error,
see CONNECTION_ERROR_MARKERS); nothing leaves the machine. (The options go
in front, not at the end, so that they cannot become the value of an option
that the command line leaves without one.)

A command that fails without printing anything (``s3 cp --quiet``
silences even the connection error) counts as VALID when it looked up a
host to connect to, which no command does before its arguments are
accepted; its detail says so.

Commands that are accepted but never call AWS (``s3 presign``,
``--generate-cli-skeleton``, ``aws --version``) count as VALID when the CLI
exits with status 0 without a connection error; their detail is "exit 0, no
network call". Everything else -- argparse errors, "Unknown options",
parameter validation errors, shorthand/JSON parse errors, paramfile errors,
JMESPath errors, unknown commands -- is INVALID. Its detail is argparse's
"aws: error: ..." line when there is one, otherwise the first line of the
error output that is not usage boilerplate ("Parameter validation failed:"
is joined with the line after it, which names the parameter).

How it runs
-----------
All commands run in this one Python process: for each line, a fresh driver
from ``awscli.clidriver.create_clidriver()`` is called as
``driver.main(args)`` with sys.stdout, sys.stderr, sys.stdin and sys.argv
swapped for in-memory streams and ["aws", ...], and SystemExit (argparse's
way out) caught. The botocore data loader -- a read-only cache of the JSON
model files -- is shared between the drivers, so each model is read from
disk once; the session, event handlers, argument tables and clients are new
for every command. Two lookups that only depend on their inputs are cached
across drivers (cache_pure_lookups), which makes a command several times
cheaper. Lines are split with shlex; a leading ``aws`` is dropped.

Isolation from the machine: every AWS_* variable of the caller's environment
is removed before awscli is imported; HOME and the working directory are a
fresh temporary directory, removed at the end (so no ~/.aws/cli/alias, no
~/.aws/config, no file that a relative path in a command could find); stdin
is empty; the first directory on PATH holds only a stub
``session-manager-plugin`` that exits 0 (so ``ecs execute-command`` is judged
on its command line, see install_session_manager_stub); and
socket.getaddrinfo is wrapped so that any host that is not
127.0.0.1, ::1 or localhost is refused before it is resolved. A command that
tries such a host (an operation whose endpoint has a host prefix, such as
logs start-live-tail's "stream-") still counts as having reached the
network, and its detail names the blocked host.

The corpus must not use --debug (it would attach log handlers to the shared
loggers) nor --profile (no profile exists here, so the CLI rejects it).
"""

import io
import json
import os
import re
import shlex
import shutil
import socket
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_CORPUS = os.path.join(HERE, "fixtures", "aws-cli-corpus", "commands.txt")

ENDPOINT = "http://127.0.0.1:9"
GLOBAL_ARGS = [
    "--endpoint-url", ENDPOINT,
    "--cli-connect-timeout", "1",
    "--cli-read-timeout", "1",
]

FAKE_ENVIRONMENT = {
    "AWS_ACCESS_KEY_ID": "AKIAFAKEFAKEFAKEFAKE",
    "AWS_SECRET_ACCESS_KEY": "fake",
    "AWS_DEFAULT_REGION": "eu-west-3",
    "AWS_CONFIG_FILE": "/dev/null",
    "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
    "AWS_EC2_METADATA_DISABLED": "true",
    "AWS_MAX_ATTEMPTS": "1",
    "AWS_RETRY_MODE": "standard",
}

# What botocore/awscli print when a request was built and sent but the
# connection failed. Any of them means "reached network".
CONNECTION_ERROR_MARKERS = (
    "Could not connect to the endpoint URL",
    "Connect timeout on endpoint URL",
    "Read timeout on endpoint URL",
    "Connection was closed before we received a valid response from endpoint URL",
)

LOOPBACK_HOSTS = {"127.0.0.1", "::1", "localhost"}

# Usage boilerplate that awscli prints around its errors.
NOISE_PREFIXES = (
    "usage:",
    "Note: AWS CLI version 2, the latest major version",
    "To see help text, you can run:",
    "aws help",
    "aws <command> help",
    "aws <command> <subcommand> help",
)

# The version the project pins; another one still runs, with a warning.
PINNED_AWSCLI = "1.46.3"

USAGE = "usage: aws_cli_ground_truth.py [--full] [--isolated] [--jobs=N] [COMMANDS_TXT]\n"


def use_fake_environment(home):
    for name in list(os.environ):
        if name.startswith("AWS_"):
            del os.environ[name]
    os.environ.update(FAKE_ENVIRONMENT)
    os.environ["HOME"] = home


BLOCKED_HOSTS = []
# Every host name looked up while the current command ran.
LOOKED_UP = []


def guard_network():
    """Refuse to resolve (and so to reach) any host that is not loopback."""
    real_getaddrinfo = socket.getaddrinfo

    def loopback_only_getaddrinfo(host, *args, **kwargs):
        name = host.decode() if isinstance(host, bytes) else host
        LOOKED_UP.append(name)
        if name is not None and name not in LOOPBACK_HOSTS:
            BLOCKED_HOSTS.append(name)
            raise socket.gaierror(
                socket.EAI_NONAME, "blocked by aws_cli_ground_truth.py: %s" % name)
        return real_getaddrinfo(host, *args, **kwargs)

    socket.getaddrinfo = loopback_only_getaddrinfo


def read_corpus(path):
    """(line number, text) of every command line; comments and blanks skipped."""
    out = []
    with open(path, encoding="utf-8") as fh:
        for number, raw in enumerate(fh, start=1):
            text = raw.rstrip("\r\n")
            stripped = text.strip()
            if stripped and not stripped.startswith("#"):
                out.append((number, text))
    return out


def telling_line(output):
    """The line of the CLI's error output that says what is wrong."""
    lines = [l.strip() for l in re.split(r"[\r\n]+", output) if l.strip()]
    for line in lines:
        if line.startswith("aws: error:"):
            return line
    lines = [l for l in lines if not l.startswith(NOISE_PREFIXES)]
    if not lines:
        return ""
    if lines[0] == "Parameter validation failed:" and len(lines) > 1:
        return "%s %s" % (lines[0], lines[1])
    return lines[0]


def verdict(rc, stdout, stderr, connected=False):
    """(valid, detail) for one run of the CLI; `connected` says whether the
    command looked up a host to connect to."""
    text = stderr + "\n" + stdout
    if any(marker in text for marker in CONNECTION_ERROR_MARKERS):
        return True, "reached network"
    if rc == 0:
        return True, "exit 0, no network call"
    detail = telling_line(stderr) or telling_line(stdout)
    if not detail and connected:
        # `s3 cp --quiet` prints nothing, not even the connection error.
        return True, "reached network (silently: a connection was attempted, no message)"
    return False, detail or "exit status %s with no message" % rc


def memory_stream():
    # A text stream with a .buffer, like the real sys.stdout: awscli writes
    # bytes to sys.stdout.buffer for some outputs.
    return io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="replace",
                            write_through=True)


def stream_text(stream):
    stream.flush()
    return stream.buffer.getvalue().decode("utf-8", errors="replace")


def cache_pure_lookups():
    """Cache two lookups that awscli repeats for every fresh driver.

    Building a driver registers some ten thousand event handlers, and for
    each one botocore asks (1) whether the handler accepts **kwargs
    (``botocore.compat.accepts_kwargs``, an ``inspect`` call) and (2) what
    the event name becomes after the event aliases
    (``EventAliaser._alias_event_name``, cached per session only). Both
    answers depend only on their inputs -- the function object, and the
    event name under the module's fixed EVENT_ALIASES table -- so they are
    cached here across drivers: that makes each command several times
    faster and changes no verdict (``--isolated`` runs without the caches).
    Only plain functions and bound methods are cached, keyed by the
    function object itself (kept alive by the cache, so no id is reused).
    """
    import types
    import botocore.hooks as hooks

    real_accepts_kwargs = hooks.accepts_kwargs
    accepts = {}

    def cached_accepts_kwargs(func):
        target = func.__func__ if isinstance(func, types.MethodType) else func
        if not isinstance(target, types.FunctionType):
            return real_accepts_kwargs(func)
        if target not in accepts:
            accepts[target] = real_accepts_kwargs(func)
        return accepts[target]

    hooks.accepts_kwargs = cached_accepts_kwargs

    real_init = hooks.EventAliaser.__init__
    shared_aliases = {}

    def init_with_shared_cache(self, event_emitter, event_aliases=None):
        real_init(self, event_emitter, event_aliases)
        if self._event_aliases is hooks.EVENT_ALIASES:
            self._alias_name_cache = shared_aliases

    hooks.EventAliaser.__init__ = init_with_shared_cache


class InProcessCLI:
    """Runs AWS CLI v1 command lines in this process, one fresh driver each."""

    def __init__(self, share_loader=True):
        from awscli.clidriver import create_clidriver
        from botocore.loaders import create_loader

        self._create_clidriver = create_clidriver
        self._create_loader = create_loader
        self._share_loader = share_loader
        self._loader = None

    def run(self, args):
        """Run `aws ARGS...`; return (exit status, stdout, stderr)."""
        driver = self._create_clidriver()
        if self._share_loader:
            session = driver.session
            if self._loader is None:
                self._loader = self._create_loader(
                    session.get_config_variable("data_path"))
            session.register_component("data_loader", self._loader)

        out, err = memory_stream(), memory_stream()
        saved = sys.stdout, sys.stderr, sys.stdin, sys.argv
        sys.stdout, sys.stderr = out, err
        sys.stdin = io.TextIOWrapper(io.BytesIO(b""), encoding="utf-8")
        sys.argv = ["aws"] + list(args)  # argparse names itself after argv[0]
        try:
            rc = driver.main(list(args))
        except SystemExit as e:  # argparse errors, --version
            if e.code is None:
                rc = 0
            elif isinstance(e.code, int):
                rc = e.code
            else:
                err.write("%s\n" % e.code)
                rc = 1
        except KeyboardInterrupt:
            raise
        except BaseException as e:  # not a verdict of the CLI: say so
            err.write("aws_cli_ground_truth.py: uncaught %s: %s\n" % (type(e).__name__, e))
            rc = 254
        finally:
            sys.stdout, sys.stderr, sys.stdin, sys.argv = saved
        return rc, stream_text(out), stream_text(err)


def check_known_differences(path, results):
    """Warnings for known-differences.txt entries that no longer fit the corpus.

    Each entry names a command line and the verdict expected from a strict
    validator targeting AWS CLI v2; by definition that verdict differs from
    the CLI's, so an entry on a non-command line or agreeing with the CLI is
    stale (usually: lines moved in commands.txt).
    """
    if not os.path.exists(path):
        return []
    by_line = {r["line"]: r for r in results}
    problems = []
    with open(path, encoding="utf-8") as fh:
        for number, raw in enumerate(fh, start=1):
            fields = raw.rstrip("\r\n").split("\t")
            if not raw.strip() or raw.startswith("#"):
                continue
            if len(fields) != 3 or not fields[0].isdigit() or fields[1] not in ("valid", "invalid"):
                problems.append("%s:%d: not <line>\\t<valid|invalid>\\t<reason>" % (path, number))
                continue
            result = by_line.get(int(fields[0]))
            if result is None:
                problems.append("%s:%d: line %s of the corpus is not a command"
                                % (path, number, fields[0]))
            elif result["valid"] == (fields[1] == "valid"):
                problems.append("%s:%d: line %s: the CLI agrees (%s), so it is no difference"
                                % (path, number, fields[0], fields[1]))
    return problems


def run_line(cli, number, text, full):
    """The result object for one corpus line."""
    result = {"line": number, "command": text}
    try:
        words = shlex.split(text)
    except ValueError as e:
        result.update(valid=False, detail="shlex: %s" % e)
        return result
    if words[:1] == ["aws"]:
        words = words[1:]
    del BLOCKED_HOSTS[:]
    del LOOKED_UP[:]
    rc, stdout, stderr = cli.run(GLOBAL_ARGS + words)
    valid, detail = verdict(rc, stdout, stderr, connected=bool(LOOKED_UP))
    if BLOCKED_HOSTS:
        detail += " (blocked non-loopback host %s)" % ", ".join(sorted(set(BLOCKED_HOSTS)))
    result.update(valid=valid, detail=detail)
    if full:
        result.update(rc=rc, stdout=stdout, stderr=stderr)
    return result


# The worker processes' CLI runner (see run_all).
WORKER = {}


def _start_worker(isolated):
    WORKER["cli"] = InProcessCLI(share_loader=not isolated)


def _run_in_worker(job):
    number, text, full = job
    return run_line(WORKER["cli"], number, text, full)


def run_all(commands, isolated, full, jobs):
    """Results for every (line number, text), in corpus order.

    With jobs > 1 the lines are shared out among that many forked worker
    processes; each has its own drivers and model loader, set up after the
    environment, the working directory and the network guard (all
    inherited), so a line's verdict does not depend on where it ran.
    """
    if jobs <= 1 or len(commands) < 2 * jobs:
        cli = InProcessCLI(share_loader=not isolated)
        return [run_line(cli, number, text, full) for number, text in commands]
    import multiprocessing

    context = multiprocessing.get_context("fork")
    work = [(number, text, full) for number, text in commands]
    with context.Pool(jobs, initializer=_start_worker, initargs=(isolated,)) as pool:
        return pool.map(_run_in_worker, work, chunksize=8)


def install_session_manager_stub(directory):
    """Put a `session-manager-plugin` that does nothing first on PATH.

    `aws ecs execute-command` (and `ssm start-session`) first run
    `session-manager-plugin` with no argument to see that it is installed,
    and stop with "SessionManagerPlugin is not found" otherwise, before
    calling the API. The stub exits 0, as the real plugin does when run
    without arguments, so these commands are judged on their command line,
    as on a machine with the plugin installed: they then fail at the
    network like any other.
    """
    bin_dir = os.path.join(directory, "bin")
    os.makedirs(bin_dir, exist_ok=True)
    stub = os.path.join(bin_dir, "session-manager-plugin")
    with open(stub, "w", encoding="utf-8") as fh:
        fh.write("#!/bin/sh\nexit 0\n")
    os.chmod(stub, 0o755)
    os.environ["PATH"] = bin_dir + os.pathsep + os.environ.get("PATH", "")


def known_differences_path(corpus):
    """known-differences.txt for commands.txt, <name>-known-differences.txt
    for another corpus <name>.txt of the same folder."""
    folder, name = os.path.split(corpus)
    stem = os.path.splitext(name)[0]
    listed = "known-differences.txt" if stem == "commands" else stem + "-known-differences.txt"
    return os.path.join(folder, listed)


def main(argv):
    options = [a for a in argv[1:] if a.startswith("--")]
    paths = [a for a in argv[1:] if not a.startswith("--")]
    jobs = [o for o in options if o.startswith("--jobs=")]
    unknown = set(options) - {"--full", "--isolated"} - set(jobs)
    if unknown or len(paths) > 1 or len(jobs) > 1 or not all(
            o.split("=", 1)[1].isdigit() for o in jobs):
        sys.stderr.write(USAGE)
        return 2
    jobs = int(jobs[0].split("=", 1)[1]) if jobs else min(os.cpu_count() or 1, 4)
    full = "--full" in options
    isolated = "--isolated" in options
    corpus = os.path.abspath(paths[0] if paths else DEFAULT_CORPUS)
    commands = read_corpus(corpus)

    workdir = tempfile.mkdtemp(prefix="aws-cli-ground-truth-")
    try:
        use_fake_environment(workdir)
        install_session_manager_stub(workdir)
        os.chdir(workdir)
        try:
            import awscli
            if not isolated:
                cache_pure_lookups()
        except ImportError as e:
            sys.stderr.write(
                "aws_cli_ground_truth.py: cannot import awscli (%s).\n"
                "Run this script with a Python that has the AWS CLI v1 (PyPI awscli) installed:\n"
                "  python3 -m venv /tmp/awsv && /tmp/awsv/bin/pip install awscli==1.46.3\n"
                "  /tmp/awsv/bin/python tests/aws_cli_ground_truth.py > ground-truth.json\n" % e)
            return 2
        if awscli.__version__ != PINNED_AWSCLI:
            sys.stderr.write(
                "aws_cli_ground_truth.py: warning: awscli %s, not the pinned %s: "
                "verdicts may differ\n" % (awscli.__version__, PINNED_AWSCLI))
        guard_network()

        started = time.monotonic()
        results = run_all(commands, isolated, full, jobs)
        elapsed = time.monotonic() - started
    finally:
        os.chdir(HERE)
        shutil.rmtree(workdir, ignore_errors=True)

    json.dump(results, sys.stdout, indent=1, ensure_ascii=False)
    sys.stdout.write("\n")
    for problem in check_known_differences(known_differences_path(corpus), results):
        sys.stderr.write("aws_cli_ground_truth.py: warning: %s\n" % problem)
    n_valid = sum(1 for r in results if r["valid"])
    sys.stderr.write(
        "aws_cli_ground_truth.py: awscli %s, %d commands: %d valid, %d invalid, %d job(s), %.1f s\n"
        % (awscli.__version__, len(results), n_valid, len(results) - n_valid, jobs, elapsed))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
