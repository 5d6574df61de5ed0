# The guards of the sandbox, on the Python side: what untrusted code may not import or do. This
# file is loaded together with harness.py (guards first), as one module.
import os
import sys


# Modules whose import would hand Python a way out: the JS bridge, Pyodide's internals, raw memory
# (ctypes, the C-API test modules), processes and sockets.
_BLOCKED_ROOTS = frozenset({
    'js', 'pyodide', 'pyodide_js', '_pyodide', '_pyodide_core', 'micropip',
    'ctypes', '_ctypes', '_testcapi', '_testinternalcapi', '_testlimitedcapi', '_testbuffer',
    '_testclinic', '_testclinic_limited', '_xxtestfuzz', '_remote_debugging', '_posixsubprocess',
    '_socket', 'socket', 'subprocess', 'multiprocessing', '_multiprocessing', 'mmap',
    'ssl', '_ssl', 'asyncio', '_asyncio', 'select', 'selectors', 'webbrowser', 'urllib.request',
    'http.client', 'ftplib', 'smtplib', 'telnetlib', 'xmlrpc', 'sqlite3', '_sqlite3',
})

# Audit events refused outright (prefix match on the part before the first dot is not enough for
# `os.*`, which also covers harmless calls, so those are listed one by one).
_BLOCKED_EVENTS = frozenset({
    'os.system', 'os.exec', 'os.posix_spawn', 'os.spawn', 'os.fork', 'os.forkpty', 'os.kill',
    'os.killpg', 'os.startfile', 'os.add_dll_directory', 'subprocess.Popen', 'pty.spawn',
    'gc.get_objects', 'gc.get_referrers', 'gc.get_referents', 'sys.addaudithook',
    'sys._current_frames', 'sys.remote_exec', 'code.__new__',
    'urllib.Request', 'webbrowser.open', 'ctypes.dlopen', 'ctypes.dlsym', 'ctypes.cdata',
})
_BLOCKED_EVENT_PREFIXES = ('socket.', 'ctypes.', '_ctypes.', 'subprocess.', 'os.exec', 'os.spawn',
                           'os.posix_spawn', 'sqlite3.', 'ftplib.', 'smtplib.', 'http.', 'poplib.',
                           'imaplib.', 'nntplib.', 'telnetlib.')

def harden(hash_seed):
    """Close the routes from Python to the host that Pyodide leaves open by default."""
    # The JS import hook re-imports `js` and `pyodide_js` even after sys.modules forgets them.
    sys.meta_path[:] = [f for f in sys.meta_path if type(f).__name__ != 'JsFinder']
    for name in list(sys.modules):
        if name.split('.')[0] in _BLOCKED_ROOTS:
            sys.modules[name] = None
    for name in _BLOCKED_ROOTS:
        sys.modules[name] = None

    blocked_roots = _BLOCKED_ROOTS
    blocked_events = _BLOCKED_EVENTS
    blocked_prefixes = _BLOCKED_EVENT_PREFIXES

    def audit(event, args):
        if event == 'object.__getattr__':
            # Generator and coroutine frames would expose the locals of _gatekeeper below.
            if args[1] in ('gi_frame', 'cr_frame', 'ag_frame'):
                raise AttributeError(f'{args[1]} is not available in the sandbox')
        elif event == 'import':
            name = args[0] or ''
            if name.split('.')[0] in blocked_roots or name in blocked_roots:
                raise ImportError(f'module {name!r} is not available in the sandbox')
        elif event in blocked_events or event.startswith(blocked_prefixes):
            raise PermissionError(f'{event} is not allowed in the sandbox')

    sys.addaudithook(audit)
    _guard_builtin_creation()
    # Nothing of the host's environment is kept; a few neutral values stay for code that reads them.
    os.environ.clear()
    os.environ.update({'HOME': '/home/pyodide', 'LANG': 'C.UTF-8', 'PATH': '/',
                       'PYTHONHASHSEED': str(hash_seed)})


def _gatekeeper(original, blocked_roots, spec_type):
    """A generator that owns the real _imp.create_builtin: its frame (and so `original`) is not
    reachable from Python once gi_frame is refused, unlike a closure cell or a default argument."""
    spec = yield
    while True:
        try:
            if type(spec) is not spec_type or type(spec.name) is not str:
                result = TypeError('create_builtin expects a ModuleSpec')
            elif spec.name.split('.')[0] in blocked_roots:
                result = ImportError(f'module {spec.name!r} is not available in the sandbox')
            else:
                result = (original(spec),)
        except BaseException as exc:  # handed back, never raised through this frame
            result = exc.with_traceback(None)
        spec = yield result


def _guard_builtin_creation():
    """`_imp.create_builtin` re-creates builtin modules (such as _pyodide_core) without an import
    audit event; route it through the gatekeeper."""
    import _imp
    from importlib.machinery import ModuleSpec
    # A fresh `_imp` would carry the original create_builtin again.
    gate = _gatekeeper(_imp.create_builtin, _BLOCKED_ROOTS | {'_imp'}, ModuleSpec)
    next(gate)

    def create_builtin(spec):
        result = gate.send(spec)
        if type(result) is tuple:
            return result[0]
        raise result

    _imp.create_builtin = create_builtin
