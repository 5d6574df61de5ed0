# Decide which names a function needs and whether they can be supplied: allowed imports, constants,
# and other functions that pass the same safety rules (helpers), from the function's own module or
# from sibling modules of its package (relative and intra-package imports), which are carried the
# same way. Every definition is named by (module, name); closure.py puts them together.
import ast

from case2code_extract.check import BUILTIN_NAMES
from case2code_extract.module_objects import Scope, carry_module_object
from case2code_extract.package import PENDING, absolute_module, own_package, sibling_module
from case2code_extract.scan import constant_bound_names


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
        self.file_calls = frozenset(raw['fileCalls'])
        self.carry_package = raw.get('carryPackage', True)
        self.carry_classes = raw.get('carryClasses', True)
        self.lift_methods = raw.get('liftMethods', True)
        self.lift_attribute_reads = raw.get('liftAttributeReads', True)
        self.private_entries = raw.get('privateEntries', 'keep')

    def module_allowed(self, name):
        parts = name.split('.')
        return any('.'.join(parts[:i]) in self.allowed_modules for i in range(1, len(parts) + 1))


class Needs:
    """What one function or constant needs directly, or why it cannot be carried. `wants` lists the
    sibling modules it reaches that the call does not know yet (the verdict waits for them)."""
    __slots__ = ('failure', 'imports', 'defs', 'aliases', 'builtins', 'wants', 'shape', 'scope', 'namespaces', 'via')

    def __init__(self, shape=None, scope=None):
        self.failure = None  # (reason, detail)
        self.shape = shape  # a function's fingerprint (scan_function)
        self.imports = {}  # statement text -> (module facts, order, bound name, what it binds)
        self.defs = {}  # (id(module facts), name) -> (module facts, name): constants and helpers
        self.aliases = {}  # name -> the key in defs it is another name of (`import x as y`)
        self.builtins = set()
        self.wants = set()
        self.scope = scope  # where its free names are used (module_objects.py), None for a constant
        self.namespaces = {}  # name -> (module facts, attributes, read at definition): module objects
        self.via = {}  # key in defs -> the module attribute it was carried for (`docutils.nodes.Element`)


def import_failure(module, level, name, rules):
    if level:
        return ('relative-import', f'from {"." * level}{module} import ...')
    if name in rules.file_calls:  # `from codecs import open`: an allowed module's file opener
        return ('io-call', f'from {module} import {name}')
    if rules.module_allowed(module) or (name and rules.module_allowed(f'{module}.{name}')):
        return None
    return ('disallowed-import:' + module, None)


def _binds(imported, member, text):
    """What an allowed import binds, so that the same object imported by two modules is one name."""
    if member is not None:
        return ('from', imported, member)
    return ('module', imported if ' as ' in text else imported.split('.')[0])


def _resolve(name, module, ctx, needs, allow_funcs, used_as_object=False, hops=0):
    """Record where a free name comes from; False (with needs.failure set) if nowhere allowed."""
    binding = module.bindings.get(name)
    if binding is None and module.star_sources and ctx.rules.carry_package and hops < 8:
        found = _from_star(name, module, ctx, needs)
        if found is not None:
            return True if found is PENDING else _resolve(name, found, ctx, needs, allow_funcs, used_as_object, hops + 1)
    if binding is None:
        if name in BUILTIN_NAMES:
            needs.builtins.add(name)
            return True
        detail = 'a star import may bind it' if module.star_imports else None
        if hops:
            detail = f'not defined in {module.name}' + (f' ({detail})' if detail else '')
        needs.failure = ('unresolved-name:' + name, detail)
        return False
    kind = binding.kind
    if kind == 'import':
        for imported, level, text, member in binding.imports:
            target = _package_target(module, imported, level, ctx.rules)
            if target is not None:
                if len(binding.imports) > 1:
                    needs.failure = ('unresolved-name:' + name, 'imported twice')
                    return False
                return _resolve_sibling(name, target, member, text, ctx, needs, allow_funcs, used_as_object, hops)
            failure = import_failure(imported, level, member, ctx.rules)
            if failure:
                if level and module.name is not None and ctx.rules.carry_package:
                    failure = ('relative-import', f'{text}: climbs past the top package')
                needs.failure = failure
                return False
            needs.imports[text] = (module, binding.order, name, _binds(imported, member, text))
        return True
    if kind == 'const':
        value = binding.node.value
        if type(value) is ast.Name and value.id == name and name in BUILTIN_NAMES:
            needs.builtins.add(name)  # `str = str` (a compatibility module): the builtin itself
            return True
        if name in module.rebound:
            needs.failure = ('rebound-global:' + name, 'a function rebinds it with `global`: its value at run time is not the one at module level')
            return False
        if used_as_object and type(value) is ast.Constant and value.value is None:
            needs.failure = ('stub-global:' + name, 'None at module level but used as an object: set elsewhere at run time')
            return False
        needs.defs[(id(module), name)] = (module, name)
        return True
    if (kind == 'func' or (kind == 'class' and ctx.rules.carry_classes)) and allow_funcs:
        needs.defs[(id(module), name)] = (module, name)
        return True
    what = {'class': 'a class (not carried)' if not ctx.rules.carry_classes else 'a class (constants cannot call it)',
            'func': 'a function (constants cannot call them)'}
    detail = what.get(kind, 'bound conditionally, twice, or by a non-constant value')
    needs.failure = ('unresolved-name:' + name, detail + (f' in {module.name}' if hops else ''))
    return False


def _from_star(name, module, ctx, needs, depth=0):
    """The sibling module whose `import *` binds `name` (the last one that does, as in Python),
    PENDING while one of them is not known yet, or None. A module that binds it by a star import
    of its own counts too (`from .core import *` where core does `from .exceptions import *`)."""
    for imported, level in reversed(module.star_sources):
        target = _package_target(module, imported, level, ctx.rules)
        if target is None:
            continue
        source = ctx.package.module(target)
        if source is PENDING:
            needs.wants.add(target)
            return PENDING
        if source is None or source is module:
            continue
        if source.exports(name):
            return source
        if depth < 4 and name not in source.bindings and source.star_sources and source.exports_all_public():
            inner = _from_star(name, source, ctx, needs, depth + 1)
            if inner is not None:
                return PENDING if inner is PENDING else source
    return None


def _package_target(module, imported, level, rules):
    """The absolute module an import names when it is one of the module's own package (carried),
    else None (an ordinary import, allowed or not)."""
    if not rules.carry_package or module.name is None:
        return None
    if level:
        return absolute_module(module, imported, level)
    if own_package(module, imported) and not rules.module_allowed(imported):
        return imported
    return None


def _resolve_sibling(name, target, member, text, ctx, needs, allow_funcs, used_as_object, hops):
    """`name` is imported from `target`, a module of the same package: it means there what it means
    in that module, so it is resolved there (and carried from there)."""
    if hops >= 8:
        needs.failure = ('import-cycle', f'{text}: imported through more than 8 modules')
        return False
    if member is None:  # `import pkg.mod as name` binds pkg.mod, `import pkg.mod` binds pkg
        return carry_module_object(name, target if ' as ' in text else target.split('.')[0], text, ctx, needs, _resolve, hops)
    source = sibling_module(target, text, ctx, needs)
    if source is PENDING or source is None:
        return source is PENDING  # wanted: the verdict waits; missing: the failure is set
    if member not in source.bindings:
        # `from pkg import sub`: a submodule, unless the package's __init__ binds the name.
        submodule = ctx.package.exists(f'{target}.{member}')  # no need to parse it to know
        if submodule is PENDING:
            needs.wants.add(f'{target}.{member}')
            return True
        if submodule:
            return carry_module_object(name, f'{target}.{member}', text, ctx, needs, _resolve, hops)
    if member != name:
        return _aliased(name, member, source, text, ctx, needs, allow_funcs, used_as_object, hops)
    return _resolve(member, source, ctx, needs, allow_funcs, used_as_object, hops + 1)


def _aliased(name, member, source, text, ctx, needs, allow_funcs, used_as_object, hops):
    """`from .x import thing as other`: an allowed import the sibling makes is imported under the
    alias; a definition is carried under its own name, and the alias bound to it after it, as the
    import would bind it."""
    binding = source.bindings.get(member)
    if binding is not None and binding.kind in ('const', 'func', 'class'):
        if not _resolve(member, source, ctx, needs, allow_funcs, used_as_object, hops + 1):
            return False
        key = (id(source), member)
        if key in needs.defs:  # else a builtin under another name: nothing to bind
            needs.aliases[name] = key
        return True
    if binding is not None and binding.kind == 'import' and len(binding.imports) == 1:
        imported, level, original, inner = binding.imports[0]
        if _package_target(source, imported, level, ctx.rules) is None and not import_failure(imported, level, inner, ctx.rules):
            if inner is not None:
                alias = f'from {imported} import {inner} as {name}'
                what = ('from', imported, inner)
            else:
                target = imported if ' as ' in original else imported.split('.')[0]
                alias, what = f'import {target} as {name}', ('module', target)
            needs.imports[alias] = (source, binding.order, name, what)
            return True
    needs.failure = ('aliased-import', f'{text}: carried definitions keep their own names')
    return False


def _unsafe(reads, binds, attributes, attribute_calls, module, rules):
    for name in sorted((reads & rules.forbidden_builtins) - binds):
        if name not in module.bindings:
            return ('io-call', name)
    for attr in sorted(attributes & rules.forbidden_attributes):
        return ('introspection', attr)
    for attr in sorted(attribute_calls & rules.nondeterministic_calls):
        return ('nondeterministic-call', attr)
    # Read, not only called: `opener = codecs.open` opens files as well.
    for attr in sorted((attributes | attribute_calls) & rules.file_calls):
        return ('io-call', attr)
    return None


def decorator_failure(fn, rules, module=None, also=()):
    """Decorators are allowed by name (rules.allowedDecorators), or when they are defined in the
    function's own module or package: then they are carried like any helper (and judged by the same
    rules), so the decorated function computes what it computes there (`@pass_environment`), or
    imported from an allowed module (`@typing.runtime_checkable`, `@functools.singledispatch`)."""
    for decorator in fn.decorator_list:
        target = decorator.func if type(decorator) is ast.Call else decorator
        name = target.attr if type(target) is ast.Attribute else getattr(target, 'id', None)
        if name in rules.allowed_decorators or name in also:
            continue
        if module is not None and _package_defined(target, module, rules):
            continue
        return ('decorated', ast.unparse(decorator)[:100])
    return None


def _package_defined(target, module, rules):
    """Whether a decorator's root name is a def or class of the module, or imported from its
    package or from an allowed module (resolving it then decides whether it can be carried)."""
    while type(target) is ast.Attribute:
        target = target.value
    if type(target) is not ast.Name or not rules.carry_package:
        return False
    binding = module.bindings.get(target.id)
    if binding is None:
        return False
    if binding.kind in ('func', 'class'):
        return True
    return binding.kind == 'import' and all(
        _package_target(module, imported, level, rules) is not None or not import_failure(imported, level, member, rules)
        for imported, level, _, member in binding.imports)


def function_needs(fn, facts, module, ctx):
    """The direct needs of a top-level function of `module`, from its scan."""
    rules = ctx.rules
    needs = Needs(facts.shape, Scope(fn, module.lazy_annotations))
    if type(fn) is ast.AsyncFunctionDef and not rules.allow_async:
        needs.failure = ('async', None)
        return needs
    needs.failure = decorator_failure(fn, rules, module)
    if needs.failure:
        return needs
    if not rules.allow_global and (facts.global_stmt or facts.nonlocal_stmt):
        needs.failure = ('global' if facts.global_stmt else 'nonlocal', None)
        return needs
    needs.failure = _unsafe(facts.reads, facts.binds, facts.attributes, facts.attribute_calls, module, rules)
    if needs.failure:
        return needs
    for imported, level, member in facts.imports:
        needs.failure = import_failure(imported, level, member, rules)
        if needs.failure:
            return needs
    for name in sorted(facts.reads - facts.binds):
        if name != fn.name and not _resolve(name, module, ctx, needs, True, name in facts.objects):
            return needs
    return needs


def constant_needs(name, module, ctx):
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
    bound = constant_bound_names(value)
    # Every name counts for the forbidden builtins (a lambda's parameter named `eval` beside a
    # lambda that returns the builtin: the bound names are not scoped); only resolving skips them.
    needs.failure = _unsafe(reads, set(), attributes, calls, module, ctx.rules)
    if needs.failure:
        return needs
    for read in sorted(reads - bound):
        if not _resolve(read, module, ctx, needs, False):
            return needs
    return needs
