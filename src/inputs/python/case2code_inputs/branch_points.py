# The branch points of a function's source, from its AST: the same on every CPython (3.9 to 3.14).
#
# A branch point is a condition the code decides on: the test of an `if`, `while`, `assert`,
# conditional expression or comprehension `if`, each operand of `and`/`or` whose value is tested,
# each tested link of a chained comparison, the step of a `for` loop or comprehension (an item, or
# the end), and the match of a typed `except`. Each has two arms (true/false, item/end,
# matched/not). Not branch points: the patterns of a `match` (its cases show as lines, its guards
# are tests), the exit test of `with`, `except*`, `if x: pass` with no else, and code that never
# runs (after a `return`, under `if 0:`, after the constant that decides an and/or), which some
# versions compile and others drop.
#
# The points are grouped by the statement (or lambda / comprehension) whose code tests them, in
# the order CPython compiles them: branches.py finds each group's jumps in the bytecode and needs
# that order to tell them apart.
import ast

SCOPES = (ast.Lambda, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)
DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)
_CASE = getattr(ast, 'match_case', ())  # 3.10+
_TRY_STAR = getattr(ast, 'TryStar', ())  # 3.11+


class BranchPoints:
    """groups: {(statement, scope or None) or ('case', match case): [leaf]} in compile order,
    where a leaf is (kind, node, link): ('test', expression, 0), ('link', comparison, i), ('for', loop, 0), ('except', handler,
    0). points: [(line, kind)], one per leaf; index: {leaf: its number in points}. An arc is
    (point, 1) for the true / item / matched arm and (point, 0) for the other. Only code that runs
    when the functions are called counts (not module or top-level class bodies)."""

    def __init__(self, tree):
        self.parents = parents = {}
        for node in ast.walk(tree):
            for child in ast.iter_child_nodes(node):
                parents[child] = node
        self.dead = dead = _dead_code(tree)
        # Lines not to count as executable: code that never runs, and lines that do nothing
        # (`pass`, `...`, the line of a constant test such as `while True:`), which 3.9 compiles to
        # nothing and 3.10+ to a NOP.
        skipped = {line for node in dead if isinstance(node, ast.stmt) for line in range(node.lineno, node.end_lineno + 1)}
        idle = [node for node in ast.walk(tree) if _idle(node)]
        skipped.update(node.lineno for node in idle)
        idle = set(idle)
        live = {node.lineno for node in ast.walk(tree) if isinstance(node, ast.stmt) and node not in dead and node not in idle}
        self.skipped_lines = frozenset(skipped - live)
        self.groups = groups = {}
        for node in ast.walk(tree):
            if node in dead:
                continue
            if isinstance(node, (ast.stmt, ast.excepthandler)) and self.runs_in_call(node):
                if not isinstance(parents.get(node), _TRY_STAR) and not _does_nothing(node):
                    groups[(node, None)] = _statement_leaves(node)
            elif isinstance(node, SCOPES) and (isinstance(node, ast.Lambda) or self.runs_in_call(node)):
                groups[(statement_of(node, parents), node)] = _scope_leaves(node)
            elif isinstance(node, _CASE) and node.guard is not None and self.runs_in_call(node):
                # A case's jumps: its pattern's (not ours, and not the same on every version), then
                # its guard's, so the guard's are the last ones.
                groups[('case', node)] = _expand_all([('test', node.guard)])
        self.points = []
        self.index = {}
        for leaves in groups.values():
            for leaf in leaves:
                self.index[leaf] = len(self.points)
                where = leaf[1].iter if isinstance(leaf[1], ast.comprehension) else leaf[1]
                self.points.append((where.lineno, 'test' if leaf[0] == 'link' else leaf[0]))

    def runs_in_call(self, node):
        """True if `node` runs as part of a call of the code's functions."""
        child, parent = node, self.parents.get(node)
        while parent is not None:
            if isinstance(parent, ast.Lambda) and child is parent.body:
                return True
            if isinstance(parent, FUNCTIONS[:2]) and child in parent.body:
                return True
            child, parent = parent, self.parents.get(parent)
        return False

    def scope_of_code(self, node):
        """The function, lambda, comprehension or class that a code object's first line names (for
        a decorated definition, its first decorator's line)."""
        if isinstance(node, SCOPES + DEFINITIONS):
            return node
        parent = self.parents.get(node)
        if isinstance(parent, DEFINITIONS) and parent.decorator_list and parent.decorator_list[0] is node:
            return parent
        return None

    def group_of(self, owner, code_scope):
        """The group of a jump the compiler filed under `owner` (a node), in the code object of
        `code_scope`; None for a jump that is no branch point of ours."""
        parents = self.parents
        call = parents.get(owner)
        if isinstance(owner, ast.Name) and isinstance(call, ast.Call) and call.func is owner:
            return None  # 3.14 runs any(), all() and tuple() of a generator in place, filed under the name
        scope = None
        child, node = None, owner
        while node is not None and not isinstance(node, (ast.stmt, ast.excepthandler)):
            if isinstance(node, _CASE) and scope is None:
                return 'case', node  # 3.10 and 3.11 file a guard under the pattern
            if scope is None and isinstance(node, SCOPES):
                if child is None:
                    # A jump filed under the scope itself: in its own code object, one of its own;
                    # in the enclosing code, a test of its value (3.12 inlines comprehensions).
                    inside = node is code_scope
                elif isinstance(node, ast.Lambda):
                    inside = child is not node.args  # defaults are evaluated where the lambda is made
                else:
                    inside = not _descends(owner, node.generators[0].iter, parents)  # so is the first iterable
                if inside:
                    scope = node
            child, node = node, parents.get(node)
        return (node, scope) if node is not None else None

    def loop_of(self, stored):
        """(group, loop) of the loop (a for statement, a comprehension's `for`) whose target holds
        `stored`, what a FOR_ITER's next instruction stores: versions file a FOR_ITER under the
        loop, its iterable or the comprehension. None if there is no such loop."""
        parents = self.parents
        child, node = stored, parents.get(stored)
        while node is not None and not isinstance(node, (ast.stmt, ast.excepthandler)):
            if isinstance(node, ast.comprehension) and child is node.target:
                comprehension = parents.get(node)
                return (statement_of(comprehension, parents), comprehension), node
            child, node = node, parents.get(node)
        if isinstance(node, (ast.For, ast.AsyncFor)) and child is node.target:
            return (node, None), node
        return None

    def implications(self):
        """{arc: every arc it implies, itself first}, for an and/or whose value another and/or
        tests: in `(a and b) or c`, a false makes `a and b` false without a second look (3.9 to
        3.11 jump straight to c); so does a false link of a chained comparison."""
        index = self.index
        direct = {}
        for leaf, point in index.items():
            kind, node, _ = leaf
            if kind != 'test':
                continue
            if isinstance(node, ast.BoolOp):
                stop = 1 if isinstance(node.op, ast.Or) else 0
                inner = [index.get(('test', v, 0)) for v in node.values[:-1]]
            elif isinstance(node, ast.Compare) and len(node.ops) > 1:
                stop = 0
                inner = [index.get(('link', node, link)) for link in range(len(node.ops) - 1)]
            else:
                continue
            for p in inner:
                if p is not None:
                    direct.setdefault((p, stop), []).append((point, stop))
        out = {}
        for arc in direct:
            seen = [arc]
            for implied in seen:
                seen.extend(a for a in direct.get(implied, ()) if a not in seen)
            out[arc] = tuple(seen)
        return out


def statement_of(node, parents):
    while node is not None and not isinstance(node, (ast.stmt, ast.excepthandler)):
        node = parents.get(node)
    return node


def none_test(node, link):
    """For a comparison with None by `is` / `is not`: True for `is`, False for `is not`; else None."""
    if not isinstance(node, ast.Compare):
        return None
    op = node.ops[link]
    sides = (node.left if link == 0 else node.comparators[link - 1], node.comparators[link])
    if not isinstance(op, (ast.Is, ast.IsNot)) or not any(isinstance(s, ast.Constant) and s.value is None for s in sides):
        return None
    return isinstance(op, ast.Is)


def _idle(node):
    """A statement whose line runs no code of its own on some versions."""
    if isinstance(node, (ast.If, ast.While)):
        return _truth(node.test) is not None
    return isinstance(node, ast.Pass) or (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant))


def _does_nothing(stmt):
    """`if x: pass` with no else: both ways do the same, and 3.9 compiles a jump to where it
    would go anyway, so which way it went cannot be seen there."""
    return isinstance(stmt, ast.If) and not stmt.orelse and all(isinstance(s, ast.Pass) for s in stmt.body)


def _descends(node, ancestor, parents):
    while node is not None:
        if node is ancestor:
            return True
        node = parents.get(node)
    return False


# ---- code that never runs ------------------------------------------------------------------

def _dead_code(tree):
    """Nodes that never run: after a return, raise, break or continue in the same block, under a
    constant condition (`if 0:`, the else of `while True:`, `a if 1 else b`), after the constant
    that decides an and/or."""
    roots = []
    for node in ast.walk(tree):
        for field in ('body', 'orelse', 'finalbody'):
            block = getattr(node, field, None)
            if isinstance(block, list):
                for i, stmt in enumerate(block[:-1]):
                    if isinstance(stmt, (ast.Return, ast.Raise, ast.Break, ast.Continue)):
                        roots.extend(block[i + 1:])
                        break
        if isinstance(node, (ast.If, ast.While)):
            truth = _truth(node.test)
            if truth is False:
                roots.extend(node.body)
            elif truth is True:
                roots.extend(node.orelse)
        elif isinstance(node, ast.IfExp):
            truth = _truth(node.test)
            if truth is not None:
                roots.append(node.orelse if truth else node.body)
        elif isinstance(node, ast.BoolOp):
            roots.extend(node.values[len(_live_operands(node)):])
    dead = set()
    for root in roots:
        dead.update(ast.walk(root))
    return dead


def _truth(node):
    """True or False for a condition that is constant (as the compilers fold them), else None."""
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        inner = _truth(node.operand)
        return None if inner is None else not inner
    if isinstance(node, ast.BoolOp):
        stop = isinstance(node.op, ast.Or)  # the operand value that decides the whole
        truths = [_truth(v) for v in node.values]
        if stop in truths:
            return stop
        return not stop if None not in truths else None
    known, value = _constant(node)
    return bool(value) if known else None


def _is_constant(node):
    """True for what the compilers fold into a constant: literals, `-1`, `2 * 3`, `(1, 2)`, `__debug__`."""
    stack = [node]
    while stack:  # iterative: `'a' + 'b' + ...` nests as deep as it is long
        node = stack.pop()
        if isinstance(node, ast.BinOp):
            stack += [node.left, node.right]
        elif isinstance(node, ast.Tuple):
            stack += node.elts
        elif not _constant(node)[0]:
            return False
    return True


def _constant(node):
    """(True, value) for a constant whose value is cheap to know, else (False, None)."""
    if isinstance(node, ast.Constant):
        return True, node.value
    if isinstance(node, ast.Name) and node.id == '__debug__':
        return True, True
    if isinstance(node, ast.Tuple) and _is_constant(node):
        return True, node.elts  # only its truth is ever asked for
    if isinstance(node, ast.UnaryOp):
        known, value = _constant(node.operand)
        if not known:
            return False, None
        if isinstance(node.op, ast.Not):
            return True, not value
        if type(value) in (int, bool) or (type(value) in (float, complex) and not isinstance(node.op, ast.Invert)):
            return True, (~value if isinstance(node.op, ast.Invert) else -value if isinstance(node.op, ast.USub) else +value)
    return False, None


def _live_operands(node):
    """The operands of `a and b` / `a or b` that may run: none after a constant that decides it."""
    stop = isinstance(node.op, ast.Or)
    for i, v in enumerate(node.values):
        if _truth(v) is stop:
            return node.values[:i + 1]
    return node.values


# ---- the conditions of a statement or scope, in the order CPython compiles them --------------
# A task is ('value', node): evaluate it; ('test', node): evaluate it for its truth, as `if`
# does; ('leaf', leaf): a condition is decided here.

def _statement_leaves(stmt):
    tasks = []

    def value(*nodes):
        tasks.extend(('value', n) for n in nodes if n is not None)

    if isinstance(stmt, (ast.If, ast.While)):
        tasks.append(('test', stmt.test))
    elif isinstance(stmt, ast.Assert):
        tasks.append(('test', stmt.test))
        value(stmt.msg)
    elif isinstance(stmt, (ast.For, ast.AsyncFor)):
        value(stmt.iter)
        if isinstance(stmt, ast.For):  # an async for ends by an exception, not a jump
            tasks.append(('leaf', ('for', stmt, 0)))
        value(stmt.target)
    elif isinstance(stmt, (ast.With, ast.AsyncWith)):
        for item in stmt.items:
            value(item.context_expr, item.optional_vars)
    elif isinstance(stmt, ast.excepthandler):
        if stmt.type is not None:
            value(stmt.type)
            tasks.append(('leaf', ('except', stmt, 0)))
    elif isinstance(stmt, ast.Assign):
        value(stmt.value, *stmt.targets)
    elif isinstance(stmt, ast.AugAssign):
        value(stmt.target, stmt.value)
    elif isinstance(stmt, ast.AnnAssign):
        value(stmt.value, stmt.target)
    elif isinstance(stmt, (ast.Return, ast.Expr)):
        value(stmt.value)
    elif isinstance(stmt, ast.Delete):
        value(*stmt.targets)
    elif isinstance(stmt, ast.Raise):
        value(stmt.exc, stmt.cause)
    elif isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
        value(*stmt.decorator_list, *stmt.args.defaults, *stmt.args.kw_defaults)
    elif isinstance(stmt, ast.ClassDef):
        value(*stmt.decorator_list, *stmt.bases, *(k.value for k in stmt.keywords))
    elif type(stmt).__name__ == 'Match':
        value(stmt.subject)  # the cases are groups of their own
    return _expand_all(tasks)


def _scope_leaves(scope):
    if isinstance(scope, ast.Lambda):
        return _expand_all([('value', scope.body)])
    tasks = []
    for i, generator in enumerate(scope.generators):
        if i > 0:  # the first iterable is evaluated outside, by the enclosing code
            tasks.append(('value', generator.iter))
        # `for y in [f(x)]` after the first `for` is compiled as an assignment: no loop.
        single = i > 0 and isinstance(generator.iter, (ast.List, ast.Tuple)) and len(generator.iter.elts) == 1 \
            and not isinstance(generator.iter.elts[0], ast.Starred)
        if not generator.is_async and not single:
            tasks.append(('leaf', ('for', generator, 0)))
        tasks.append(('value', generator.target))
        tasks.extend(('test', condition) for condition in generator.ifs)
    if isinstance(scope, ast.DictComp):
        tasks += [('value', scope.key), ('value', scope.value)]
    else:
        tasks.append(('value', scope.elt))
    return _expand_all(tasks)


def _expand_all(tasks):
    """The leaves of the tasks, depth first, in order (an explicit stack: expressions nest deeply)."""
    leaves = []
    stack = list(reversed(tasks))
    while stack:
        kind, item = stack.pop()
        if kind == 'leaf':
            leaves.append(item)
        else:
            stack.extend(reversed(_expand(kind, item)))
    return leaves


def _expand(kind, node):
    if kind == 'test':
        if _is_constant(node):
            return []  # folded away: no jump
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            return [('test', node.operand)]
        if isinstance(node, ast.BoolOp):
            return [('test', v) for v in _live_operands(node)]
        if isinstance(node, ast.IfExp):
            return _choice(node, 'test')
        if isinstance(node, ast.Compare) and len(node.ops) > 1:
            return _chain(node, tested_last=True)
        return [('value', node), ('leaf', ('test', node, 0))]
    if isinstance(node, ast.BoolOp):
        tasks = []
        operands = _live_operands(node)
        for v in operands[:-1]:
            tasks.append(('value', v))
            if not _is_constant(v):
                tasks.append(('leaf', ('test', v, 0)))
        return tasks + [('value', operands[-1])]  # the last operand's value is the result, untested
    if isinstance(node, ast.IfExp):
        return _choice(node, 'value')
    if isinstance(node, ast.Compare) and len(node.ops) > 1:
        return _chain(node, tested_last=False)
    if isinstance(node, ast.Lambda):
        return [('value', d) for d in node.args.defaults + node.args.kw_defaults if d is not None]
    if isinstance(node, SCOPES):
        return [('value', node.generators[0].iter)]
    if isinstance(node, ast.Dict):  # evaluated key, value, key, value
        tasks = []
        for key, item in zip(node.keys, node.values):
            if key is not None:
                tasks.append(('value', key))
            tasks.append(('value', item))
        return tasks
    if isinstance(node, ast.keyword):
        return [('value', node.value)]
    return [('value', child) for child in ast.iter_child_nodes(node) if isinstance(child, (ast.expr, ast.keyword))]


def _choice(node, kind):
    """`a if c else b`: only the arm that can run when c is constant."""
    truth = _truth(node.test)
    if truth is None:
        return [('test', node.test), (kind, node.body), (kind, node.orelse)]
    return [(kind, node.body if truth else node.orelse)]


def _chain(node, tested_last):
    """a < b < c: each link but the last is tested; the last too where its truth decides a jump."""
    tasks = [('value', node.left)]
    for link, comparator in enumerate(node.comparators):
        tasks.append(('value', comparator))
        if tested_last or link < len(node.comparators) - 1:
            tasks.append(('leaf', ('link', node, link)))
    return tasks
