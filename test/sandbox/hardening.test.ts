// Each escape route Pyodide leaves open by default, tried from inside the sandbox. The checks look
// at the host (files on disk, connections to a listener, the pool's guard counters), not at what
// Python says about itself.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Sandbox } from '../../src/sandbox/sandbox.js';
import { pyFunction } from '../helpers/python.js';

const marker = path.join(os.tmpdir(), `case2code-escape-${process.pid}-${Date.now()}`);
const jsPayload = `globalThis.process.getBuiltinModule('fs').writeFileSync(${JSON.stringify(marker)}, 'escaped')`;

/** Python bodies, each trying one route to run `jsPayload` or a shell command that creates the marker. */
const ROUTES: Record<string, string> = {
  'os.system': `import os\nos.system("touch ${marker}")`,
  'posix.system': `import posix\nposix.system("touch ${marker}")`,
  subprocess: `import subprocess\nsubprocess.run(["touch", "${marker}"])`,
  'import js': `import js\njs.eval(${JSON.stringify(jsPayload)})`,
  'js via sys.modules.pop': `import sys\nsys.modules.pop('js', None)\nimport js\njs.eval(${JSON.stringify(jsPayload)})`,
  'js via importlib': `import importlib, sys\nsys.modules.pop('js', None)\nimportlib.import_module('js').eval(${JSON.stringify(jsPayload)})`,
  pyodide: `import pyodide.code\npyodide.code.run_js(${JSON.stringify(jsPayload)})`,
  pyodide_js: `import pyodide_js\npyodide_js.runPython('1')`,
  _pyodide_core: `import _pyodide_core\n_pyodide_core.to_js({}).constructor.constructor(${JSON.stringify(jsPayload)})()`,
  '_pyodide_core via _imp.create_builtin': `
    import _imp, importlib.machinery as m
    core = _imp.create_builtin(m.BuiltinImporter.find_spec('_pyodide_core'))
    core.to_js({}).constructor.constructor(${JSON.stringify(jsPayload)})()`,
  '_pyodide_core via the gate generator': `
    import _imp, importlib.machinery as m
    gate = _imp.create_builtin.__closure__[0].cell_contents
    original = gate.gi_frame.f_locals['original']
    core = original(m.BuiltinImporter.find_spec('_pyodide_core'))
    core.to_js({}).constructor.constructor(${JSON.stringify(jsPayload)})()`,
  'ctypes emscripten_run_script': `import ctypes\nctypes.CDLL(None).emscripten_run_script(${JSON.stringify(jsPayload)}.encode())`,
  'proxies via gc.get_objects': `
    import gc
    for obj in gc.get_objects():
        if 'Js' in type(obj).__name__:
            obj.constructor.constructor(${JSON.stringify(jsPayload)})()`,
  'proxies via module attributes': `
    import sys
    for module in list(sys.modules.values()):
        for value in list(vars(module).values()) if module else []:
            if 'Js' in type(value).__name__:
                try:
                    value.constructor.constructor(${JSON.stringify(jsPayload)})()
                except Exception:
                    pass
    raise RuntimeError('no proxy gave a way out')`,
};

describe('sandbox hardening (interpreter layers, in-process pool)', () => {
  let sandbox: Sandbox;
  before(async () => {
    rmSync(marker, { force: true });
    sandbox = await Sandbox.start({ workers: 1 });
  });
  after(async () => {
    await sandbox.close();
    rmSync(marker, { force: true });
  });

  for (const [route, body] of Object.entries(ROUTES)) {
    it(`blocks ${route}`, async () => {
      const [outcome] = await sandbox.runFunction({ code: pyFunction(body), entry: 'f', calls: [{}] });
      assert.equal(outcome.verdict, 'raise', JSON.stringify(outcome));
      assert.equal(existsSync(marker), false, `the marker file appeared on the host via ${route}`);
      // The pool is still serving after the attempt.
      const [next] = await sandbox.runFunction({ code: 'def g(x):\n    return x * 2\n', entry: 'g', calls: [{ args: ['21'] }] });
      assert.deepEqual(next.verdict === 'return' && next.repr, '42');
    });
  }

  it('lets no socket reach a listener on the host loopback', async () => {
    let connections = 0;
    const server = net.createServer((socket) => {
      connections++;
      socket.destroy();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as net.AddressInfo).port;
    const attempts = [
      `import socket\nsocket.create_connection(("127.0.0.1", ${port}), timeout=1)`,
      `import _socket\ns = _socket.socket()\ns.connect(("127.0.0.1", ${port}))`,
      `import sys, importlib\nsys.modules.pop('socket', None)\nimportlib.import_module('socket').create_connection(("127.0.0.1", ${port}))`,
      `import urllib.request\nurllib.request.urlopen("http://127.0.0.1:${port}/")`,
      `import http.client\nhttp.client.HTTPConnection("127.0.0.1", ${port}).request("GET", "/")`,
    ];
    try {
      for (const body of attempts) {
        const [outcome] = await sandbox.runFunction({ code: pyFunction(body), entry: 'f', calls: [{}] });
        assert.equal(outcome.verdict, 'raise', JSON.stringify(outcome));
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.equal(connections, 0);
    } finally {
      server.close();
    }
  });

  it('refuses to load extension modules after start-up (the host-side dlopen guard counts it)', async () => {
    const before = (await sandbox.stats()).blocked.dlopen ?? 0;
    const body = `
      import importlib.machinery, importlib.util
      path = '/tmp/evil.cpython-314-wasm32-emscripten.so'
      with open(path, 'wb') as f:
          f.write(b'\\0asm\\x01\\0\\0\\0')
      loader = importlib.machinery.ExtensionFileLoader('evil', path)
      spec = importlib.util.spec_from_file_location('evil', path, loader=loader)
      return importlib.util.module_from_spec(spec)`;
    const [outcome] = await sandbox.runFunction({ code: pyFunction(body), entry: 'f', calls: [{}] });
    assert.notEqual(outcome.verdict, 'return', JSON.stringify(outcome));
    const blocked = (await sandbox.stats()).blocked.dlopen ?? 0;
    assert.ok(blocked > before, `dlopen was not refused by the wasm guard (count ${before} -> ${blocked})`);
  });

  it('never touches the host file system', async () => {
    const hostFile = path.join(os.tmpdir(), `case2code-write-${process.pid}`);
    const body = `
      with open(${JSON.stringify(hostFile)}, 'w') as f:
          f.write('from the sandbox')
      try:
          with open('/etc/hostname') as f:
              return f.read()
      except OSError:
          return None`;
    const [outcome] = await sandbox.runFunction({ code: pyFunction(body), entry: 'f', calls: [{}] });
    assert.equal(outcome.verdict, 'return');
    assert.equal(existsSync(hostFile), false, 'a write inside the sandbox appeared on the host disk');
    if (existsSync('/etc/hostname')) {
      const hostName = readFileSync('/etc/hostname', 'utf8').trim();
      assert.ok(!(outcome.verdict === 'return' && hostName && outcome.repr.includes(hostName)), 'the sandbox read the host /etc/hostname');
    }
  });
});

describe('sandbox hardening (OS layers, child-process host)', () => {
  it('keeps the caller environment secret and reports its layers', async () => {
    const secret = `s3cret-${Math.random().toString(36).slice(2)}`;
    process.env.CASE2CODE_TEST_SECRET = secret;
    const sandbox = await Sandbox.start({ workers: 1 });
    try {
      const body = `
        import os
        seen = [repr(dict(os.environ))]
        try:
            import js
            seen.append(str(js.process.env))
        except Exception as e:
            seen.append(repr(e))
        return seen`;
      const [outcome] = await sandbox.runFunction({ code: pyFunction(body), entry: 'f', calls: [{}] });
      assert.equal(outcome.verdict, 'return');
      assert.ok(!JSON.stringify(outcome).includes(secret), 'the secret from the caller environment was readable');
      const layers = Object.fromEntries(sandbox.info.layers.map((l) => [l.name, l.active]));
      assert.equal(layers['clean-environment'], true);
      assert.equal(layers['separate-host-process'], true);
      assert.equal(layers['node-permission-model'], true);
    } finally {
      delete process.env.CASE2CODE_TEST_SECRET;
      await sandbox.close();
    }
  });
});
