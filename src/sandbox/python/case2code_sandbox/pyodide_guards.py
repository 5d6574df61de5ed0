# The Python-side guards of the Pyodide backend: the second layer. The first is in JavaScript: once
# the worker is set up, every wasm import that reaches a JS object (the Pyodide bridge), a shell,
# a socket or the dynamic loader refuses, whatever Python does (pyodide/wasm-gate.ts). Here we
# take away what Python could use to try: the JS objects Pyodide left in Python's reach, the
# modules that lead to them, and (with an audit hook) imports and calls that have no business in
# a function under test.
import gc
import os
import sys

# Roots of modules that hold or make JS objects, or reach processes, sockets or raw memory.
BLOCKED_ROOTS = frozenset({
    'js', 'pyodide', 'pyodide_js', '_pyodide', '_pyodide_core', 'micropip',
    'ctypes', '_ctypes', '_testcapi', '_testinternalcapi', '_testlimitedcapi', '_testbuffer',
    '_testclinic', '_testclinic_limited', '_xxtestfuzz', '_remote_debugging', '_posixsubprocess',
    '_socket', 'socket', 'subprocess', 'multiprocessing', '_multiprocessing', 'mmap',
    'ssl', '_ssl', 'asyncio', '_asyncio', 'select', 'selectors', 'webbrowser', 'urllib.request',
    'http.client', 'ftplib', 'smtplib', 'telnetlib', 'xmlrpc', 'sqlite3', '_sqlite3',
})

# Modules Pyodide itself loaded that hold JS objects (or functions whose globals do).
_JS_MODULE_ROOTS = frozenset({'js', 'pyodide', 'pyodide_js', '_pyodide', '_pyodide_core', 'micropip'})

_BLOCKED_EVENTS = frozenset({
    'os.system', 'os.exec', 'os.posix_spawn', 'os.spawn', 'os.fork', 'os.forkpty', 'os.kill',
    'os.killpg', 'os.startfile', 'os.add_dll_directory', 'subprocess.Popen', 'pty.spawn',
    'gc.get_objects', 'gc.get_referrers', 'gc.get_referents', 'sys.addaudithook',
    'sys._current_frames', 'sys.remote_exec', 'code.__new__', 'marshal.load', 'marshal.loads',
    'urllib.Request', 'webbrowser.open', 'ctypes.dlopen', 'ctypes.dlsym', 'ctypes.cdata',
})
_BLOCKED_EVENT_PREFIXES = ('socket.', 'ctypes.', '_ctypes.', 'subprocess.', 'os.exec', 'os.spawn',
                           'os.posix_spawn', 'sqlite3.', 'ftplib.', 'smtplib.', 'http.', 'poplib.',
                           'imaplib.', 'nntplib.', 'telnetlib.')


def harden(hash_seed, enabled=True):
    """Apply the guards; returns how many JS proxies gc can still find (0 expected: the proxy
    classes stay, but no instance, i.e. no reference to a JS object)."""
    if enabled:
        _drop_js_objects()
        _fix_builtin_modules()
        os.environ.clear()
        os.environ.update({'HOME': '/tmp', 'LANG': 'C.UTF-8', 'PATH': '/', 'TMPDIR': '/tmp',
                           'PYTHONHASHSEED': str(hash_seed)})
    gc.collect()
    left = sum(1 for obj in gc.get_objects()
               if type(type(obj)).__module__ == 'pyodide.ffi' and type(type(obj)).__name__ in ('_JsProxyMetaClass', '_ABCMeta'))
    if enabled:
        sys.addaudithook(_audit)
    return left


def _root(name):
    return str.split(name, '.')[0] if isinstance(name, str) else ''


def _drop_js_objects():
    """Forget every route Pyodide left from Python to JS: its import hooks (the JS finder keeps
    `jsproxies`: js, pyodide_js), its modules (their functions' __globals__ hold proxies and the
    bridge's own functions), the excepthook it installed, asyncio's web event loop."""
    import builtins
    from importlib import machinery
    # What Pyodide patched in the standard library to go through JS: put back the originals
    # (their replacements would fail once the modules below are emptied).
    webloop = sys.modules.get('pyodide.webloop')
    if webloop is not None:
        import time
        time.sleep = getattr(webloop, '_orig_sleep', time.sleep)
        asyncio = sys.modules.get('asyncio')
        if asyncio is not None and hasattr(webloop, '_orig_run'):
            asyncio.run = webloop._orig_run
    builtins.__dict__.pop('___EvalCodeResultException', None)
    for finder in sys.meta_path:
        proxies = getattr(finder, 'jsproxies', None)
        if isinstance(proxies, dict):
            proxies.clear()
    standard = (machinery.BuiltinImporter, machinery.FrozenImporter, machinery.PathFinder)
    sys.meta_path[:] = [f for f in sys.meta_path if f in standard]
    sys.path_importer_cache.clear()
    sys.excepthook = sys.__excepthook__
    sys.displayhook = sys.__displayhook__
    asyncio_events = sys.modules.get('asyncio.events')
    if asyncio_events is not None:
        asyncio_events._event_loop_policy = None
    for name in list(sys.modules):
        module = sys.modules[name]
        if _root(name) in _JS_MODULE_ROOTS:
            namespace = getattr(module, '__dict__', None) if type(module).__name__ == 'module' else None
            if isinstance(namespace, dict):
                namespace.clear()
        if _root(name) in BLOCKED_ROOTS:
            sys.modules[name] = None
    for name in BLOCKED_ROOTS:
        sys.modules[name] = None


def _fix_builtin_modules():
    """`_imp.create_builtin` makes builtin modules such as _pyodide_core again without an import
    audit event. Instead of guarding it (any Python guard that holds the original can be robbed of
    it through frames), create every allowed builtin module now and keep only those: the
    replacement hands out these and nothing else, and the original is dropped."""
    import _imp
    allowed = {}
    for name in sys.builtin_module_names:
        if _root(name) in BLOCKED_ROOTS:
            continue
        try:
            allowed[name] = sys.modules.get(name) or __import__(name)
        except ImportError:
            pass

    def create_builtin(spec):
        name = getattr(spec, 'name', None)
        module = allowed.get(name) if type(name) is str else None
        if module is None:
            raise ImportError(f'module {name!r} is not available in the sandbox')
        return module

    _imp.create_builtin = create_builtin


def _audit(event, args):
    if event == 'import':
        name = args[0] if args else ''
        if _root(name) in BLOCKED_ROOTS or name in BLOCKED_ROOTS:
            raise ImportError(f'module {name!r} is not available in the sandbox')
    elif event in _BLOCKED_EVENTS or event.startswith(_BLOCKED_EVENT_PREFIXES):
        raise PermissionError(f'{event} is not allowed in the sandbox')
