# The branch points of a function's source, the same on every CPython (3.9 to 3.14), and where each
# one sits in this interpreter's bytecode.
#
# A branch point is a condition the code decides on: the test of an `if`, `while`, `assert`,
# conditional expression or comprehension `if`, each operand of `and`/`or` whose value is tested,
# each link of a chained comparison that is tested, the step of a `for` loop or comprehension (an
# item, or the end), and the match of a typed `except`. Each has two arms (true/false, item/end,
# matched/not). They come from the AST, so their number is the same on every version, while the
# bytecode is not: 3.10 to 3.13 test a `while` condition twice (at the top and again at the bottom),
# every version copies a `finally` body once per way out, 3.12 inlines list comprehensions. Which
# arm a conditional jump stands for is known from its opcode (POP_JUMP_IF_FALSE, FOR_ITER, ...).
#
# Which branch point a jump belongs to: compile the same AST a second time with every node's line
# number set to the node's own serial number (the "probe"). A jump's line then names a node near
# where the compiler was (a statement or an expression, depending on the version), hence its
# statement and scope; within that group the jumps come in the order the conditions are compiled,
# once per copy. A group whose jumps do not fit its conditions is left unmatched (its arcs are then
# never seen): this guards against compilers we have not met. Match-statement patterns and the
# exit test of `with` are not branch points (their jumps are dropped); match cases show as lines.
import ast
import dis

_TEST_JUMPS = {
    'POP_JUMP_IF_FALSE': 'falsy', 'POP_JUMP_IF_TRUE': 'truthy',
    'POP_JUMP_FORWARD_IF_FALSE': 'falsy', 'POP_JUMP_FORWARD_IF_TRUE': 'truthy',
    'POP_JUMP_BACKWARD_IF_FALSE': 'falsy', 'POP_JUMP_BACKWARD_IF_TRUE': 'truthy',
    'JUMP_IF_FALSE_OR_POP': 'falsy', 'JUMP_IF_TRUE_OR_POP': 'truthy',
    'POP_JUMP_IF_NONE': 'none', 'POP_JUMP_IF_NOT_NONE': 'notnone',
    'POP_JUMP_FORWARD_IF_NONE': 'none', 'POP_JUMP_FORWARD_IF_NOT_NONE': 'notnone',
    'POP_JUMP_BACKWARD_IF_NONE': 'none', 'POP_JUMP_BACKWARD_IF_NOT_NONE': 'notnone',
    'JUMP_IF_NOT_EXC_MATCH': 'falsy',  # 3.9, 3.10: jumps when the exception does not match
    'FOR_ITER': 'end',
}
_KIND = {name: {'end': 'for', 'none': 'none', 'notnone': 'none'}.get(test, 'test') for name, test in _TEST_JUMPS.items()}
_KIND['JUMP_IF_NOT_EXC_MATCH'] = 'except'
_SCOPES = (ast.Lambda, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)
_DEFS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)
_PATTERN = getattr(ast, 'pattern', ())
_TRY_STAR = getattr(ast, 'TryStar', ())


def conditional_jumps(code):
    """[(instruction, fallthrough offset)] of a code object's conditional jumps, in offset order."""
    instructions = list(dis.get_instructions(code))
    out = []
    for i, ins in enumerate(instructions):
        if ins.opname in _TEST_JUMPS:
            after = instructions[i + 1].offset if i + 1 < len(instructions) else None
            out.append((i, ins, after))
    return instructions, out


class Branches:
    """The branch points of `tree` (the AST of the code `module_code` was compiled from).

    points: [(line, kind)] with kind 'test', 'for' or 'except'; arc (point, 1) is its true / item /
    matched arm and (point, 0) the other. jumps[i]: {offset: (fallthrough, target, arcs if it falls
    through, arcs if it jumps)} of code object i of `codes`. runs[i]: whether code object i runs
    when the functions are called (not module or top-level class bodies, which ran when the code
    was defined). unmatched: lines of the statements whose jumps did not fit their conditions.
    """

    def __init__(self, tree, codes, module_code):
        self.points = []
        self.jumps = [{} for _ in codes]
        self.unmatched = []
        parents = {}
        for node in ast.walk(tree):
            for child in ast.iter_child_nodes(node):
                parents[child] = node
        self._parents = parents
        self._dead = dead = _dead_code(tree)
        groups = {}  # (statement, scope) -> [leaf]; a leaf is (kind, node, link) in compile order
        for node in ast.walk(tree):
            if node in dead:
                continue
            if isinstance(node, (ast.stmt, ast.excepthandler)) and self._runs_in_call(node):
                if not isinstance(parents.get(node), _TRY_STAR):  # except* matching: not ours
                    groups[(node, None)] = _statement_leaves(node)
            elif isinstance(node, _SCOPES) and (isinstance(node, ast.Lambda) or self._runs_in_call(node)):
                groups[(_statement_of(node, parents), node)] = _scope_leaves(node)
        index = {}
        for key, leaves in groups.items():
            for leaf in leaves:
                index[leaf] = len(self.points)
                where = leaf[1].iter if isinstance(leaf[1], ast.comprehension) else leaf[1]
                self.points.append((where.lineno, 'test' if leaf[0] == 'link' else leaf[0]))
        self.runs = self._match(tree, groups, index, codes, module_code)

    # ---- where a node runs -----------------------------------------------------------------

    def _runs_in_call(self, node):
        """True if `node` runs as part of a call of the code's functions."""
        child, parent = node, self._parents.get(node)
        while parent is not None:
            if isinstance(parent, _FUNCTIONS) and _in_body(parent, child):
                return True
            child, parent = parent, self._parents.get(parent)
        return False

    def _group_of(self, owner, code_scope):
        """The (statement, scope) key of a jump whose probe line names `owner`, in the code object
        of `code_scope`; 'pattern', 'except*' and 'inlined' for jumps that are no branch point of ours."""
        parents = self._parents
        call = parents.get(owner)
        if isinstance(owner, ast.Name) and isinstance(call, ast.Call) and call.func is owner:
            return 'inlined'  # 3.14 runs any(), all() and tuple() of a generator in place, filed under the name
        scope = None
        child, node = None, owner
        while node is not None and not isinstance(node, (ast.stmt, ast.excepthandler)):
            if isinstance(node, _PATTERN):
                return 'pattern'
            if scope is None and isinstance(node, _SCOPES):
                if child is None:
                    # A jump on the scope itself: inside its own code object, one of its own; in
                    # the enclosing code, a test of its value (3.12 inlines comprehensions).
                    inside = node is code_scope
                elif isinstance(node, ast.Lambda):
                    inside = child is not node.args  # defaults are evaluated where the lambda is made
                else:
                    inside = not _descends(owner, node.generators[0].iter, parents)
                if inside:
                    scope = node
            child, node = node, parents.get(node)
        if node is None:
            return None
        if isinstance(node, ast.excepthandler) and isinstance(parents.get(node), _TRY_STAR):
            return 'except*'
        return node, scope

    def _loop_of(self, stored):
        """The key of the loop whose target holds `stored` (what a FOR_ITER's next instruction
        stores): versions file a FOR_ITER under the loop, its iterable or the comprehension."""
        parents = self._parents
        child, node = stored, parents.get(stored)
        while node is not None and not isinstance(node, (ast.stmt, ast.excepthandler)):
            if isinstance(node, ast.comprehension) and child is node.target:
                comprehension = parents.get(node)
                return _statement_of(comprehension, parents), comprehension
            child, node = node, parents.get(node)
        if isinstance(node, (ast.For, ast.AsyncFor)) and child is node.target:
            return node, None
        return None

    # ---- probe and match --------------------------------------------------------------------

    def _match(self, tree, groups, index, codes, module_code):
        nodes = {}
        for node in ast.walk(tree):
            if 'lineno' in node._attributes:
                nodes[len(nodes) + 1] = node
        saved = {node: (node.lineno, getattr(node, 'end_lineno', None), node.col_offset,
                        getattr(node, 'end_col_offset', None)) for node in nodes.values()}
        try:
            for number, node in nodes.items():
                node.lineno = node.end_lineno = number
                node.col_offset = node.end_col_offset = 0
            probe = compile(tree, '<probe>', 'exec', dont_inherit=True, flags=_future_flags(module_code))
        finally:
            for node, (line, end_line, col, end_col) in saved.items():
                node.lineno, node.end_lineno, node.col_offset, node.end_col_offset = line, end_line, col, end_col
        mirrors = _pair_codes(module_code, probe, nodes, self._dead)
        runs = []
        found = {}  # group key -> [(code index, real instruction, fallthrough, real instructions, position)]
        for i, real in enumerate(codes):
            mirror = mirrors.get(id(real))
            scope = _scope_node(nodes.get(mirror.co_firstlineno), self._parents) if mirror is not None else None
            # 3.14's __annotate__ runs only when someone reads the annotations.
            runs.append(real.co_name != '__annotate__' and scope is not None
                        and (isinstance(scope, _FUNCTIONS) or self._runs_in_call(scope)))
            if mirror is None or real.co_name == '__annotate__':
                continue
            real_instructions, real_jumps = conditional_jumps(real)
            _, probe_jumps = conditional_jumps(mirror)
            # The probe may lay a jump out the other way round (its line numbers differ), so it is
            # compared by kind; the real jump's opcode says which arm is which.
            if [_KIND[j[1].opname] for j in real_jumps] != [_KIND[j[1].opname] for j in probe_jumps]:
                self.unmatched.append(real.co_firstlineno)
                continue  # the probe compiled otherwise: this code object's branches go unseen
            lines = instruction_lines(mirror)
            probe_instructions = list(dis.get_instructions(mirror))
            for (position, ins, after), (probe_position, probe_ins, _) in zip(real_jumps, probe_jumps):
                if _is_with_exit(real_instructions, position):
                    continue
                key = None
                if ins.opname == 'FOR_ITER':
                    stored = _next_owner(probe_instructions, probe_position, lines, nodes)
                    key = self._loop_of(stored) if stored is not None else None
                if key is None:
                    owner = nodes.get(lines.get(probe_ins.offset))
                    key = self._group_of(owner, scope) if owner is not None else None
                found.setdefault(key, []).append((i, ins, after, real_instructions, position))
        implied = _implications(index)
        for key, jumps in found.items():
            leaves = groups.get(key)
            if key in ('pattern', 'except*', 'inlined') or leaves is None:
                continue
            # Some versions keep a jump on a constant (3.9: `__debug__ and x`, `x or True`), which
            # is no branch point; but `(a and 'x') or 'y'` tests a constant too where 3.9 to 3.11
            # thread the jumps, and there it is one. So: the jumps on no constant if they fit,
            # else all of them.
            for candidate in ([j for j in jumps if not _tests_constant(j[3], j[4])], jumps):
                if not candidate or (leaves and not len(candidate) % len(leaves) and all(
                        _fits(leaves[k % len(leaves)], jump) for k, jump in enumerate(candidate))):
                    break
            else:
                self.unmatched.append(key[0].lineno)
                continue
            for k, (i, ins, after, _, _) in enumerate(candidate):
                leaf = leaves[k % len(leaves)]
                jumped, fell = _arms(leaf, candidate[k])
                point = index[leaf]
                self.jumps[i][ins.offset] = (after, ins.argval, implied.get((point, fell), ((point, fell),)),
                                             implied.get((point, jumped), ((point, jumped),)))
        return runs


def _implications(index):
    """{arc: every arc it implies}, for an and/or whose value another and/or tests: in
    `(a and b) or c`, a false makes `a and b` false without a second look, and 3.9 to 3.11 jump
    straight to c (as for a chained comparison's false link). Arcs imply themselves."""
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


def _pair_codes(real, probe, nodes, dead):
    """{id(real code object): its probe twin}, level by level, matched by name and first line. The
    probe can keep a code object that the real compile dropped as dead (3.10): where a name and
    line have fewer real code objects than twins, the live twins are taken if that makes the count;
    a pairing still in doubt is not made."""
    pairs = {}
    stack = [(real, probe)]
    while stack:
        real, probe = stack.pop()
        reals, mirrors = {}, {}
        for code in real.co_consts:
            if hasattr(code, 'co_code'):
                reals.setdefault((code.co_name, code.co_firstlineno), []).append(code)
        for code in probe.co_consts:
            node = nodes.get(getattr(code, 'co_firstlineno', None))
            if hasattr(code, 'co_code') and node is not None:
                mirrors.setdefault((code.co_name, node.lineno), []).append((code, node))
        for key, codes in reals.items():
            twins = mirrors.get(key, [])
            if len(twins) != len(codes):
                twins = [(code, node) for code, node in twins if node not in dead]
            if len(twins) == len(codes):
                for code, (mirror, _) in zip(codes, twins):
                    pairs[id(code)] = mirror
                    stack.append((code, mirror))
    return pairs


def _next_owner(instructions, position, lines, nodes):
    for ins in instructions[position + 1:position + 4]:
        if ins.opname not in ('EXTENDED_ARG', 'NOP', 'CACHE'):
            return nodes.get(lines.get(ins.offset))
    return None


def _future_flags(module_code):
    import __future__
    flags = 0
    for name in __future__.all_feature_names:
        feature = getattr(__future__, name)
        if module_code.co_flags & feature.compiler_flag:
            flags |= feature.compiler_flag
    return flags


def code_objects(module_code):
    """Every code object defined by a module's code (functions, nested functions, lambdas, classes), depth first."""
    found = []
    stack = [module_code]
    while stack:
        code = stack.pop()
        for const in code.co_consts:
            if hasattr(const, 'co_code'):
                found.append(const)
                stack.append(const)
    return found


def instruction_lines(code):
    """{offset: line} of every instruction."""
    out = {}
    if hasattr(code, 'co_lines'):
        for start, end, line in code.co_lines():
            for offset in range(start, end, 2):
                out[offset] = line
        return out
    starts = dict(dis.findlinestarts(code))  # Python 3.9
    line = None
    for offset in range(0, len(code.co_code), 2):
        line = starts.get(offset, line)
        out[offset] = line
    return out


def _in_body(function, child):
    return child is function.body or (isinstance(function.body, list) and child in function.body)


def _descends(node, ancestor, parents):
    while node is not None:
        if node is ancestor:
            return True
        node = parents.get(node)
    return False


def _statement_of(node, parents):
    while node is not None and not isinstance(node, (ast.stmt, ast.excepthandler)):
        node = parents.get(node)
    return node


def _scope_node(node, parents):
    """The function, lambda, comprehension or class a code object's first line names (the first
    decorator's line, for a decorated definition)."""
    if node is None:
        return None
    if isinstance(node, _SCOPES + _DEFS):
        return node
    parent = parents.get(node)
    if isinstance(parent, _DEFS) and parent.decorator_list and parent.decorator_list[0] is node:
        return parent
    return None


def _is_with_exit(instructions, position):
    """True for the jump that decides whether a `with` block's __exit__ swallowed the exception."""
    for ins in reversed(instructions[max(0, position - 12):position]):
        if ins.opname == 'WITH_EXCEPT_START':
            return True
        if ins.opname in _TEST_JUMPS:
            return False
    return False


def _tests_constant(instructions, position):
    """True for a jump on a constant (3.9 keeps some, such as `__debug__ and x`): no branch point."""
    if instructions[position].is_jump_target:
        return False  # reached from elsewhere too, as in `(a and 'x') or 'y'`
    for ins in reversed(instructions[max(0, position - 3):position]):
        if ins.opname in ('LOAD_CONST', 'LOAD_SMALL_INT'):
            return True
        if ins.opname not in ('TO_BOOL', 'COPY', 'NOP', 'EXTENDED_ARG') or ins.is_jump_target:
            return False
    return False


def _fits(leaf, jump):
    _, ins, _, instructions, position = jump
    kind, node, link = leaf
    test = _TEST_JUMPS[ins.opname]
    if kind == 'for':
        return test == 'end'
    if kind == 'except':
        before = [i.opname for i in instructions[max(0, position - 4):position] if i.opname != 'EXTENDED_ARG']
        return ins.opname == 'JUMP_IF_NOT_EXC_MATCH' or (test == 'falsy' and before[-1:] == ['CHECK_EXC_MATCH'])
    if test == 'end' or ins.opname == 'JUMP_IF_NOT_EXC_MATCH':
        return False
    if test in ('none', 'notnone'):
        return _none_test(node, link) is not None
    return True


def _none_test(node, link):
    """For a comparison with None by `is` / `is not`: True for `is`, False for `is not`."""
    if not isinstance(node, ast.Compare):
        return None
    op = node.ops[link]
    left = node.left if link == 0 else node.comparators[link - 1]
    right = node.comparators[link]
    if not isinstance(op, (ast.Is, ast.IsNot)) or not any(_is_none(side) for side in (left, right)):
        return None
    return isinstance(op, ast.Is)


def _dead_code(tree):
    """Nodes that never run: after a return, raise, break or continue in the same block, under a
    constant condition (`if 0:`, the else of `while True:`, `a if 1 else b`), after the constant
    that decides an and/or. Compilers drop some of it, not all, and not the same everywhere; none
    of it counts."""
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
        if all(t is not None for t in truths):
            return not stop
        return None
    known, value = _constant(node)
    return bool(value) if known else None


def _is_none(node):
    return isinstance(node, ast.Constant) and node.value is None


def _arms(leaf, jump):
    """(arm when the jump is taken, arm when it falls through): 1 is true / an item / matched."""
    _, ins, _, instructions, position = jump
    test = _TEST_JUMPS[ins.opname]
    if test == 'end':
        return 0, 1
    if test in ('none', 'notnone'):
        truthy = (test == 'none') == _none_test(leaf[1], leaf[2])
    else:
        truthy = (test == 'truthy') != _inverted(leaf, instructions, position)
    return (1, 0) if truthy else (0, 1)


def _inverted(leaf, instructions, position):
    """True where the jump tests the opposite of the comparison: 3.14 compiles `not a in b` as
    `a not in b` (and `not a is b` as `a is not b`), which the AST still has as `not (a in b)`."""
    node, link = leaf[1], leaf[2]
    if not isinstance(node, ast.Compare):
        return False
    op = node.ops[link]
    for ins in reversed(instructions[max(0, position - 4):position]):
        if ins.opname in ('CONTAINS_OP', 'IS_OP'):
            negated = isinstance(op, (ast.NotIn, ast.IsNot))
            return negated != bool(ins.arg) and isinstance(op, (ast.In, ast.NotIn, ast.Is, ast.IsNot))
        if ins.opname not in ('TO_BOOL', 'EXTENDED_ARG', 'NOP', 'COPY'):
            return False
    return False


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
        if isinstance(stmt, ast.For):
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
        value(stmt.subject)
        for case in stmt.cases:
            if case.guard is not None:
                tasks.append(('test', case.guard))
    return _run(tasks)


def _scope_leaves(scope):
    tasks = []
    if isinstance(scope, ast.Lambda):
        tasks.append(('value', scope.body))
        return _run(tasks)
    for i, generator in enumerate(scope.generators):
        if i > 0:
            tasks.append(('value', generator.iter))
        # `for y in [f(x)]` after the first `for` is compiled as an assignment: no loop.
        single = i > 0 and isinstance(generator.iter, (ast.List, ast.Tuple)) and len(generator.iter.elts) == 1 \
            and not isinstance(generator.iter.elts[0], ast.Starred)
        if not generator.is_async and not single:
            tasks.append(('leaf', ('for', generator, 0)))
        tasks.append(('value', generator.target))
        tasks.extend(('test', condition) for condition in generator.ifs)
    if isinstance(scope, ast.DictComp):
        tasks.extend([('value', scope.key), ('value', scope.value)])
    else:
        tasks.append(('value', scope.elt))
    return _run(tasks)


def _run(tasks):
    """Expand the tasks depth first, in order (an explicit stack: expressions can nest deeply)."""
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
            return []  # folded away by every compiler: no jump
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            return [('test', node.operand)]
        if isinstance(node, ast.BoolOp):
            return [('test', v) for v in _live_operands(node)]
        if isinstance(node, ast.IfExp):
            return _choice(node, 'test')
        if isinstance(node, ast.Compare) and len(node.ops) > 1:
            return _chain(node, tested_last=True)
        return [('value', node), ('leaf', ('test', node, 0))]
    # kind == 'value'
    if isinstance(node, ast.BoolOp):
        tasks = []
        operands = _live_operands(node)
        for v in operands[:-1]:
            tasks.append(('value', v))
            if not _is_constant(v):
                tasks.append(('leaf', ('test', v, 0)))
        return tasks + [('value', operands[-1])]
    if isinstance(node, ast.IfExp):
        return _choice(node, 'value')
    if isinstance(node, ast.Compare) and len(node.ops) > 1:
        return _chain(node, tested_last=False)
    if isinstance(node, _SCOPES):
        if isinstance(node, ast.Lambda):
            return [('value', d) for d in node.args.defaults + node.args.kw_defaults if d is not None]
        return [('value', node.generators[0].iter)]
    if isinstance(node, ast.Dict):
        tasks = []
        for key, item in zip(node.keys, node.values):
            if key is not None:
                tasks.append(('value', key))
            tasks.append(('value', item))
        return tasks
    if isinstance(node, ast.keyword):
        return [('value', node.value)]
    return [('value', child) for child in ast.iter_child_nodes(node) if isinstance(child, (ast.expr, ast.keyword))]


def _live_operands(node):
    """The operands of `a and b` / `a or b` that may run: none after a constant that decides it."""
    stop = isinstance(node.op, ast.Or)
    for i, v in enumerate(node.values):
        if _truth(v) is stop:
            return node.values[:i + 1]
    return node.values


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


def _is_constant(node):
    """True for what every compiler folds into a constant: literals, `-1`, `2 * 3`, `(1, 2)`, `__debug__`."""
    if isinstance(node, (ast.Constant, ast.UnaryOp)) or (isinstance(node, ast.Name) and node.id == '__debug__'):
        return _constant(node)[0]
    if isinstance(node, ast.BinOp):
        return _is_constant(node.left) and _is_constant(node.right)
    if isinstance(node, ast.Tuple):
        return all(_is_constant(e) for e in node.elts)
    return False


def _constant(node):
    """(True, value) for a constant whose value we can work out cheaply, else (False, None)."""
    if isinstance(node, ast.Constant):
        return True, node.value
    if isinstance(node, ast.Name) and node.id == '__debug__':
        return True, True
    if isinstance(node, ast.Tuple) and all(_is_constant(e) for e in node.elts):
        return True, node.elts  # only its truth is asked for
    if isinstance(node, ast.UnaryOp) and not isinstance(node.op, ast.Not):
        known, value = _constant(node.operand)
        if known and type(value) in (int, float, complex, bool):
            if isinstance(node.op, ast.Invert):
                return (True, ~value) if type(value) in (int, bool) else (False, None)
            return True, (-value if isinstance(node.op, ast.USub) else +value)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        known, value = _constant(node.operand)
        return (True, not value) if known else (False, None)
    return False, None
