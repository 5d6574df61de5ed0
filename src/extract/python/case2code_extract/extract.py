# The extract tool's entry point: parse each file with CPython's own ast, judge every top-level
# function, and return the kept ones as self-contained code. Payload: {"rules": {...}, "files":
# [{"text", "module", "init"}, ...] (a bare text is a file in no package), "modules": {name:
# {"text", "init"} or null}}: the sibling modules the host read so far. Answer: one result per file,
# {"functions": [...], "drops": [...]}, {"error", "line", "detail"}, or {"wants": [module, ...]}
# when a function reaches modules of its package this call was not given (the host reads them and
# asks again). Rejected functions carry only their reason, to keep the answer small.
import ast
import warnings

from case2code_sandbox import api as harness
from case2code_extract.carry import Rules, decorator_failure, function_needs
from case2code_extract.check import define_check
from case2code_extract.closure import Closure, Context, assemble, cached, code_id
from case2code_extract.attributes import attribute_methods
from case2code_extract.methods import lifted_methods
from case2code_extract.package import Package
from case2code_extract.scan import ModuleFacts, count_params, docstring_free_body, is_overload, params_of, scan_function


def handle(payload):
    rules = Rules(payload['rules'])
    supplied = payload.get('modules') or {}
    parsed = {}  # the call's modules by name: its files first, then what was supplied
    files = [_parsed(file) for file in payload['files']]
    for facts in files:
        if isinstance(facts, ModuleFacts) and facts.name is not None:
            parsed.setdefault(facts.name, facts)
    results = []
    for facts in files:
        if not isinstance(facts, ModuleFacts):
            results.append(facts)
            continue
        harness.checkpoint()  # each file gets its own time window
        try:
            results.append(extract_module(facts, Context(rules, Package(facts, supplied, parsed))))
        except KeyboardInterrupt:
            results.append({'error': 'extract-timeout', 'detail': 'the file took too long to analyse'})
        except (RecursionError, MemoryError) as exc:
            results.append({'error': 'parse-error', 'detail': f'{type(exc).__name__}: {exc}'[:200]})
    return results


def _parsed(file):
    """A file's ModuleFacts, or its error result."""
    if isinstance(file, str):
        file = {'text': file}
    text = file['text']
    harness.checkpoint()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter('ignore')  # invalid escapes etc. are the corpus's business
            tree = ast.parse(text)
        return ModuleFacts(tree, text, file.get('module'), file.get('init', False))
    except SyntaxError as exc:
        return {'error': 'syntax-error', 'line': exc.lineno, 'detail': f'{exc.msg}'[:200]}
    except ValueError as exc:  # e.g. null bytes
        return {'error': 'parse-error', 'detail': str(exc)[:200]}
    except KeyboardInterrupt:
        return {'error': 'extract-timeout', 'detail': 'the file took too long to parse'}
    except (RecursionError, MemoryError) as exc:
        return {'error': 'parse-error', 'detail': f'{type(exc).__name__}: {exc}'[:200]}


def extract_module(module, ctx):
    functions, drops, wants = [], [], set()
    candidates = [(node, node.lineno, None, module) for node in module.body
                  if type(node) is ast.FunctionDef or type(node) is ast.AsyncFunctionDef]
    if ctx.rules.lift_methods:
        lifted = [found + (module,) for found in lifted_methods(module)]
        if ctx.rules.lift_attribute_reads:
            lifted += attribute_methods(module, {id(found[1]): found[2:4] for found in lifted})
        # In source order, as the file's own functions are.
        for cls, method, node, text, view in sorted(lifted, key=lambda found: found[1].lineno):
            module.overrides[id(node)] = text
            candidates.append((node, method.lineno, (id(view), f'{cls.name}.{method.name}'), view))
    for node, line, key, view in candidates:
        verdict = judge(node, view, ctx, key)
        if isinstance(verdict, dict):
            verdict['line'] = line
            functions.append(verdict)
        elif verdict[0] == 'pending':
            wants |= verdict[1]
        else:
            reason, detail = verdict
            drop = {'entry': node.name, 'line': line, 'reason': reason}
            if detail:
                drop['detail'] = detail
            drops.append(drop)
    if wants:
        return {'wants': sorted(wants)}
    return {'functions': functions, 'drops': drops}


def judge(fn, module, ctx, entry_key=None):
    """A kept function as {entry, line, code, params, id}, (reason, detail), or ('pending', wants)."""
    rules = ctx.rules
    if type(fn) is ast.AsyncFunctionDef and not rules.allow_async:
        return ('async', None)
    if is_overload(fn):
        return ('overload', None)
    failure = decorator_failure(fn, rules, module)
    if failure:
        return failure
    if rules.private_entries != 'keep' and fn.name.startswith('_') and not fn.name.endswith('__'):
        if rules.private_entries == 'drop':
            return ('private', None)
        if ast.get_docstring(fn) is None:
            return ('private', 'no docstring')
    if rules.require_params and count_params(fn.args) == 0:
        return ('no-args', None)
    facts = scan_function(fn, module.lazy_annotations)
    if facts.own_yield and not rules.allow_generators:
        return ('generator', None)
    if rules.require_return and not facts.own_return:
        return ('no-return', None)
    body = docstring_free_body(fn)
    if rules.drop_trivial and is_trivial(body):
        return ('trivial', None)
    lines = fn.end_lineno - body[0].lineno + 1
    if lines < rules.min_body_lines:
        return ('too-short', f'{lines} lines')
    if lines > rules.max_body_lines:
        return ('too-long', f'{lines} lines')
    own_source = module.segment(fn)
    if len(own_source) > rules.max_chars:
        return ('too-long', f'{len(own_source)} characters')
    needs = cached(module, ('func', id(fn)), lambda: function_needs(fn, facts, module, ctx))
    closure = Closure(fn, needs, module, ctx, entry_key)
    if closure.wants:
        return ('pending', closure.wants)
    if closure.failure:
        return closure.failure
    code = assemble(fn, closure, module)
    if len(code) > rules.max_code_chars:
        return ('context-too-long', f'{len(code)} characters with what it carries')
    if rules.check_define:
        failure = define_check(code, fn.name)
        if failure:
            return failure
    return {'entry': fn.name, 'line': fn.lineno, 'code': code, 'params': params_of(fn.args),
            'id': code_id(fn, needs, closure, module)}


def is_trivial(body):
    """Nothing to learn from: only pass/docstrings/..., a lone constant return, or only raises."""
    if not body:
        return True
    if all(type(s) is ast.Pass or (type(s) is ast.Expr and type(s.value) is ast.Constant) for s in body):
        return True
    if len(body) == 1 and type(body[0]) is ast.Return and (body[0].value is None or type(body[0].value) is ast.Constant):
        return True
    return all(type(s) is ast.Raise for s in body)
