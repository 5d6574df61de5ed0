# What a job may change in the interpreter, and how it is put back afterwards. Loaded together with
# guards.py and harness.py, as one module.
import builtins
import gc
import os
import signal
import sys
import warnings

# Their attribute dicts are checked after every job and put back if a function patched them.
_PROTECTED_MODULES = ('math', 're', 'string', 'collections', 'itertools', 'functools', 'heapq',
                      'bisect', 'operator', 'json', 'random', 'decimal', 'fractions', 'statistics',
                      'datetime', 'copy', 'typing', 'os', 'sys', 'time')

_MISSING = object()


class _State:
    """What a job may change and end() puts back. Kept off module globals on purpose."""

    def __init__(self):
        self.builtins = dict(builtins.__dict__)
        self.modules = dict(sys.modules)
        self.module_dicts = {name: dict(sys.modules[name].__dict__)
                             for name in _PROTECTED_MODULES if name in sys.modules}
        self.recursion_limit = sys.getrecursionlimit()
        self.meta_path = list(sys.meta_path)
        self.path_hooks = list(sys.path_hooks)
        self.path = list(sys.path)
        self.environ = dict(os.environ)
        self.warning_filters = list(warnings.filters)
        self.int_max_str_digits = sys.get_int_max_str_digits()
        self.streams = (sys.stdin, sys.stdout, sys.stderr)
        self.cwd = os.getcwd()
        self.sigint = signal.getsignal(signal.SIGINT)


def restore(s):
    """Put back everything a job may have changed since the snapshot `s` was taken."""
    sys.stdin, sys.stdout, sys.stderr = s.streams
    sys.settrace(None)
    sys.setprofile(None)
    _free_monitoring_tools()
    _restore_dict(builtins.__dict__, s.builtins)
    modules = sys.modules
    _restore_dict(modules, s.modules)
    for name, saved in s.module_dicts.items():
        _restore_dict(modules[name].__dict__, saved)
    sys.setrecursionlimit(s.recursion_limit)
    sys.meta_path[:] = s.meta_path
    sys.path_hooks[:] = s.path_hooks
    sys.path[:] = s.path
    sys.path_importer_cache.clear()
    if os.environ != s.environ:
        os.environ.clear()
        os.environ.update(s.environ)
    warnings.filters[:] = s.warning_filters
    sys.set_int_max_str_digits(s.int_max_str_digits)
    signal.signal(signal.SIGINT, s.sigint)
    try:
        os.chdir(s.cwd)
    except OSError:
        pass
    gc.enable()
    decimal = modules.get('decimal')
    if decimal is not None:
        decimal.setcontext(decimal.Context())


def _restore_dict(current, saved):
    """Make `current` hold exactly `saved` again, touching only the entries that differ."""
    try:
        # dict equality runs in C and short-cuts on identical values: the common, untouched case.
        if current == saved:
            return
    except BaseException:  # a planted value with a hostile __eq__: restore entry by entry
        pass
    for key in [k for k in current if k not in saved]:
        del current[key]
    for key, value in saved.items():
        if current.get(key, _MISSING) is not value:
            current[key] = value


def _free_monitoring_tools():
    monitoring = getattr(sys, 'monitoring', None)
    if monitoring is None:
        return
    for tool_id in range(6):
        if monitoring.get_tool(tool_id) is not None:
            monitoring.set_events(tool_id, 0)
            for event in range(64):
                try:
                    monitoring.register_callback(tool_id, 1 << event, None)
                except ValueError:
                    break
            monitoring.free_tool_id(tool_id)
