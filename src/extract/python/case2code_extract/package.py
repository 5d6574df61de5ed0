# The modules of a file's own package, as one tool call knows them. Nothing here reads a file: the
# host supplies sibling modules by dotted name (their text, or None where the package has no such
# module), and a name this call does not know yet is `wanted`: the host reads it and calls again.
# A function's verdict is final only when nothing it reaches is wanted, so it does not depend on
# how many calls it took or which files shared one.
import ast
import warnings

from case2code_extract.scan import ModuleFacts

PENDING = object()  # a module this call does not know yet


class Package:
    """One file's view: its own module (name, whether it is an `__init__.py`) and the supplied ones."""

    def __init__(self, facts, supplied, parsed):
        self.facts = facts  # the file's own module (its name is None outside a package)
        self.supplied = supplied  # name -> {"text", "init"} or None, shared by the files of a call
        self.parsed = parsed  # name -> ModuleFacts or None (no such module, or it does not parse)

    def exists(self, name):
        """True or False without parsing it, or PENDING."""
        if name == self.facts.name or self.parsed.get(name) is not None:
            return True
        if name not in self.supplied:
            return PENDING
        return self.supplied[name] is not None

    def module(self, name):
        """ModuleFacts of a module of this package, None where there is none, or PENDING."""
        if name == self.facts.name:
            return self.facts
        if name in self.parsed:
            return self.parsed[name]
        if name not in self.supplied:
            return PENDING
        found = self.supplied[name]
        facts = None
        if found is not None:
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter('ignore')
                    facts = ModuleFacts(ast.parse(found['text']), found['text'], name, found['init'])
            except (SyntaxError, ValueError, RecursionError, MemoryError):
                facts = None
        self.parsed[name] = facts
        return facts


def absolute_module(facts, imported, level):
    """The absolute name a relative import in `facts` names, or None when it climbs past the top."""
    if facts.name is None:
        return None
    parts = facts.name.split('.')
    if not facts.init:
        parts = parts[:-1]  # a module's relative imports start from its package
    if level > len(parts):
        return None
    base = parts[:len(parts) - (level - 1)]
    return '.'.join(base + ([imported] if imported else []))


def own_package(facts, imported):
    """Whether an absolute import names the file's own top package."""
    return facts.name is not None and imported.split('.')[0] == facts.name.split('.')[0]


def sibling_module(target, text, ctx, needs):
    """The parsed module `target` of the package, for the import `text`; PENDING when the host has
    not sent it yet (then it is wanted), None when the package has no such module (then that is
    the failure)."""
    source = ctx.package.module(target)
    if source is PENDING:
        needs.wants.add(target)
    elif source is None:
        needs.failure = ('missing-module:' + target, text)
    return source
