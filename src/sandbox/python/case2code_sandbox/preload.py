# Modules the parent imports once, so a child finds them loaded (a fork shares them) instead of
# paying for the import in every function.
COMMON_MODULES = (
    'abc', 'array', 'ast', 'base64', 'binascii', 'bisect', 'calendar', 'cmath', 'collections',
    'collections.abc', 'copy', 'dataclasses', 'datetime', 'decimal', 'difflib', 'enum',
    'fractions', 'functools', 'hashlib', 'heapq', 'inspect', 'itertools', 'json', 'keyword',
    'math', 'numbers', 'operator', 'random', 're', 'statistics', 'string', 'struct', 'textwrap',
    'types', 'typing', 'unicodedata', 'zlib',
)


def preload_common_modules():
    for name in COMMON_MODULES:
        try:
            __import__(name)
        except ImportError:
            pass
