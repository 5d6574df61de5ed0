# Checks on assembled, self-contained code, shared by the extract and extract-standalone tools. The
# code is defined in a fresh namespace, then CPython's own scope analysis (symtable) lists every
# global name any scope of it reads: each must be bound by the code itself or be a builtin.
# Python 3.14 evaluates annotations lazily, so defining alone would not catch an unresolved name in
# an annotation.
import builtins
import symtable

from case2code_sandbox import api as harness

BUILTIN_NAMES = frozenset(name for name in dir(builtins)
                           if not name.startswith('__') or name in ('__debug__', '__build_class__'))


def global_reads(code):
    """Every name some scope of `code` reads as a global (sorted), by CPython's symtable."""
    names = set()
    tables = [symtable.symtable(code, '<extracted>', 'exec')]
    while tables:
        table = tables.pop()
        for sym in table.get_symbols():
            if sym.is_referenced() and sym.is_global():
                names.add(sym.get_name())
        tables.extend(table.get_children())
    return sorted(names)


def define_check(code, entry):
    """Define `code` in a fresh namespace. None when the entry is defined and every global it (or
    anything it carries) reads resolves; else (reason, detail)."""
    namespace = harness.fresh_namespace()
    harness.checkpoint()
    _, exc, _, _ = harness.run_captured(lambda: exec(compile(code, '<extracted>', 'exec'), namespace))
    if isinstance(exc, KeyboardInterrupt):
        return ('define-timeout', 'defining the code took too long')
    if exc is not None:
        return ('define-error', f'{type(exc).__name__}: {exc}'[:200])
    if not callable(namespace.get(entry)):
        return ('define-error', f'{entry} is not defined as a function')
    for name in global_reads(code):
        if name not in namespace and name not in BUILTIN_NAMES:
            return ('unresolved-name:' + name, 'read as a global but bound nowhere in the code')
    return None
