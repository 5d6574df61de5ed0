# Where this interpreter decides each branch point of branch_points.py: the conditional jumps of
# its bytecode, and which arc each way of each jump stands for.
#
# The points come from the AST, so their number is the same on every version; the bytecode is not:
# 3.10 to 3.13 test a `while` condition twice (at the top and again at the bottom), every version
# copies a `finally` body once per way out, 3.12 inlines comprehensions, 3.14 inlines any() and
# all(). Which arm a jump stands for follows from its opcode (POP_JUMP_IF_FALSE, FOR_ITER, ...).
#
# Which point a jump belongs to: compile the same AST again with every node's line number set to
# the node's serial number (the "probe"). A jump's line in the probe names the node the compiler
# filed it under (a statement, an expression, depending on the version), hence its statement and
# scope; within that group the jumps come in the order the conditions are compiled, once per copy.
# The probe's bytecode can differ from the real one in layout, never in its jumps, so the real
# jumps are taken in the same order. A group whose jumps do not fit its conditions is left
# unmatched (its arcs are never seen, rather than seen wrong): a guard against compilers we have
# not met.
import ast
import dis

from case2code_inputs.branch_points import FUNCTIONS, BranchPoints, none_test

_TESTS = {  # conditional jump -> when it jumps
    'POP_JUMP_IF_FALSE': 'falsy', 'POP_JUMP_IF_TRUE': 'truthy',
    'POP_JUMP_FORWARD_IF_FALSE': 'falsy', 'POP_JUMP_FORWARD_IF_TRUE': 'truthy',  # 3.11
    'POP_JUMP_BACKWARD_IF_FALSE': 'falsy', 'POP_JUMP_BACKWARD_IF_TRUE': 'truthy',
    'JUMP_IF_FALSE_OR_POP': 'falsy', 'JUMP_IF_TRUE_OR_POP': 'truthy',  # 3.9 to 3.11
    'POP_JUMP_IF_NONE': 'none', 'POP_JUMP_IF_NOT_NONE': 'not-none',
    'POP_JUMP_FORWARD_IF_NONE': 'none', 'POP_JUMP_FORWARD_IF_NOT_NONE': 'not-none',
    'POP_JUMP_BACKWARD_IF_NONE': 'none', 'POP_JUMP_BACKWARD_IF_NOT_NONE': 'not-none',
    'JUMP_IF_NOT_EXC_MATCH': 'no-match',  # 3.9, 3.10
    'FOR_ITER': 'end',
}
# What the probe must agree on, jump by jump (it may lay a test out the other way round).
_KIND = {name: {'end': 'for', 'none': 'none', 'not-none': 'none', 'no-match': 'except'}.get(test, 'test')
         for name, test in _TESTS.items()}


class Branches:
    """The branch points of `tree` (the AST `module_code` was compiled from) and the jumps of the
    code objects `codes` (code_objects(module_code)) that decide them.

    points: [(line, kind)], kind 'test', 'for' or 'except'; arc (point, 1) is the true / item /
    matched arm, (point, 0) the other. jumps[i]: {offset: (offset after the jump, its target, arcs
    if it falls through, arcs if it jumps)} for codes[i]. runs[i]: whether codes[i] runs when the
    functions are called. skipped_lines: lines not to count as executable (code that never runs,
    `while True:`). unmatched: first lines of the statements and code objects whose jumps did not
    fit their conditions (their arcs are never seen).
    """

    def __init__(self, tree, codes, module_code):
        found = BranchPoints(tree)
        self.points = found.points
        self.skipped_lines = found.skipped_lines
        self.jumps = [{} for _ in codes]
        self.runs = []
        self.unmatched = []
        nodes, probe = _probe(tree, module_code)
        twins = _pair_codes(module_code, probe, nodes, found.dead)
        groups = {}  # group -> [jump]: (code index, instruction, after, instructions, position, owner)
        for i, real in enumerate(codes):
            twin = twins.get(id(real))
            scope = found.scope_of_code(nodes.get(twin.co_firstlineno)) if twin is not None else None
            # 3.14's __annotate__ runs only when something reads the annotations.
            runs = real.co_name != '__annotate__' and scope is not None
            self.runs.append(runs and (isinstance(scope, FUNCTIONS) or found.runs_in_call(scope)))
            if not runs:
                continue
            real_instructions, real_jumps = conditional_jumps(real)
            probe_instructions, probe_jumps = conditional_jumps(twin)
            if [_KIND[j[1].opname] for j in real_jumps] != [_KIND[j[1].opname] for j in probe_jumps]:
                self.unmatched.append(real.co_firstlineno)
                continue
            lines = instruction_lines(twin)
            for (position, ins, after), (probe_position, probe_ins, _) in zip(real_jumps, probe_jumps):
                if _is_with_exit(real_instructions, position):
                    continue
                group = None
                owner = nodes.get(lines.get(probe_ins.offset))
                if ins.opname == 'FOR_ITER':
                    stored = _next_owner(probe_instructions, probe_position, lines, nodes)
                    loop = found.loop_of(stored) if stored is not None else None
                    if loop is not None:
                        group, owner = loop
                if group is None and owner is not None:
                    group = found.group_of(owner, scope)
                groups.setdefault(group, []).append((i, ins, after, real_instructions, position, owner))
        self._assign(found, groups)

    def _assign(self, found, groups):
        implied = found.implications()
        for group, jumps in groups.items():
            leaves = found.groups.get(group)
            if leaves is None:
                continue  # no group of ours (a match pattern, except*, module-level code, ...)
            pairs = _pair_jumps(found, group, leaves, jumps)
            if pairs is None:
                self.unmatched.append(group[1].lineno if group[0] == 'case' else group[0].lineno)
                continue
            for leaf, jump in pairs:
                i, ins, after, instructions, position, _ = jump
                if _lands_after(instructions, position) == ins.argval:
                    continue  # both ways lead to the same place: 3.12 and 3.13 cannot tell them apart
                point = found.index[leaf]
                jumped, fell = _arms(leaf, jump)
                self.jumps[i][ins.offset] = (after, ins.argval, implied.get((point, fell), ((point, fell),)),
                                             implied.get((point, jumped), ((point, jumped),)))


def _pair_jumps(found, group, leaves, jumps):
    """[(leaf, jump)] for a group's jumps, or None if they do not fit its conditions."""
    if group[0] == 'case':
        tail = jumps[len(jumps) - len(leaves):] if len(jumps) >= len(leaves) else None
        return list(zip(leaves, tail)) if tail is not None and all(map(_fits, leaves, tail)) else None
    # By order, once per copy. Some versions keep a jump on a constant (3.9: `__debug__ and x`,
    # `x or True`), which is no branch point; but `(a and 'x') or 'y'` tests a constant too where
    # 3.9 to 3.11 thread the jumps, and there it is one. So: the jumps on no constant if they
    # fit, else all of them.
    for candidate in ([j for j in jumps if not _tests_constant(j[3], j[4])], jumps):
        if not candidate:
            return []
        if leaves and not len(candidate) % len(leaves):
            pairs = [(leaves[k % len(leaves)], jump) for k, jump in enumerate(candidate)]
            if all(_fits(leaf, jump) for leaf, jump in pairs):
                return pairs
    # By the node each jump is filed under (exact from 3.12 on), where a version copies only some
    # of a statement's code (3.14 evaluates the first iterable of any(x for x in ...) twice).
    by_node = {}
    for leaf in leaves:
        by_node.setdefault(leaf[1], []).append(leaf)
        operator = found.parents.get(leaf[1])
        if isinstance(operator, ast.BoolOp):  # 3.14 files an operand's test under the and/or
            by_node.setdefault(operator, []).append(leaf)
    pairs = []
    for jump in (j for j in jumps if not _tests_constant(j[3], j[4])):
        node = jump[5]
        while node is not None and node not in by_node:
            node = found.parents.get(node)
        if node is None or len(by_node[node]) != 1 or not _fits(by_node[node][0], jump):
            return None
        pairs.append((by_node[node][0], jump))
    return pairs if {leaf for leaf, _ in pairs} == set(leaves) else None


def code_objects(module_code):
    """Every code object defined by a module's code (functions, nested functions, lambdas,
    comprehensions, classes), depth first."""
    found = []
    stack = [module_code]
    while stack:
        code = stack.pop()
        for const in code.co_consts:
            if hasattr(const, 'co_code'):
                found.append(const)
                stack.append(const)
    return found


def conditional_jumps(code):
    """(instructions, [(position, instruction, offset after it)] of the conditional jumps)."""
    instructions = list(dis.get_instructions(code))
    jumps = []
    for i, ins in enumerate(instructions):
        if ins.opname in _TESTS:
            jumps.append((i, ins, instructions[i + 1].offset if i + 1 < len(instructions) else None))
    return instructions, jumps


def instruction_lines(code):
    """{offset: line} of every instruction."""
    out = {}
    if hasattr(code, 'co_lines'):
        for start, end, line in code.co_lines():
            for offset in range(start, end, 2):
                out[offset] = line
        return out
    starts = dict(dis.findlinestarts(code))  # 3.9
    line = None
    for offset in range(0, len(code.co_code), 2):
        line = starts.get(offset, line)
        out[offset] = line
    return out


# ---- the probe ------------------------------------------------------------------------------

def _probe(tree, module_code):
    """({serial number: node}, the module compiled with each node's line set to its number)."""
    nodes = {}
    for node in (n for n in ast.walk(tree) if 'lineno' in n._attributes):
        nodes[len(nodes) + 1] = node
    saved = [(node, node.lineno, node.end_lineno, node.col_offset, node.end_col_offset) for node in nodes.values()]
    try:
        for number, node in nodes.items():
            node.lineno = node.end_lineno = number
            node.col_offset = node.end_col_offset = 0
        probe = compile(tree, '<probe>', 'exec', dont_inherit=True, flags=module_code.co_flags & _FUTURE_FLAGS)
    finally:
        for node, line, end_line, col, end_col in saved:
            node.lineno, node.end_lineno, node.col_offset, node.end_col_offset = line, end_line, col, end_col
    return nodes, probe


def _future_flags():
    import __future__
    flags = 0
    for name in __future__.all_feature_names:
        flags |= getattr(__future__, name).compiler_flag
    return flags


_FUTURE_FLAGS = _future_flags()


def _pair_codes(real, probe, nodes, dead):
    """{id(real code object): its probe twin}, level by level, by name and first line. The probe
    can keep a code object that the real compile dropped as dead (3.10), and 3.9 and 3.10 share
    one code object between identical lambdas or comprehensions on a line: where the counts differ,
    the live twins are taken if that makes the count, and otherwise no pairing is made."""
    pairs = {}
    stack = [(real, probe)]
    while stack:
        real, probe = stack.pop()
        reals, twins = {}, {}
        for code in real.co_consts:
            if hasattr(code, 'co_code'):
                reals.setdefault((code.co_name, code.co_firstlineno), []).append(code)
        for code in probe.co_consts:
            node = nodes.get(getattr(code, 'co_firstlineno', None))
            if hasattr(code, 'co_code') and node is not None:
                twins.setdefault((code.co_name, node.lineno), []).append((code, node))
        for key, codes in reals.items():
            candidates = twins.get(key, [])
            if len(candidates) != len(codes):
                candidates = [(code, node) for code, node in candidates if node not in dead]
            if len(candidates) == len(codes):
                for code, (twin, _) in zip(codes, candidates):
                    pairs[id(code)] = twin
                    stack.append((code, twin))
    return pairs


def _next_owner(instructions, position, lines, nodes):
    """The node the instruction after a FOR_ITER is filed under (the store to the loop target)."""
    for ins in instructions[position + 1:position + 4]:
        if ins.opname not in ('EXTENDED_ARG', 'NOP', 'CACHE'):
            return nodes.get(lines.get(ins.offset))
    return None


# ---- one jump -------------------------------------------------------------------------------

def _before(instructions, position, skip):
    """The instruction before `position`, past any of `skip`."""
    for ins in reversed(instructions[max(0, position - 4):position]):
        if ins.opname not in skip:
            return ins
    return None


def _is_with_exit(instructions, position):
    """True for the jump that decides whether a `with` block's __exit__ swallowed the exception
    (after WITH_EXCEPT_START; for `async with`, after awaiting it)."""
    for ins in reversed(instructions[max(0, position - 12):position]):
        if ins.opname == 'WITH_EXCEPT_START':
            return True
        if ins.opname in _TESTS:
            return False
    return False


def _lands_after(instructions, position):
    """Where a jump that is not taken goes on (past 3.14's NOT_TAKEN marker)."""
    for ins in instructions[position + 1:position + 3]:
        if ins.opname != 'NOT_TAKEN':
            return ins.offset
    return None


def _tests_constant(instructions, position):
    """True for a jump that only ever tests a constant."""
    if instructions[position].is_jump_target:
        return False  # reached from elsewhere too, as in `(a and 'x') or 'y'`
    for ins in reversed(instructions[max(0, position - 3):position]):
        if ins.opname in ('LOAD_CONST', 'LOAD_SMALL_INT'):
            return True
        if ins.opname not in ('TO_BOOL', 'COPY', 'NOP', 'EXTENDED_ARG') or ins.is_jump_target:
            return False
    return False


def _fits(leaf, jump):
    """Whether a jump can decide this branch point at all (a loop step, an except match, a test)."""
    _, ins, _, instructions, position, _ = jump
    kind, node, link = leaf
    test = _TESTS[ins.opname]
    if kind == 'for':
        return test == 'end'
    if kind == 'except':
        previous = _before(instructions, position, ('EXTENDED_ARG',))
        return test == 'no-match' or (test == 'falsy' and previous is not None and previous.opname == 'CHECK_EXC_MATCH')
    if test in ('end', 'no-match'):
        return False
    if test in ('none', 'not-none'):
        return none_test(node, link) is not None
    return True


def _arms(leaf, jump):
    """(arm when the jump is taken, arm when it falls through)."""
    _, ins, _, instructions, position, _ = jump
    test = _TESTS[ins.opname]
    if test in ('end', 'no-match'):
        return 0, 1
    if test in ('none', 'not-none'):
        truthy = (test == 'none') == none_test(leaf[1], leaf[2])
    else:
        truthy = (test == 'truthy') != _inverted(leaf, instructions, position)
    return (1, 0) if truthy else (0, 1)


def _inverted(leaf, instructions, position):
    """True where the jump tests the opposite of the comparison: 3.14 compiles `not a in b` as
    `a not in b` (and `not a is b` as `a is not b`), where the AST still has `not (a in b)`."""
    node, link = leaf[1], leaf[2]
    if not isinstance(node, ast.Compare) or not isinstance(node.ops[link], (ast.In, ast.NotIn, ast.Is, ast.IsNot)):
        return False
    previous = _before(instructions, position, ('TO_BOOL', 'EXTENDED_ARG', 'NOP', 'COPY'))
    if previous is None or previous.opname not in ('CONTAINS_OP', 'IS_OP'):
        return False
    return isinstance(node.ops[link], (ast.NotIn, ast.IsNot)) != bool(previous.arg)
