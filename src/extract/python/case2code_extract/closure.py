# Everything an entry function needs, transitively, across the modules of its package, and the
# self-contained code made of it: imports, constants (each before what reads it), helpers, then the
# function. Definitions from several modules share one namespace in that code, so a name two of
# them bind differently (or that shadows a builtin another reads) is a clash, and the function is
# rejected rather than emitted with one of them silently winning.
import ast
import hashlib

from case2code_extract.carry import constant_needs, function_needs
from case2code_extract.classes import class_needs
from case2code_extract.module_objects import namespace_lines
from case2code_extract.scan import scan_function


class Context:
    """What judging a file needs besides the file: the rules and its view of the package."""
    __slots__ = ('rules', 'package')

    def __init__(self, rules, package):
        self.rules = rules
        self.package = package


def cached(module, key, compute):
    found = module.helpers.get(key)
    if found is None:
        found = module.helpers[key] = compute()
    return found


def definition_needs(module, name, ctx):
    binding = module.bindings[name]
    if binding.kind == 'const':
        return cached(module, ('const', name), lambda: constant_needs(name, module, ctx))
    node = binding.node
    if binding.kind == 'class':
        return cached(module, ('class', id(node)), lambda: class_needs(node, module, ctx))
    return cached(module, ('func', id(node)), lambda: function_needs(node, scan_function(node, module.lazy_annotations), module, ctx))


class Closure:
    """The definitions an entry needs, or the first failure with where. `wants` are sibling modules
    it reaches that the call does not know: then the verdict waits for them (a failure is final
    only when it comes before anything wanted, so it is the same whenever the modules arrive)."""

    def __init__(self, entry, entry_needs, module, ctx, entry_key=None):
        self.failure = None
        self.wants = set()
        self.imports = {}  # text -> (module rank, statement order)
        self.defs = {}  # (id(module), name) -> (module, name, needs), in discovery order
        self.aliases = {}  # name -> key in defs: bound to that definition after it
        self.namespaces = {}  # name -> (module facts, attributes): bound after every definition
        self.ranks = {id(module): 0}
        self.module = module
        self.entry_needs = entry_needs
        # A method made a function is no top-level definition: a helper of its name is another one.
        self.entry_key = entry_key or (id(module), entry.name)
        self._names = {entry.name: ('def', self.entry_key)}
        # `via`: the module attribute a definition was carried for (module_objects.py): what fails
        # below it fails that attribute, so the function is a `module-object` reject.
        pending = [(entry.name, module, entry_needs, None)]
        while pending:
            name, facts, needs, via = pending.pop()
            self.wants |= needs.wants
            if needs.failure:
                self._fail(needs.failure, name, facts, module, entry, via)
            for bound, (source, attrs, at_definition) in needs.namespaces.items():
                if at_definition is not None and needs is not entry_needs:
                    # The namespace is bound after every carried definition: only the entry, last,
                    # may read it when it is defined (a decorator, a default).
                    self._fail(('module-object', f'{bound}.{at_definition} is read when {name} is defined'), name, facts, module, entry, None)
                elif self._claim(bound, ('namespace', id(source))):
                    held = self.namespaces.setdefault(bound, (source, set()))
                    held[1].update(attrs)
            if self.failure and not self.wants:
                return
            for text, (source, order, bound, what) in needs.imports.items():
                self._claim(bound, ('import', what))
                self.imports.setdefault(text, (self._rank(source), order))
            for builtin in sorted(needs.builtins):
                self._claim(builtin, ('builtin', builtin))
            for key, (source, found) in needs.defs.items():
                if key == self.entry_key or key in self.defs:
                    continue
                if not self._claim(found, ('def', key)):
                    continue
                self._rank(source)
                found_needs = definition_needs(source, found, ctx)
                self.defs[key] = (source, found, found_needs)
                pending.append((found, source, found_needs, needs.via.get(key, via)))
            for alias, key in needs.aliases.items():
                if self._claim(alias, ('def', key)):
                    self.aliases.setdefault(alias, key)
            if self.failure and not self.wants:
                return

    def rank(self, module):
        return self.ranks[id(module)]

    def _rank(self, module):
        return self.ranks.setdefault(id(module), len(self.ranks))

    def _claim(self, name, identity):
        held = self._names.setdefault(name, identity)
        if held == identity:
            return True
        if self.failure is None:
            self.failure = ('name-clash:' + name, 'two carried definitions bind this name differently')
        return False

    def _fail(self, failure, name, facts, module, entry, via):
        if self.failure is not None:
            return
        reason, detail = failure
        if not (facts is module and name == entry.name):
            where = name if facts is module else f'{facts.name}.{name}'
            detail = f'in {where}' + (f': {detail}' if detail else '')
        if via is not None:
            reason, detail = 'module-object', f'{via}: {reason}' + (f' ({detail})' if detail else '')
        self.failure = (reason, detail)


def _module_order(closure):
    """Each carried module before the modules whose definitions need it (a base class, a decorator
    or a default is read when its def runs), the entry's module last; modules that need each other
    keep the order they were found in."""
    edges = {}
    for facts, _, needs in [(closure.module, None, closure.entry_needs)] + list(closure.defs.values()):
        targets = edges.setdefault(id(facts), [])
        for dep in needs.defs:
            found = closure.defs.get(dep)
            if found is not None and found[0] is not facts and id(found[0]) not in targets:
                targets.append(id(found[0]))
    order, state = {}, {}
    stack = [(id(closure.module), False)]
    while stack:
        at, expanded = stack.pop()
        if expanded:
            order[at] = len(order)
            continue
        if at in state:
            continue
        state[at] = True
        stack.append((at, True))
        for target in reversed(edges.get(at, [])):
            if target not in state:
                stack.append((target, False))
    return order


def _parts(closure):
    """The carried statements in emitted order: constants, each after those it reads (in source
    order within a module), then helpers, module by module (_module_order), in source order."""
    modules = _module_order(closure)

    def place(key):
        facts, name, _ = closure.defs[key]
        return (modules.get(id(facts), len(modules)), closure.rank(facts), facts.position[id(facts.bindings[name].node)])

    consts = []
    done = set()

    def visit(key):
        stack = [(key, False)]
        while stack:
            at, expanded = stack.pop()
            facts, name, needs = closure.defs[at]
            if expanded:
                consts.append(facts.bindings[name].node)
                continue
            if at in done:
                continue
            done.add(at)
            stack.append((at, True))
            for dep in reversed(list(needs.defs)):
                if dep in closure.defs and dep not in done:
                    stack.append((dep, False))

    const_keys = [key for key, (facts, name, _) in closure.defs.items() if facts.bindings[name].kind == 'const']
    for key in sorted(const_keys, key=place):
        visit(key)
    statements = []
    seen = set()
    for stmt in consts:
        if id(stmt) not in seen:  # `A = B = 1` binds two names with one statement
            seen.add(id(stmt))
            statements.append(stmt)
    owner = {}
    for facts, name, _ in closure.defs.values():
        owner[id(facts.bindings[name].node)] = facts
    const_set = set(const_keys)
    helper_keys = sorted((key for key in closure.defs if key not in const_set), key=place)
    helpers = [closure.defs[key] for key in helper_keys]
    return [(owner[id(stmt)], stmt) for stmt in statements], helpers


def _futures(closure, module):
    names = set(module.future)
    for facts, _, _ in closure.defs.values():
        names.update(facts.future)
    return sorted(names)


def assemble(entry_node, closure, module):
    """The self-contained source: imports, constants, helpers, then the function."""
    consts, helpers = _parts(closure)
    head = []
    futures = _futures(closure, module)
    if futures:
        head.append('from __future__ import ' + ', '.join(futures))
    head.extend(sorted(closure.imports, key=lambda text: closure.imports[text] + (text,)))
    blocks = []
    if head:
        blocks.append('\n'.join(head))
    if consts:
        blocks.append('\n'.join(facts.segment(stmt) for facts, stmt in consts))
    code = '\n\n'.join(blocks)
    for facts, name, _ in helpers:
        code += ('\n\n\n' if code else '') + facts.segment(facts.bindings[name].node)
    aliases = _alias_lines(closure)
    if aliases:
        code += ('\n\n' if code else '') + '\n'.join(aliases)
    for lines in _namespaces(closure):
        code += ('\n\n\n' if code else '') + '\n'.join(lines)
    return code + ('\n\n\n' if code else '') + module.segment(entry_node) + '\n'


def _alias_lines(closure):
    """`other = thing` for `from .x import thing as other`, where the entry module imported it so."""
    return [f'{alias} = {closure.defs[key][1]}' for alias, key in sorted(closure.aliases.items()) if key in closure.defs]


def _namespaces(closure):
    return [namespace_lines(name, sorted(attrs)) for name, (_, attrs) in sorted(closure.namespaces.items())]


def code_id(entry_node, entry_needs, closure, module):
    """A hash of the normalised code: the same for code that differs only in comments, docstrings
    or formatting (functions by their scan fingerprint, constants by their AST)."""
    consts, helpers = _parts(closure)
    parts = [_futures(closure, module), sorted(closure.imports)]
    parts.extend(ast.dump(stmt) for _, stmt in consts)
    parts.extend(needs.shape for _, _, needs in helpers)
    parts.append(entry_needs.shape)
    if closure.aliases:
        parts.append(_alias_lines(closure))
    if closure.namespaces:
        parts.append(_namespaces(closure))
    return hashlib.sha256(repr(parts).encode('utf-8', 'backslashreplace')).hexdigest()[:16]
