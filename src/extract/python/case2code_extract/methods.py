# Methods that are functions in all but name: a @staticmethod, or a method that never reads its
# instance (or class) parameter. Their code reads only globals and builtins (a method's body does
# not see its class's names), so without the class and without that parameter they compute exactly
# what the method computes: they are extracted as functions, under the method's own name, with the
# method's own text (dedented; only the signature line is rewritten, without the first parameter).
# Methods that need the class (`super()`, `__class__`, names the class mangles) or are protocol
# methods (`__repr__`, ...) are not candidates; nor is anything with other decorators, nor a method
# that reads a global of its own name.
import ast
import copy
import re

_PLAIN = ('staticmethod', 'classmethod')


def lifted_methods(module):
    """(class node, method node, lifted FunctionDef, text) for each candidate of each top-level class."""
    out = []
    for stmt in module.body:
        if type(stmt) is ast.ClassDef:
            for method in stmt.body:
                if type(method) is ast.FunctionDef:
                    lifted = lift_plain(method, module)
                    if lifted is not None:
                        out.append((stmt, method) + lifted)
    return out


def lift_plain(method, module):
    """The method as a function (lifted FunctionDef, text), if it never reads its first parameter."""
    name = method.name
    if dunder(name):
        return None
    kinds = [getattr(d, 'id', None) for d in method.decorator_list]
    if any(kind not in _PLAIN for kind in kinds) or len(kinds) > 1:
        return None
    static = kinds == ['staticmethod']
    positional = method.args.posonlyargs + method.args.args
    if not static and not positional:
        return None
    first = None if static else positional[0].arg
    # Most methods read `self`: its name a second time in their text says so without a walk (a
    # mention in a comment or docstring only loses a candidate).
    if first is not None:
        text = ''.join(module.lines[method.lineno - 1:method.end_lineno])
        if len(re.findall(r'\b%s\b' % re.escape(first), text)) > 1:
            return None
    for node in ast.walk(method):
        kind = type(node)
        # A read of its own name is a global of that name (a method is no variable of its body):
        # as a function of that name it would call itself instead.
        if kind is ast.Name and (node.id in (first, name, 'super', '__class__') or mangled(node.id)):
            return None
        if kind is ast.Attribute and mangled(node.attr):
            return None
        if kind is ast.arg and node is not (positional[0] if first else None) and mangled(node.arg):
            return None
    return rewritten(method, module, None if static else [])


def rewritten(method, module, first_params, replacements=()):
    """The method as a top-level def, its first parameter replaced by the `first_params` (None:
    kept, for a static method) and the text edits made: (FunctionDef, text), or None."""
    signature = copy.copy(method.args)
    if first_params is not None:
        if signature.posonlyargs:
            signature.posonlyargs = first_params + signature.posonlyargs[1:]
        else:
            signature.args = first_params + signature.args[1:]
    text = _method_text(method, module, signature, replacements)
    if text is None:
        return None
    try:
        return ast.parse(text).body[0], text
    except SyntaxError:
        return None


def dunder(name):
    return name.startswith('__') and name.endswith('__')


def mangled(name):
    return name.startswith('__') and not name.endswith('__')


def _method_text(method, module, signature, replacements=()):
    """The method as a top-level def: its lines dedented, the signature rewritten, and each
    (line, start, end, text) replacement made (columns in UTF-8 bytes, as ast counts them)."""
    indent = method.col_offset
    lines = module.lines[method.lineno - 1:method.end_lineno]
    if replacements:
        lines = list(lines)
        for lineno, start, end, new in sorted(replacements, reverse=True):
            raw = lines[lineno - method.lineno].encode('utf-8')
            lines[lineno - method.lineno] = (raw[:start] + new.encode('utf-8') + raw[end:]).decode('utf-8')
    dedented = []
    for line in lines:
        if line.strip() and not line[:indent].isspace():
            return None  # a string or continuation that starts left of the def: leave it alone
        dedented.append(line[indent:] if line.strip() else line.lstrip(' \t'))
    body_start = method.body[0].lineno - method.lineno  # index in `dedented` of the body's first line
    if body_start == 0:
        return None  # `def f(self, x): return x` is too short to be a sample anyway
    header_end = _header_end(dedented, body_start)
    if header_end is None:
        return None
    header = f'def {method.name}({ast.unparse(signature)})'
    if method.returns is not None:
        header += f' -> {ast.unparse(method.returns)}'
    text = header + ':\n' + ''.join(dedented[header_end:])
    return text.rstrip().replace('\r\n', '\n').replace('\r', '\n') + '\n'


def _header_end(lines, body_start):
    """The index of the first line after the signature: the first point where the lines so far
    parse as a complete `def` header."""
    for end in range(1, body_start + 1):
        try:
            ast.parse(''.join(lines[:end]) + '\n    pass\n')
            return end
        except SyntaxError:
            continue
    return None
