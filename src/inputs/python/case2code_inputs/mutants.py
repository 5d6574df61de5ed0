# Mutants of the function under test, made and run inside the sandbox: each is the entry function
# with one small change (a swapped comparison, arithmetic or boolean operator, a nudged constant, a
# dropped `not`, `return None`). An input "kills" a mutant when the mutant's outcome on it differs
# from the original's: such an input shows what that part of the code does. Selection (select.py)
# prefers inputs that kill mutants no chosen input kills yet.
#
# A mutant is defined from the mutated function alone, in a copy of the session's namespace (its
# helpers and globals as the original sees them). It runs without a tracer: a tick call at the top
# of the function, of every loop body and in every comprehension counts its steps, and a run past
# its limit (a multiple of the original's steps on the same input) is cut there, so a mutant that
# loops forever costs a bounded, machine-independent number of steps. Work no tick sees (a helper
# that spins, a C-level loop) is left to the sandbox's window; a mutant that needs it is dropped.
import ast

from case2code_sandbox import api as harness
from case2code_inputs.calls import copy_call
from case2code_inputs.session import outcome

MAX_MUTANTS = 24        # mutants per function, spread evenly over the mutation sites
MAX_RUNS = 1200         # mutant runs per function (mutants x inputs), at most
_TICK = '__case2code_tick__'
_STEP_FACTOR = 20       # a mutant may take this many times the original's steps on an input...
_STEP_FLOOR = 200       # ... and at least this many
_UNCOUNTED = 1 << 62

_COMPARE_SWAPS = {ast.Lt: ast.LtE, ast.LtE: ast.Lt, ast.Gt: ast.GtE, ast.GtE: ast.Gt, ast.Eq: ast.NotEq,
                  ast.NotEq: ast.Eq, ast.In: ast.NotIn, ast.NotIn: ast.In, ast.Is: ast.IsNot, ast.IsNot: ast.Is}
_BINOP_SWAPS = {ast.Add: ast.Sub, ast.Sub: ast.Add, ast.Mult: ast.Add, ast.Div: ast.Mult, ast.FloorDiv: ast.Div,
                ast.Mod: ast.FloorDiv, ast.Pow: ast.Mult, ast.LShift: ast.RShift, ast.RShift: ast.LShift,
                ast.BitAnd: ast.BitOr, ast.BitOr: ast.BitAnd, ast.BitXor: ast.BitOr}


class StepsExceeded(BaseException):
    """A mutant's run went past its steps (a BaseException: `except Exception` does not catch it)."""


def sites(fn):
    """[(node index in ast.walk(fn), change)] of the function, in walk order."""
    docstrings = set()
    for node in ast.walk(fn):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                docstrings.add(first.value)
    out = []
    for index, node in enumerate(ast.walk(fn)):
        if isinstance(node, ast.Compare):
            out.extend((index, ('compare', i)) for i, op in enumerate(node.ops) if type(op) in _COMPARE_SWAPS)
        elif isinstance(node, (ast.BinOp, ast.AugAssign)) and type(node.op) in _BINOP_SWAPS:
            out.append((index, ('binop',)))
        elif isinstance(node, ast.BoolOp):
            out.append((index, ('boolop',)))
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            out.append((index, ('not',)))
        elif isinstance(node, ast.Constant) and node not in docstrings:
            if isinstance(node.value, bool):
                out.append((index, ('flip',)))
            elif isinstance(node.value, (int, float)):
                out.append((index, ('nudge',)))
        elif isinstance(node, ast.Return) and node.value is not None and not (
                isinstance(node.value, ast.Constant) and node.value.value is None):
            out.append((index, ('return-none',)))
    return out


def _apply(fn, index, change):
    """Change node `index` of ast.walk(fn) in place."""
    nodes = list(ast.walk(fn))
    node = nodes[index]
    kind = change[0]
    if kind == 'compare':
        node.ops[change[1]] = _COMPARE_SWAPS[type(node.ops[change[1]])]()
    elif kind == 'binop':
        node.op = _BINOP_SWAPS[type(node.op)]()
    elif kind == 'boolop':
        node.op = ast.Or() if isinstance(node.op, ast.And) else ast.And()
    elif kind == 'not':  # `not x` -> `x`
        _replace(fn, node, node.operand)
    elif kind == 'flip':
        node.value = not node.value
    elif kind == 'nudge':
        node.value = node.value + 1
    elif kind == 'return-none':
        node.value = ast.copy_location(ast.Constant(None), node.value)


def _replace(tree, old, new):
    for parent in ast.walk(tree):
        for field, value in ast.iter_fields(parent):
            if value is old:
                setattr(parent, field, new)
                return
            if isinstance(value, list) and any(item is old for item in value):
                value[[i for i, item in enumerate(value) if item is old][0]] = new
                return


def _tick_call(at):
    """A call of the tick, placed where `at` is (so the module compiles without a location pass)."""
    where = {'lineno': at.lineno, 'col_offset': at.col_offset, 'end_lineno': at.end_lineno,
             'end_col_offset': at.end_col_offset}
    return ast.Call(func=ast.Name(id=_TICK, ctx=ast.Load(), **where), args=[], keywords=[], **where)


class _Instrument(ast.NodeTransformer):
    """A tick at the top of every function and loop body, and in every comprehension."""

    def _body(self, node):
        self.generic_visit(node)
        call = _tick_call(node.body[0])
        node.body.insert(0, ast.copy_location(ast.Expr(call), call))
        return node

    visit_FunctionDef = visit_AsyncFunctionDef = visit_For = visit_AsyncFor = visit_While = _body

    def visit_Lambda(self, node):
        self.generic_visit(node)
        node.body = ast.copy_location(ast.BoolOp(op=ast.And(), values=[_tick_call(node.body), node.body]), node.body)
        return node

    def visit_comprehension(self, node):
        self.generic_visit(node)
        node.ifs.append(_tick_call(node.iter))
        return node


def _compiled(module):
    try:
        return compile(module, '<mutant>', 'exec')
    except (ValueError, TypeError):  # a node without a location: give it its parent's
        pass
    except SyntaxError:
        return None
    try:
        return compile(ast.fix_missing_locations(module), '<mutant>', 'exec')
    except (SyntaxError, ValueError, TypeError):
        return None


def _top_level_function(tree, entry):
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == entry:
            return node
    return None


class Mutants:
    """Use as: m = Mutants(code, entry, namespace); m.count; m.kills(calls) -> one set of killed
    mutant numbers per call, where a call is (args, kwargs, original output key, original steps)."""

    def __init__(self, code, entry, namespace, limit=MAX_MUTANTS):
        self.functions = []
        self.counter = [0]
        tree = ast.parse(code)
        fn = _top_level_function(tree, entry)
        if fn is None or isinstance(fn, ast.AsyncFunctionDef):
            return
        found = sites(fn)
        if len(found) > limit:
            step = len(found) / limit
            found = [found[int(i * step)] for i in range(limit)]
        counter = self.counter

        def tick():
            counter[0] -= 1
            if counter[0] < 0:
                raise StepsExceeded()
            return True

        for index, change in found:
            # A fresh tree per mutant: parsing (in C) is far cheaper than copying the AST.
            mutated = _top_level_function(ast.parse(code), entry)
            _apply(mutated, index, change)
            module = ast.Module(body=[_Instrument().visit(mutated)], type_ignores=[])
            code_object = _compiled(module)
            if code_object is None:
                continue
            scope = dict(namespace)
            scope[_TICK] = tick
            harness.checkpoint()
            _, exc, _, _ = harness.run_captured(lambda: exec(code_object, scope))
            if exc is None and callable(scope.get(entry)):
                self.functions.append(scope[entry])

    @property
    def count(self):
        return len(self.functions)

    def kills(self, calls):
        """[set of mutant numbers whose outcome differs from the original's] per call. A mutant the
        sandbox's window had to stop is dropped: it kills nothing."""
        kills = [set() for _ in calls]
        counter = self.counter
        for number, fn in enumerate(self.functions):
            found = []

            def run_all():
                for position, (args, kwargs, original, steps) in enumerate(calls):
                    args, kwargs = copy_call(args, kwargs)
                    counter[0] = _STEP_FLOOR + _STEP_FACTOR * steps
                    try:
                        value = fn(*args, **kwargs)
                    except StepsExceeded:
                        out = 't:'
                    except KeyboardInterrupt:
                        raise
                    except BaseException as caught:  # noqa: the outcome is the point
                        counter[0] = _UNCOUNTED
                        out = outcome(None, caught)[1]
                    else:
                        counter[0] = _UNCOUNTED  # our own code after the run (a repr) is not cut
                        out = outcome(value, None)[1]
                    if out != original:
                        found.append(position)

            harness.checkpoint()
            _, exc, _, _ = harness.run_captured(run_all)
            if exc is not None:
                continue  # the window stopped it: work no tick counts
            for position in found:
                kills[position].add(number)
        return kills
