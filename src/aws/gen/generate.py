#!/usr/bin/env python3
"""Generate src/aws/data/model.bin, the embedded AWS CLI model.

Run from the repository root, inside a virtualenv made from
src/aws/gen/requirements.txt (see src/aws/gen/README.md):

    python3 src/aws/gen/generate.py            # write src/aws/data/model.bin
    python3 src/aws/gen/generate.py --check    # regenerate in memory, compare
    python3 src/aws/gen/generate.py --verbose  # also list renames/removals

The output format is described in src/aws/FORMAT.md.

How the CLI names are derived
-----------------------------
Nothing about the CLI's naming is typed in here.  The generator builds the
real aws-cli v1 command tree (``awscli.clidriver.create_clidriver()``) in an
isolated environment and reads its command and argument tables *after* all
of aws-cli's customization handlers have run.  That applies, exactly as the
CLI does:

* service renames and hidden service aliases (building-command-table.main):
  s3 -> s3api (awscli/customizations/s3/s3.py), codedeploy -> deploy
  (awscli/customizations/codedeploy/codedeploy.py), config -> configservice
  (awscli/customizations/configservice/rename_cmd.py), the hidden alias
  runtime.sagemaker (awscli/customizations/sagemaker.py), and the preview
  marking of sdb (awscli/customizations/preview.py);
* operation names: botocore ``xform_name(op, '-')``
  (awscli/clidriver.py ServiceCommand._create_command_table), then the
  operation removals of awscli/customizations/removals.py, the rds
  modify-option-group split (awscli/customizations/rds.py) and the hidden
  operation aliases (awscli/customizations/{cloudwatch,mturk,signin,
  socialmessaging}.py);
* argument flags: ``'--' + xform_name(member, '-')``
  (awscli/clidriver.py ServiceOperation._create_argument_table), booleans
  also as ``--no-<name>`` (awscli/arguments.py BooleanArgument), then
  ARGUMENT_RENAMES and HIDDEN_ALIASES (awscli/customizations/argrename.py)
  and every other argument customization (ec2 top-level booleans, --count,
  security-group simplification, pagination, ...).

Custom (non-model) arguments and commands are recorded as such; the options
that aws-cli adds to *every* operation (--cli-input-json,
--generate-cli-skeleton) and to every paginated operation (--starting-token,
--page-size, --max-items) are not repeated per operation: they are listed
once in src/aws/data/customizations.json.

Shapes come from the botocore service model data (``session.get_service_data``,
i.e. service-2.json plus its sdk-extras), pagination from the paginator
model (paginators-1.json) and waiters from the waiter model (waiters-2.json).

Only the standard library and the pinned awscli package are used.  Note that
awscli 1.46.x vendors botocore as ``awscli.botocore`` (``import botocore``
is aliased to it once ``awscli`` is imported) and does not depend on the PyPI
``botocore`` distribution; the vendored version is pinned in requirements.txt
by a ``# vendored: botocore==X`` line.
"""

import argparse
import json
import os
import re
import sys
import tempfile
import zlib
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
REQUIREMENTS = HERE / 'requirements.txt'
OUTPUT = ROOT / 'src' / 'aws' / 'data' / 'model.bin'
MAGIC = b'RBAWS1\n'
FORMAT_VERSION = 1
GENERATED_BY = 'src/aws/gen/generate.py'


# --------------------------------------------------------------------------
# Pins and environment
# --------------------------------------------------------------------------

def read_pins():
    """Return {'awscli': '1.46.3', 'botocore': '1.43.62'} from requirements.txt.

    ``awscli==X`` is an ordinary requirement line; the botocore version is
    the one vendored inside that awscli release, written as the comment
    ``# vendored: botocore==Y`` (pip ignores it).
    """
    pins = {}
    for line in REQUIREMENTS.read_text(encoding='utf-8').splitlines():
        m = re.match(r'^\s*awscli==(\S+)\s*$', line)
        if m:
            pins['awscli'] = m.group(1)
        m = re.match(r'^\s*#\s*vendored:\s*botocore==(\S+)\s*$', line)
        if m:
            pins['botocore'] = m.group(1)
    for name in ('awscli', 'botocore'):
        if name not in pins:
            sys.exit('generate.py: %s has no pin for %s' % (REQUIREMENTS, name))
    return pins


def isolate_environment():
    """Keep the user's AWS configuration out of the generated model.

    ~/.aws/models and AWS_DATA_PATH could add or override service models,
    and the config file can load CLI plugins or pin api_versions.  Point all
    of them at an empty temporary directory before awscli is imported.
    """
    home = tempfile.mkdtemp(prefix='rbaws-gen-')
    for key in list(os.environ):
        if key.startswith('AWS_') or key.startswith('BOTO_'):
            del os.environ[key]
    os.environ['HOME'] = home
    os.environ['AWS_CONFIG_FILE'] = os.path.join(home, 'config')
    os.environ['AWS_SHARED_CREDENTIALS_FILE'] = os.path.join(home, 'credentials')
    os.environ['AWS_EC2_METADATA_DISABLED'] = 'true'


def check_versions(pins):
    try:
        import awscli  # noqa: F401  (installs the botocore import alias)
        import botocore
    except ImportError as e:
        sys.exit(
            'generate.py: cannot import awscli/botocore (%s).\n'
            'Create the pinned virtualenv first, see src/aws/gen/README.md:\n'
            '  python3 -m venv .venv-awsgen && . .venv-awsgen/bin/activate\n'
            '  pip install -r src/aws/gen/requirements.txt' % e)
    problems = []
    if awscli.__version__ != pins['awscli']:
        problems.append('awscli %s is installed, requirements.txt pins %s'
                        % (awscli.__version__, pins['awscli']))
    if botocore.__version__ != pins['botocore']:
        problems.append('botocore %s is in use, requirements.txt pins %s'
                        % (botocore.__version__, pins['botocore']))
    awscli_dir = os.path.dirname(os.path.abspath(awscli.__file__))
    botocore_dir = os.path.dirname(os.path.abspath(botocore.__file__))
    if os.path.dirname(botocore_dir) != awscli_dir:
        problems.append('botocore is imported from %s, not from the copy '
                        'vendored in awscli (%s)' % (botocore_dir, awscli_dir))
    if problems:
        sys.exit('generate.py: refusing to run, installed versions differ '
                 'from %s:\n  %s\nRecreate the virtualenv: pip install -r '
                 'src/aws/gen/requirements.txt'
                 % (REQUIREMENTS.relative_to(ROOT), '\n  '.join(problems)))
    return awscli.__version__, botocore.__version__


# --------------------------------------------------------------------------
# Argument extraction
# --------------------------------------------------------------------------

def parser_action(arg):
    """Add ``arg`` to a scratch argparse parser and return its Action.

    This is how aws-cli itself turns an argument object into command-line
    syntax, so it tells us exactly whether a flag takes a value, several
    values, an optional value, or none.
    """
    parser = argparse.ArgumentParser(add_help=False, prog='aws')
    before = len(parser._actions)
    arg.add_to_parser(parser)
    actions = parser._actions[before:]
    if len(actions) != 1:
        raise RuntimeError('argument %r added %d parser actions'
                           % (arg.name, len(actions)))
    return actions[0]


def action_nargs(action):
    """0 for a switch, else argparse's nargs ('?', '*', '+', an int, None)."""
    if isinstance(action, (argparse._StoreTrueAction,
                           argparse._StoreFalseAction,
                           argparse._StoreConstAction,
                           argparse._CountAction)):
        return 0
    return action.nargs


def describe_custom_arg(arg):
    """Descriptor of a non-model argument (see FORMAT.md, 'Custom arguments')."""
    action = parser_action(arg)
    desc = {'t': arg.cli_type_name}
    if action.required:
        desc['req'] = True
    choices = getattr(arg, 'choices', None) or action.choices
    if choices:
        choices = list(choices) if not isinstance(choices, (set, frozenset)) \
            else sorted(choices)
        desc['enum'] = [str(c) for c in choices]
    if not action.option_strings:
        desc['pos'] = True
    nargs = action_nargs(action)
    if nargs is not None:
        desc['n'] = nargs
    if getattr(arg, '_UNDOCUMENTED', False):
        desc['hidden'] = True
    return desc


def arg_key(arg, action):
    """'--flag' for options, the bare name for positionals."""
    if action.option_strings:
        return action.option_strings[0]
    return arg.name


class Walker:
    def __init__(self, verbose=False):
        import awscli.clidriver as clidriver
        from awscli.arguments import CLIArgument
        from awscli.customizations.cliinputjson import CliInputJSONArgument
        from awscli.customizations.generatecliskeleton import \
            GenerateCliSkeletonArgument
        from awscli.customizations.paginate import PageArgument
        from awscli.customizations.preview import PreviewModeCommandMixin
        from botocore import xform_name
        from botocore.exceptions import DataNotFoundError

        self.clidriver = clidriver
        self.CLIArgument = CLIArgument
        self.PreviewModeCommandMixin = PreviewModeCommandMixin
        self.universal_args = (CliInputJSONArgument,
                               GenerateCliSkeletonArgument, PageArgument)
        self.xform_name = xform_name
        self.DataNotFoundError = DataNotFoundError
        self.verbose = verbose
        self.notes = []
        self.driver = clidriver.create_clidriver()
        self.session = self.driver.session

    def note(self, *parts):
        self.notes.append(' '.join(str(p) for p in parts))

    # -- operations -------------------------------------------------------

    def build_operation(self, obj, cli_service, cli_op, pag_model):
        om = obj._operation_model
        members = om.input_shape.members if om.input_shape is not None else {}
        entry = {
            'op': om.name,
            'in': om.input_shape.name if om.input_shape is not None else None,
            'out': om.output_shape.name if om.output_shape is not None else None,
            'args': {},
        }
        nargs_map = {}
        xargs = {}
        hidden = []
        required = []
        stream_out = False
        for key, arg in obj.arg_table.items():
            if isinstance(arg, self.universal_args):
                continue
            action = parser_action(arg)
            flag = arg_key(arg, action)
            serialized = getattr(arg, '_serialized_name', None)
            if not action.option_strings:
                if arg.name == 'outfile':
                    stream_out = True
                    continue
            if (isinstance(arg, self.CLIArgument) and action.option_strings
                    and serialized in members):
                entry['args'][flag] = serialized
                nargs = action_nargs(action)
                if nargs is not None:
                    nargs_map[flag] = nargs
                if (arg.required or getattr(arg, '_DOCUMENT_AS_REQUIRED', False)) \
                        and serialized not in required:
                    required.append(serialized)
                if getattr(arg, '_UNDOCUMENTED', False):
                    hidden.append(flag)
                plain = '--' + self.xform_name(serialized, '-')
                if flag not in (plain, '--no-' + plain[2:]):
                    self.note('arg', cli_service, cli_op, plain, '->', flag,
                              '(hidden alias)' if getattr(
                                  arg, '_UNDOCUMENTED', False) else '')
            else:
                xargs[flag] = describe_custom_arg(arg)
        if nargs_map:
            entry['n'] = nargs_map
        if required:
            entry['req'] = required
        # Members the model requires but the CLI does not, because an
        # argument customization can supply them (lambda create-function
        # --zip-file for Code); idempotency tokens are filled in by botocore.
        if om.input_shape is not None:
            lifted = [m for m in om.input_shape.required_members
                      if m not in required
                      and not members[m].metadata.get('idempotencyToken')]
            if lifted:
                entry['lift'] = lifted
        if hidden:
            entry['hidden_args'] = hidden
        if xargs:
            entry['xargs'] = xargs
        pag = self.paginator(pag_model, om.name)
        if pag is not None:
            entry['pag'] = pag
        entry['stream_out'] = stream_out
        entry['deprecated'] = bool(om.deprecated)
        if getattr(obj, '_UNDOCUMENTED', False) and not om.deprecated:
            entry['hidden'] = True
        return entry

    @staticmethod
    def paginator(pag_model, op_name):
        if pag_model is None:
            return None
        try:
            config = pag_model.get_paginator(op_name)
        except ValueError:
            return None
        tokens = config['input_token']
        if not isinstance(tokens, list):
            tokens = [tokens]
        return list(tokens) + [config.get('limit_key')]

    # -- custom commands -------------------------------------------------

    def build_command(self, obj):
        entry = {}
        args = {}
        # BasicCommand.__call__ builds the subcommand table before the
        # argument table, and some handlers hooked to the former add
        # arguments (e.g. `s3 sync --delete`): keep that order.
        sub = getattr(obj, 'subcommand_table', None) or {}
        for key, arg in obj.arg_table.items():
            action = parser_action(arg)
            args[arg_key(arg, action)] = describe_custom_arg(arg)
        entry['args'] = args
        # Only the subcommands the command declares.  BasicCommand emits
        # 'building-command-table.<NAME>' for its subcommand table, so
        # e.g. `ecs deploy` also receives the handlers registered for the
        # `deploy` (codedeploy) service (push, register, ...): an aws-cli
        # quirk, not a feature, and not recorded here.
        declared = {s['name'] for s in getattr(obj, 'SUBCOMMANDS', [])}
        sub = {name: cmd for name, cmd in sub.items() if name in declared}
        if sub:
            entry['sub'] = {name: self.build_command(sub[name])
                            for name in sorted(sub)}
        if getattr(obj, '_UNDOCUMENTED', False):
            entry['hidden'] = True
        return entry

    # -- services --------------------------------------------------------

    def service_commands(self):
        table = self.driver._get_command_table()
        out = []
        for name in sorted(table):
            cmd = table[name]
            if isinstance(cmd, self.clidriver.ServiceCommand):
                out.append((name, cmd))
            else:
                self.note('top-level customization command (not in model):',
                          name, type(cmd).__name__)
        return out

    def build_service(self, cli_name, cmd):
        session = self.session
        service_model = cmd.service_model
        svc = service_model.service_name
        try:
            pag_model = session.get_paginator_model(svc)
        except self.DataNotFoundError:
            pag_model = None
        try:
            waiter_model = session.get_waiter_model(svc)
        except self.DataNotFoundError:
            waiter_model = None

        table = cmd._get_command_table()
        operations = {}
        commands = {}
        op_names = set()
        for name in sorted(table):
            obj = table[name]
            if isinstance(obj, self.clidriver.ServiceOperation):
                operations[name] = self.build_operation(
                    obj, cli_name, name, pag_model)
                op_names.add(obj._operation_model.name)
            elif name == 'wait':
                continue
            else:
                commands[name] = self.build_command(obj)
                self.note('custom command:', cli_name, name)
        for api_op in service_model.operation_names:
            if api_op not in op_names:
                plain = self.xform_name(api_op, '-')
                self.note('operation not exposed as a model operation:',
                          cli_name, plain,
                          '(replaced by a custom command)' if plain in commands
                          else '(removed)')
            elif self.xform_name(api_op, '-') not in operations:
                self.note('operation renamed:', cli_name, api_op)

        waiters, wargs = self.build_waiters(cli_name, table, operations,
                                            waiter_model, pag_model)

        doc = {'cli': cli_name, 'botocore': svc}
        if getattr(cmd, '_UNDOCUMENTED', False):
            doc['hidden'] = True
        if isinstance(cmd, self.PreviewModeCommandMixin):
            doc['preview'] = True
        doc['operations'] = operations
        doc['waiters'] = waiters
        if wargs:
            doc['wargs'] = wargs
        if commands:
            doc['cmds'] = commands
        roots = []
        for entry in list(operations.values()) + list(wargs.values()):
            for key in ('in', 'out'):
                if entry.get(key):
                    roots.append(entry[key])
        doc['shapes'] = self.build_shapes(session.get_service_data(svc), roots)
        return doc

    def build_waiters(self, cli_name, table, operations, waiter_model,
                      pag_model):
        waiters = {}
        wargs = {}
        if waiter_model is None or not waiter_model.waiter_names:
            if 'wait' in table:
                raise RuntimeError('%s: CLI has a wait command but botocore '
                                   'has no waiters' % cli_name)
            return waiters, wargs
        wait_table = table['wait'].subcommand_table
        for waiter_name in sorted(waiter_model.waiter_names):
            cli_waiter = self.xform_name(waiter_name, '-')
            api_op = waiter_model.get_waiter(waiter_name).operation
            candidates = sorted(
                n for n, e in operations.items()
                if e['op'] == api_op and not e.get('hidden'))
            plain = self.xform_name(api_op, '-')
            target = plain if plain in candidates or not candidates \
                else candidates[0]
            waiters[cli_waiter] = target
            if cli_waiter not in wait_table:
                raise RuntimeError('%s: waiter %s missing from CLI wait '
                                   'table' % (cli_name, cli_waiter))
            # The waiter command's own argument table (built with the event
            # name building-argument-table.wait.<waiter>, so per-service
            # argument customizations do not apply to it).
            wentry = self.build_operation(wait_table[cli_waiter], cli_name,
                                          'wait ' + cli_waiter, pag_model)
            op_entry = operations.get(target)
            keys = ('args', 'n', 'req', 'xargs')
            if op_entry is None or any(op_entry.get(k) != wentry.get(k)
                                       for k in keys):
                w = {'op': wentry['op'], 'in': wentry['in'],
                     'out': wentry['out']}
                for k in keys + ('hidden_args',):
                    if k in wentry:
                        w[k] = wentry[k]
                wargs[cli_waiter] = w
                self.note('waiter with its own arguments:', cli_name,
                          cli_waiter, '->', target)
        extra = set(wait_table) - set(waiters)
        if extra:
            raise RuntimeError('%s: CLI waiters not in botocore: %s'
                               % (cli_name, sorted(extra)))
        return waiters, wargs

    # -- shapes ----------------------------------------------------------

    @staticmethod
    def build_shapes(service_data, roots):
        raw = service_data['shapes']
        seen = set()
        stack = list(roots)
        while stack:
            name = stack.pop()
            if name in seen:
                continue
            seen.add(name)
            shape = raw[name]
            t = shape['type']
            if t == 'structure':
                stack.extend(m['shape'] for m in shape.get('members', {}).values())
            elif t == 'list':
                stack.append(shape['member']['shape'])
            elif t == 'map':
                stack.append(shape['key']['shape'])
                stack.append(shape['value']['shape'])
        out = {}
        for name in sorted(seen):
            out[name] = convert_shape(raw[name], raw)
        return out


KNOWN_TYPES = {'structure', 'list', 'map', 'string', 'integer', 'long',
               'float', 'double', 'boolean', 'timestamp', 'blob'}


def convert_shape(shape, raw):
    """The compact form of one botocore shape; ``raw`` is the service's shapes."""
    t = shape['type']
    if t not in KNOWN_TYPES:
        raise RuntimeError('unknown shape type %r' % t)
    if t == 'structure' and shape.get('document'):
        return {'t': 'document'}
    out = {'t': t}
    if t == 'structure':
        out['m'] = {name: m['shape']
                    for name, m in shape.get('members', {}).items()}
        required = shape.get('required') or []
        if required:
            out['r'] = list(required)
        # Streaming blob members (marked on the member or on its shape):
        # the CLI reads their value as a file path.
        streams = [name for name, m in shape.get('members', {}).items()
                   if raw[m['shape']]['type'] == 'blob'
                   and (m.get('streaming') or raw[m['shape']].get('streaming'))]
        if streams:
            out['stream'] = streams
        if shape.get('union'):
            out['union'] = True
    elif t == 'list':
        out['e'] = shape['member']['shape']
    elif t == 'map':
        out['k'] = shape['key']['shape']
        out['v'] = shape['value']['shape']
    if t == 'string' and 'enum' in shape:
        out['enum'] = list(shape['enum'])
    for bound in ('min', 'max'):
        if bound in shape:
            out[bound] = shape[bound]
    if t == 'string' and 'pattern' in shape:
        out['pattern'] = shape['pattern']
    return out


# --------------------------------------------------------------------------
# Container
# --------------------------------------------------------------------------

def dumps(obj):
    return json.dumps(obj, separators=(',', ':'), ensure_ascii=False,
                      allow_nan=False)


def build(verbose=False):
    pins = read_pins()
    isolate_environment()
    awscli_version, botocore_version = check_versions(pins)
    walker = Walker(verbose=verbose)

    botocore_services = set(walker.session.get_available_services())
    docs = {}
    for cli_name, cmd in walker.service_commands():
        docs[cli_name] = walker.build_service(cli_name, cmd)
        if cli_name != cmd._service_name:
            walker.note('service name:', cmd._service_name, '->', cli_name,
                        '(hidden alias)' if docs[cli_name].get('hidden') else '')
    covered = {d['botocore'] for d in docs.values()}
    missing = sorted(botocore_services - covered)
    if missing:
        raise RuntimeError('botocore services with no CLI command: %s' % missing)

    body = bytearray()
    index = {}
    raw_total = 0
    counts = {'services': 0, 'operations': 0, 'shapes': 0, 'waiters': 0,
              'custom_commands': 0}
    for name in sorted(docs):
        doc = docs[name]
        raw = dumps(doc).encode('utf-8')
        raw_total += len(raw)
        comp = zlib.compress(raw, 9)
        index[name] = [len(body), len(comp)]
        body += comp
        counts['services'] += 1
        counts['operations'] += len(doc['operations'])
        counts['shapes'] += len(doc['shapes'])
        counts['waiters'] += len(doc['waiters'])
        counts['custom_commands'] += len(doc.get('cmds', {}))
    header = {'format': FORMAT_VERSION, 'botocore': botocore_version,
              'awscli': awscli_version, 'generated_by': GENERATED_BY,
              'services': index}
    data = MAGIC + dumps(header).encode('utf-8') + b'\n' + bytes(body)
    return data, counts, raw_total, walker.notes


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--check', action='store_true',
                    help='do not write; fail if %s is not up to date'
                         % OUTPUT.relative_to(ROOT))
    ap.add_argument('--output', type=Path, default=OUTPUT,
                    help='where to write (default: %(default)s)')
    ap.add_argument('--verbose', '-v', action='store_true',
                    help='list the renames, aliases, removals and custom '
                         'commands found in aws-cli')
    opts = ap.parse_args()

    data, counts, raw_total, notes = build(opts.verbose)
    if opts.verbose:
        for line in notes:
            print('  ' + line)
    if opts.check:
        current = opts.output.read_bytes() if opts.output.exists() else b''
        if current != data:
            sys.exit('generate.py: %s is out of date, rerun generate.py'
                     % opts.output)
        print('%s is up to date' % opts.output)
    else:
        opts.output.parent.mkdir(parents=True, exist_ok=True)
        tmp = opts.output.with_suffix('.bin.tmp')
        tmp.write_bytes(data)
        os.replace(tmp, opts.output)
    print('services: %d, operations: %d, shapes: %d, waiters: %d, '
          'custom commands: %d' % (counts['services'], counts['operations'],
                                   counts['shapes'], counts['waiters'],
                                   counts['custom_commands']))
    print('uncompressed service documents: %d bytes (%.1f MB); '
          'model.bin: %d bytes (%.2f MB)'
          % (raw_total, raw_total / 1e6, len(data), len(data) / 1e6))


if __name__ == '__main__':
    main()
