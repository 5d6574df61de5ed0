# The inputs bench's measuring side, on the host's own python3, outside the sandbox. Reads one JSON
# object a line on stdin: {id, code, entry, sets: {name: [call spec], ...}, reference: name}; writes
# one JSON object a line: per set, branch arcs covered, mutants killed, distinct outputs, raising
# calls and (against the reference set) type agreement.
#
# - Branch arcs: the AST branch points of case2code_inputs.coverage, the same arcs on any CPython.
# - Mutants: this file's own simple AST mutants of the entry function (a swapped comparison,
#   arithmetic or boolean operator, a nudged constant, a dropped `not`, `return None`), written
#   apart from the fuzzer's, so the bench does not grade the fuzzer by its own yardstick. A mutant
#   is killed by a set when some call of the set gives a different outcome (value, exception or
#   timeout) than the original. Score: killed / mutants that define.
# - Type agreement: a call agrees when the type of each argument it passes is among the types the
#   reference set passed for that parameter (or the type of the parameter's default, when the
#   reference never passed it). *args and **kwargs are left out: their types are fixed.
# Each function is measured in a forked child with memory and CPU limits, in a scratch folder.
import ast
import copy
import inspect
import json
import os
import resource
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
for folder in ('src/sandbox/python', 'src/inputs/python'):
    sys.path.insert(0, os.path.join(ROOT, *folder.split('/')))

from case2code_sandbox import api as harness  # noqa: E402
from case2code_inputs.calls import spec_key  # noqa: E402
from case2code_inputs.coverage import is_arc, static_totals  # noqa: E402
from case2code_inputs.session import Session  # noqa: E402

MAX_STEPS = 100000
MAX_MUTANTS = 80
CHILD_SECONDS = 120

_COMPARE_SWAPS = {ast.Lt: ast.LtE, ast.LtE: ast.Lt, ast.Gt: ast.GtE, ast.GtE: ast.Gt, ast.Eq: ast.NotEq,
                  ast.NotEq: ast.Eq, ast.In: ast.NotIn, ast.NotIn: ast.In, ast.Is: ast.IsNot, ast.IsNot: ast.Is}
_BINOP_SWAPS = {ast.Add: ast.Sub, ast.Sub: ast.Add, ast.Mult: ast.Div, ast.Div: ast.Mult, ast.FloorDiv: ast.Div,
                ast.Mod: ast.FloorDiv, ast.Pow: ast.Mult, ast.LShift: ast.RShift, ast.RShift: ast.LShift,
                ast.BitAnd: ast.BitOr, ast.BitOr: ast.BitAnd, ast.BitXor: ast.BitAnd}


def _find(tree, entry):
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == entry:
            return node
    return None


def _docstrings(tree):
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Module)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                out.add(id(first.value))
    return out


def mutation_sites(fn):
    """[(path to the node, how to change it)] in a fixed order: the AST walk of the entry function."""
    docs = _docstrings(fn)
    sites = []
    for node in ast.walk(fn):
        if isinstance(node, ast.Compare):
            for i, op in enumerate(node.ops):
                if type(op) in _COMPARE_SWAPS:
                    sites.append((node, ('compare', i)))
        elif isinstance(node, (ast.BinOp, ast.AugAssign)) and type(node.op) in _BINOP_SWAPS:
            sites.append((node, ('binop',)))
        elif isinstance(node, ast.BoolOp):
            sites.append((node, ('boolop',)))
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.Not, ast.USub)):
            sites.append((node, ('unary',)))
        elif isinstance(node, ast.Constant) and id(node) not in docs:
            value = node.value
            if isinstance(value, bool):
                sites.append((node, ('bool',)))
            elif isinstance(value, (int, float)):
                sites.append((node, ('nudge',)))
            elif isinstance(value, str):
                sites.append((node, ('string',)))
        elif isinstance(node, ast.Return) and node.value is not None and not (
                isinstance(node.value, ast.Constant) and node.value.value is None):
            sites.append((node, ('return-none',)))
    return sites


def _apply(node, change):
    kind = change[0]
    if kind == 'compare':
        node.ops[change[1]] = _COMPARE_SWAPS[type(node.ops[change[1]])]()
    elif kind == 'binop':
        node.op = _BINOP_SWAPS[type(node.op)]()
    elif kind == 'boolop':
        node.op = ast.Or() if isinstance(node.op, ast.And) else ast.And()
    elif kind == 'unary':
        return node.operand  # the node is replaced by its operand
    elif kind == 'bool':
        node.value = not node.value
    elif kind == 'nudge':
        node.value = node.value + 1
    elif kind == 'string':
        node.value = '' if node.value else 'x'
    elif kind == 'return-none':
        node.value = ast.Constant(None)
    return node


def mutants(code, entry):
    """Sources of the module with one change to the entry function each (at most MAX_MUTANTS,
    spread evenly over the sites)."""
    tree = ast.parse(code)
    fn = _find(tree, entry)
    if fn is None:
        return []
    sites = mutation_sites(fn)
    if len(sites) > MAX_MUTANTS:
        step = len(sites) / MAX_MUTANTS
        sites = [sites[int(i * step)] for i in range(MAX_MUTANTS)]
    nodes = list(ast.walk(tree))
    index = {id(node): i for i, node in enumerate(nodes)}
    out = []
    for node, change in sites:
        position = index[id(node)]
        mutated = copy.deepcopy(tree)
        target = list(ast.walk(mutated))[position]
        replacement = _apply(target, change)
        if replacement is not target:
            _replace(mutated, target, replacement)
        try:
            out.append(ast.unparse(ast.fix_missing_locations(mutated)))
        except Exception:
            continue
    return out


def _replace(tree, old, new):
    for parent in ast.walk(tree):
        for field, value in ast.iter_fields(parent):
            if value is old:
                setattr(parent, field, new)
                return
            if isinstance(value, list):
                for i, item in enumerate(value):
                    if item is old:
                        value[i] = new
                        return


def _steps_limit(steps):
    return min(MAX_STEPS, max(2000, 50 * steps))


def measure(job):
    code, entry = job['code'], job['entry']
    session = Session(code, entry)
    if session.error:
        return {'id': job['id'], 'error': session.error[0]}
    calls = {}  # spec key -> (args, kwargs) or None when the arguments do not build
    for specs in job['sets'].values():
        for spec in specs:
            key = spec_key(_normal(spec))
            if key not in calls:
                built, exc, _, _ = harness.run_captured(lambda: harness.build_arguments(spec, session.namespace))
                calls[key] = None if exc is not None else (built[0], built[1])
    original = {}  # key -> (verdict, out, features, steps)
    for key, built in calls.items():
        if built is None:
            continue
        args, kwargs = copy.deepcopy(built)
        verdict, out, features = session.run(args, kwargs, MAX_STEPS)
        original[key] = (verdict, out, features, session.last_steps)
    total_arcs, _ = static_totals(session.codes)
    signature = _signature(session.fn)
    session.close()

    sources = mutants(code, entry)
    kills = {key: set() for key in original}
    defined = 0
    for number, source in enumerate(sources):
        mutant = Session(source, entry)
        if mutant.error:
            continue
        defined += 1
        try:
            for key, (verdict, out, _, steps) in original.items():
                args, kwargs = copy.deepcopy(calls[key])
                got = mutant.run(args, kwargs, _steps_limit(steps))[:2]
                if got[1] != out and not (verdict == 'timeout' and got[0] == 'timeout'):
                    kills[key].add(number)
        finally:
            mutant.close()

    result = {'id': job['id'], 'arcsTotal': total_arcs, 'mutants': defined, 'sets': {}}
    reference_types = _types_by_param(signature, [calls.get(spec_key(_normal(s))) for s in job['sets'].get(job.get('reference'), [])])
    for name, specs in job['sets'].items():
        keys = [spec_key(_normal(s)) for s in specs]
        ran = [k for k in keys if k in original]
        features = set().union(*(original[k][2] for k in ran)) if ran else set()
        killed = set().union(*(kills[k] for k in ran)) if ran else set()
        verdicts = [original[k][0] for k in ran]
        agree, typed = 0, 0
        for key in keys:
            built = calls.get(key)
            if built is None or signature is None:
                continue
            typed += 1
            agree += all(t in reference_types.get(p, _default_types(signature, p))
                         for p, t in _arg_types(signature, built).items())
        result['sets'][name] = {
            'calls': len(specs), 'ran': len(ran),
            'arcs': sum(1 for f in features if is_arc(f) and f[1] >= 0),
            'killed': len(killed),
            'distinct': len({original[k][1] for k in ran if original[k][0] in ('return', 'raise')}),
            'raising': verdicts.count('raise'), 'timeouts': verdicts.count('timeout'),
            'typed': typed, 'typeAgree': agree,
        }
    return result


def _normal(spec):
    return {'args': list(spec.get('args') or []), 'kwargs': dict(spec.get('kwargs') or {})}


def _signature(fn):
    try:
        return inspect.signature(fn)
    except (TypeError, ValueError):
        return None


def _arg_types(signature, built):
    try:
        bound = signature.bind(*built[0], **built[1])
    except TypeError:
        return {'(call)': 'bad-binding'}
    # *args and **kwargs are a tuple and a dict whatever is passed: their types say nothing.
    return {name: type(value).__name__ for name, value in bound.arguments.items()
            if signature.parameters[name].kind not in (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD)}


def _types_by_param(signature, calls):
    out = {}
    if signature is None:
        return out
    for built in calls:
        if built is None:
            continue
        for name, kind in _arg_types(signature, built).items():
            out.setdefault(name, set()).add(kind)
    return out


def _default_types(signature, name):
    param = signature.parameters.get(name)
    if param is None or param.default is inspect.Parameter.empty:
        return set()
    return {type(param.default).__name__}


def _in_child(job):
    """measure(job) in a forked child with limits; its JSON line, or an error line."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read)
        try:
            resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))
            resource.setrlimit(resource.RLIMIT_CPU, (CHILD_SECONDS, CHILD_SECONDS + 5))
            os.chdir(tempfile.mkdtemp(prefix='c2c-measure-'))
            sys.setrecursionlimit(3000)
            line = json.dumps(measure(job))
        except BaseException as exc:  # noqa: whatever happened is the result
            line = json.dumps({'id': job.get('id'), 'error': f'{type(exc).__name__}: {exc}'[:300]})
        with os.fdopen(write, 'w') as out:
            out.write(line)
        os._exit(0)
    os.close(write)
    with os.fdopen(read) as source:
        text = source.read()
    os.waitpid(pid, 0)
    return text or json.dumps({'id': job.get('id'), 'error': 'child died'})


def main():
    for line in sys.stdin:
        if line.strip():
            sys.stdout.write(_in_child(json.loads(line)) + '\n')
            sys.stdout.flush()


if __name__ == '__main__':
    main()
