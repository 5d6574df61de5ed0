# Decide which names a function needs and whether the module can supply them: allowed imports,
# constants, and other top-level functions that pass the same safety rules (helpers).
import ast
import hashlib

from case2code_extract.check import BUILTIN_NAMES
from case2code_extract.scan import scan_function


class Rules:
    """The payload's rules (see src/extract/rules.ts for the meaning and the defaults)."""

    def __init__(self, raw):
        self.min_body_lines = raw['minBodyLines']
        self.max_body_lines = raw['maxBodyLines']
        self.max_chars = raw['maxChars']
        self.max_code_chars = raw['maxCodeChars']
        self.require_params = raw['requireParams']
        self.require_return = raw['requireReturn']
        self.allow_generators = raw['allowGenerators']
        self.allow_async = raw['allowAsync']
        self.allow_global = raw['allowGlobal']
        self.drop_trivial = raw['dropTrivial']
        self.check_define = raw['checkDefine']
        self.allowed_modules = frozenset(raw['allowedModules'])
        self.forbidden_builtins = frozenset(raw['forbiddenBuiltins'])
        self.allowed_decorators = frozenset(raw['allowedDecorators'])
        self.forbidden_attributes = frozenset(raw['forbiddenAttributes'])
        self.nondeterministic_calls = frozenset(raw['nondeterministicCalls'])

    def module_allowed(self, name):
        parts = name.split('.')
        return any('.'.join(parts[:i]) in self.allowed_modules for i in range(1, len(parts) + 1))


class Needs:
    """What one function or constant needs directly, or why it cannot be carried."""
    __slots__ = ('failure', 'imports', 'consts', 'funcs', 'shape')

    def __init__(self, shape=None):
        self.failure = None  # (reason, detail)
        self.shape = shape  # a function's fingerprint (scan_function)
        self.imports = {}  # statement text -> module order, for a stable layout
        self.consts = set()
        self.funcs = set()


def import_failure(module, level, name, rules):
    if level:
        return ('relative-import', f'from {"." * level}{module} import ...')
    if rules.module_allowed(module) or (name and rules.module_allowed(f'{module}.{name}')):
        return None
    return ('disallowed-import:' + module, None)


def _resolve(name, module, rules, needs, allow_funcs):
    """Record where a free name comes from; False (with needs.failure set) if nowhere allowed."""
    binding = module.bindings.get(name)
    if binding is None:
        if name in BUILTIN_NAMES:
            return True
        detail = 'a star import may bind it' if module.star_imports else None
        needs.failure = ('unresolved-name:' + name, detail)
        return False
    kind = binding.kind
    if kind == 'import':
        for imported, level, text, member in binding.imports:
            failure = import_failure(imported, level, member, rules)
            if failure:
                needs.failure = failure
                return False
            needs.imports[text] = binding.order
        return True
    if kind == 'const':
        needs.consts.add(name)
        return True
    if kind == 'func' and allow_funcs:
        needs.funcs.add(name)
        return True
    what = {'class': 'a class (not carried)', 'func': 'a function (constants cannot call them)'}
    needs.failure = ('unresolved-name:' + name, what.get(kind, 'bound conditionally, twice, or by a non-constant value'))
    return False


def _unsafe(reads, binds, attributes, attribute_calls, module, rules):
    for name in sorted((reads & rules.forbidden_builtins) - binds):
        if name not in module.bindings:
            return ('io-call', name)
    for attr in sorted(attributes & rules.forbidden_attributes):
        return ('introspection', attr)
    for attr in sorted(attribute_calls & rules.nondeterministic_calls):
        return ('nondeterministic-call', attr)
    return None


def decorator_failure(fn, rules):
    for decorator in fn.decorator_list:
        target = decorator.func if type(decorator) is ast.Call else decorator
        name = target.attr if type(target) is ast.Attribute else getattr(target, 'id', None)
        if name not in rules.allowed_decorators:
            return ('decorated', ast.unparse(decorator)[:100])
    return None


def function_needs(fn, facts, module, rules):
    """The direct needs of a top-level function, from its scan."""
    needs = Needs(facts.shape)
    if type(fn) is ast.AsyncFunctionDef and not rules.allow_async:
        needs.failure = ('async', None)
        return needs
    needs.failure = decorator_failure(fn, rules)
    if needs.failure:
        return needs
    if not rules.allow_global and (facts.global_stmt or facts.nonlocal_stmt):
        needs.failure = ('global' if facts.global_stmt else 'nonlocal', None)
        return needs
    needs.failure = _unsafe(facts.reads, facts.binds, facts.attributes, facts.attribute_calls, module, rules)
    if needs.failure:
        return needs
    for imported, level in facts.imports:
        needs.failure = import_failure(imported, level, None, rules)
        if needs.failure:
            return needs
    for name in sorted(facts.reads - facts.binds):
        if name != fn.name and not _resolve(name, module, rules, needs, allow_funcs=True):
            return needs
    return needs


def constant_needs(name, module, rules):
    needs = Needs()
    value = module.bindings[name].node.value
    reads, attributes, calls = set(), set(), set()
    for node in ast.walk(value):
        kind = type(node)
        if kind is ast.Name:
            reads.add(node.id)
        elif kind is ast.Attribute:
            attributes.add(node.attr)
        elif kind is ast.Call and type(node.func) is ast.Attribute:
            calls.add(node.func.attr)
    needs.failure = _unsafe(reads, set(), attributes, calls, module, rules)
    if needs.failure:
        return needs
    for read in sorted(reads):
        if not _resolve(read, module, rules, needs, allow_funcs=False):
            return needs
    return needs


class Closure:
    """Everything an entry function needs, transitively; or the first failure, with where."""

    def __init__(self, entry, entry_needs, module, rules):
        self.failure = None
        self.imports = {}
        self.consts = set()
        self.funcs = {}  # name -> Needs
        pending = [(entry, entry_needs)]
        seen_consts = set()
        while pending:
            name, needs = pending.pop()
            if needs.failure:
                reason, detail = needs.failure
                if name != entry:
                    detail = f'in {name}' + (f': {detail}' if detail else '')
                self.failure = (reason, detail)
                return
            self.imports.update(needs.imports)
            for const in needs.consts - seen_consts:
                seen_consts.add(const)
                self.consts.add(const)
                pending.append((const, cached(module, ('const', const), lambda c=const: constant_needs(c, module, rules))))
            for func in needs.funcs - self.funcs.keys():
                node = module.bindings[func].node
                self.funcs[func] = cached(module, ('func', id(node)), lambda n=node: function_needs(n, scan_function(n), module, rules))
                pending.append((func, self.funcs[func]))


def cached(module, key, compute):
    found = module.helpers.get(key)
    if found is None:
        found = module.helpers[key] = compute()
    return found


def _parts(entry_node, closure, module):
    """The carried statements in emitted order: constants, helpers (as (name, node))."""
    statements = {}
    for const in closure.consts:
        stmt = module.bindings[const].node
        statements[id(stmt)] = stmt
    consts = sorted(statements.values(), key=lambda stmt: module.position[id(stmt)])
    helpers = [(name, module.bindings[name].node) for name in closure.funcs if name != entry_node.name]
    helpers.sort(key=lambda item: module.position[id(item[1])])
    return consts, helpers


def assemble(entry_node, closure, module):
    """The self-contained source: imports, constants, helpers, then the function."""
    consts, helpers = _parts(entry_node, closure, module)
    head = []
    if module.future:
        head.append('from __future__ import ' + ', '.join(sorted(set(module.future))))
    head.extend(sorted(closure.imports, key=lambda text: (closure.imports[text], text)))
    blocks = []
    if head:
        blocks.append('\n'.join(head))
    if consts:
        blocks.append('\n'.join(module.segment(stmt) for stmt in consts))
    code = '\n\n'.join(blocks)
    for _, helper in helpers:
        code += ('\n\n\n' if code else '') + module.segment(helper)
    return code + ('\n\n\n' if code else '') + module.segment(entry_node) + '\n'


def code_id(entry_node, entry_needs, closure, module):
    """A hash of the normalised code: the same for code that differs only in comments, docstrings
    or formatting (functions by their scan fingerprint, constants by their AST)."""
    consts, helpers = _parts(entry_node, closure, module)
    parts = [sorted(set(module.future)), sorted(closure.imports)]
    parts.extend(ast.dump(stmt) for stmt in consts)
    parts.extend(closure.funcs[name].shape for name, _ in helpers)
    parts.append(entry_needs.shape)
    return hashlib.sha256(repr(parts).encode('utf-8', 'backslashreplace')).hexdigest()[:16]
