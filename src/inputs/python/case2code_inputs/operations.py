# What Python's builtins, methods and operators say about the values they are used on: methods only
# a string, a list, a mapping or a set has, functions of numbers and of iterables, and small readers
# of the AST (isinstance() kinds, constant indices, names that hold the same items). Usage.py weighs
# them as evidence.
import ast

from case2code_inputs.hints import dotted_tail
from case2code_inputs.scan import MAPPING_METHODS

ALIAS_FUNCS = {'sorted', 'list', 'tuple', 'reversed', 'set'}  # calls whose result holds the same items
STR_METHODS = {
    'split', 'rsplit', 'strip', 'lstrip', 'rstrip', 'lower', 'upper', 'startswith', 'endswith',
    'replace', 'join', 'find', 'rfind', 'isdigit', 'isalpha', 'isalnum', 'isspace', 'islower',
    'isupper', 'isnumeric', 'isdecimal', 'format', 'encode', 'capitalize', 'title', 'swapcase',
    'splitlines', 'partition', 'rpartition', 'zfill', 'center', 'ljust', 'rjust', 'casefold',
    'expandtabs', 'translate', 'isidentifier', 'istitle', 'removeprefix', 'removesuffix',
}
LIST_METHODS = {'append', 'extend', 'insert', 'sort', 'reverse', 'remove'}
DICT_METHODS = MAPPING_METHODS
SET_METHODS = {'add', 'discard', 'union', 'intersection', 'difference', 'issubset', 'issuperset',
               'symmetric_difference', 'isdisjoint'}
SEQUENCE_METHODS = {'count': ('str', 'list'), 'index': ('str', 'list'), 'pop': ('list', 'dict'),
                    'copy': ('list', 'dict'), 'clear': ('list', 'dict')}
INT_FUNCS = {'range', 'chr', 'bin', 'hex', 'oct'}
# A number, int or float alike: (int weight, float weight) as shares of W_USE. A person passes
# whole numbers unless something asks for a fraction, so a tie goes to int (owntypes.py).
NUMBER_FUNCS = {'abs': (0.5, 0.35), 'round': (0.35, 0.5), 'divmod': (0.5, 0.35), 'pow': (0.5, 0.35)}
MATH_FLOAT = {'floor', 'ceil', 'trunc', 'isclose', 'isnan', 'isinf', 'isfinite', 'modf', 'frexp', 'fabs'}
MATH_INT = {'factorial', 'gcd', 'lcm', 'comb', 'perm', 'isqrt'}
# Methods only a string has whose arguments are strings too (`p.rfind(sep)`, `s.replace(a, b)`).
STR_ARG_METHODS = {'split', 'rsplit', 'strip', 'lstrip', 'rstrip', 'startswith', 'endswith', 'replace', 'find',
                   'rfind', 'partition', 'rpartition', 'removeprefix', 'removesuffix'}
# Methods whose literal argument is text the value holds: what it is split by, looks for, begins
# or ends with.
SUB_METHODS = {'split': 'split', 'rsplit': 'split', 'partition': 'split', 'rpartition': 'split', 'replace': 'has',
               'find': 'has', 'rfind': 'has', 'count': 'has', 'index': 'has', 'rindex': 'has',
               'startswith': 'prefix', 'endswith': 'suffix', 'removeprefix': 'prefix', 'removesuffix': 'suffix'}
# Methods that ask one character (or a short string) a question.
CHAR_METHODS = {'isdigit', 'isalpha', 'isalnum', 'isspace', 'islower', 'isupper', 'isnumeric', 'isdecimal'}
ITERABLE_FUNCS = {'sum', 'sorted', 'list', 'set', 'tuple', 'enumerate', 'reversed', 'any', 'all',
                  'zip', 'map', 'filter', 'frozenset', 'iter', 'min', 'max'}


def isinstance_kinds(node):
    nodes = node.elts if isinstance(node, ast.Tuple) else [node]
    kinds = []
    for item in nodes:
        name = dotted_tail(item)
        if name in ('int', 'float', 'str', 'bool', 'bytes', 'list', 'tuple', 'dict', 'set'):
            kinds.append(name)
        elif name in ('Number', 'Real', 'Integral'):
            kinds.extend(['int', 'float'])
        elif name in ('Iterable', 'Sequence'):
            kinds.append('list')
        elif name in ('Mapping', 'MutableMapping'):
            kinds.append('dict')
    return kinds


def int_constant(node):
    if isinstance(node, ast.Constant) and type(node.value) is int:
        return node.value
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        value = int_constant(node.operand)
        return -value if value is not None else None
    return None


def alias_source(value):
    """The parameter-like name whose items `value` holds: `xs`, `sorted(xs)`, `xs[:]`, `xs.copy()`."""
    if isinstance(value, ast.Name):
        return value.id
    if isinstance(value, ast.Call) and len(value.args) == 1 and isinstance(value.args[0], ast.Name) and \
            isinstance(value.func, ast.Name) and value.func.id in ALIAS_FUNCS:
        return value.args[0].id
    if isinstance(value, ast.Call) and not value.args and isinstance(value.func, ast.Attribute) and \
            value.func.attr == 'copy' and isinstance(value.func.value, ast.Name):
        return value.func.value.id
    if isinstance(value, ast.Subscript) and isinstance(value.slice, ast.Slice) and isinstance(value.value, ast.Name):
        return value.value.id
    return None
