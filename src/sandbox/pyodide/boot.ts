// Starting an interpreter thread's Pyodide: load it with the wasm gate in place, give it a scratch
// file system, the channel's devices and case2code's Python packages, let the Python side set
// itself up, then lock the gate, take away the JS entry points and take the memory image that
// every job starts from.
import fs, { constants as fsConstants } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import type { Shared } from './channel.js';
import type { Devices } from './devices.js';
import { InterpreterImage } from './image.js';
import { FileSystemImage, SCRATCH } from './scratch.js';
import type { InterpreterData, ToMain } from './threads.js';
import { WasmGate } from './wasm-gate.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- Pyodide's Emscripten module is untyped */
const PYTHON_ROOT_IN_FS = '/c2c';
const ENTRY = 'import case2code_sandbox.pyodide_entry as _c2c\n_c2c.run_job()\n';

export interface Interpreter {
  module: any;
  image: InterpreterImage;
  /** A C string in wasm memory: the one statement each job runs (PyRun_SimpleString). */
  entry: number;
}

/** Pyodide decrefs a PyProxy's Python object when JS collects the proxy: a call into wasm at a
 * moment we do not choose (between jobs, after the image was put back). Proxies made during set-up
 * are simply kept. Must run before Pyodide is loaded. */
function disableFinalizers(): void {
  (globalThis as any).FinalizationRegistry = class {
    register(): void {}
    unregister(): boolean {
      return false;
    }
  };
}

function copyPythonRoots(FS: any, roots: string[]): string[] {
  let total = 0;
  const copy = (from: string, to: string) => {
    FS.mkdirTree(to);
    for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
      if (entry.name.startsWith('.') || entry.name === '__pycache__') continue;
      const source = path.join(from, entry.name);
      if (entry.isDirectory()) copy(source, `${to}/${entry.name}`);
      else if (entry.isFile() && entry.name.endsWith('.py')) {
        const bytes = fs.readFileSync(source);
        total += bytes.length;
        if (total > 64 * 1024 * 1024) throw new Error('the python roots hold over 64 MB of .py files');
        FS.writeFile(`${to}/${entry.name}`, bytes);
      }
    }
  };
  return roots.map((root, i) => {
    const target = `${PYTHON_ROOT_IN_FS}/${i}`;
    copy(root, target);
    return target;
  });
}

/** The JS entry points a Python escape would look for, removed once we no longer need them
 * (a second layer: the gate already keeps Python from reaching any JS object). */
function removeJsEntryPoints(pyodide: any, module: any): void {
  const refused = () => {
    throw new Error('not available in the sandbox');
  };
  for (const name of ['loadWebAssemblyModule', 'loadDynamicLibrary', 'loadSideModule', 'dlopen', 'mountNodeFS', 'mountNativeFS', 'runPython', 'runPythonAsync', 'loadPackage', 'registerJsModule', 'pyimport', 'ccall', 'cwrap']) {
    for (const owner of [module, module.API, pyodide, module.API?.public_api]) {
      if (owner && name in owner) {
        try {
          owner[name] = refused;
        } catch {
          // a frozen property: the gate is what counts
        }
      }
    }
  }
  for (const fsName of ['NODEFS', 'NATIVEFS_ASYNC', 'IDBFS', 'WORKERFS', 'PROXYFS']) delete module.FS.filesystems[fsName];
  delete (globalThis as any).require;
  // The JS-level route from any function to arbitrary code: `x.constructor.constructor`.
  for (const proto of [Function.prototype, Object.getPrototypeOf(async function () {}), Object.getPrototypeOf(function* () {}), Object.getPrototypeOf(async function* () {})]) {
    Object.defineProperty(proto, 'constructor', { value: undefined, writable: false, configurable: false });
  }
}

/** Pyodide's loader reads pyodide.asm.wasm and instantiates it from bytes; hand it the module the
 * main thread compiled instead (compiling is most of a start-up). */
function usePrecompiledModule(module: WebAssembly.Module): void {
  const instantiate = WebAssembly.instantiate;
  (WebAssembly as any).instantiate = async (source: unknown, imports?: WebAssembly.Imports) => {
    const bytes = ArrayBuffer.isView(source) || source instanceof ArrayBuffer ? source.byteLength : 0;
    if (bytes < 1_000_000) return instantiate(source as any, imports); // Pyodide's small helper modules
    WebAssembly.instantiate = instantiate;
    return { module, instance: await instantiate(module, imports) };
  };
}

/** Under Node's permission model process.binding throws, but Emscripten's NODEFS reads fs
 * constants from it when the module is created (we never mount NODEFS; we drop it after set-up). */
function shimProcessBinding(): void {
  try {
    (process as any).binding('constants');
  } catch {
    (process as any).binding = (name: string) => {
      if (name === 'constants') return { fs: fsConstants };
      throw new Error(`process.binding(${name}) is not available in the sandbox`);
    };
  }
}

export async function boot(data: InterpreterData, shared: Shared, devices: Devices): Promise<{ interpreter: Interpreter; ready: Extract<ToMain, { type: 'ready' }> }> {
  disableFinalizers();
  shimProcessBinding();
  const require = createRequire(import.meta.url);
  const pyodideDir = data.init.pyodideDir ?? path.dirname(require.resolve('pyodide/pyodide.mjs'));
  const { loadPyodide } = (await import(pathToFileURL(path.join(pyodideDir, 'pyodide.mjs')).href)) as typeof import('pyodide');
  const createModule = (await import(pathToFileURL(path.join(pyodideDir, 'pyodide.asm.mjs')).href)).default as (settings: any) => Promise<any>;
  let heapCap = Infinity;
  const options = data.init.options;
  const gate = new WasmGate({ heapCapBytes: () => heapCap, onBlocked: (what) => devices.reportBlocked(what), signals: shared.interrupt });
  usePrecompiledModule(data.wasm);
  const pyodide: any = await loadPyodide({
    indexURL: pyodideDir + path.sep,
    jsglobals: Object.create(null), // `import js` would find nothing of this thread
    env: { HOME: SCRATCH, PYTHONHASHSEED: String(options.hashSeed), PYTHONDONTWRITEBYTECODE: '1', LANG: 'C.UTF-8' },
    stdin: () => null,
    stdout: () => {},
    stderr: () => {},
    createPyodideModule: (settings: any) => {
      const instantiate = settings.instantiateWasm;
      settings.instantiateWasm = (imports: Record<string, Record<string, unknown>>, done: unknown) => {
        gate.install(imports);
        return instantiate(imports, done);
      };
      return createModule(settings);
    },
  } as Parameters<typeof loadPyodide>[0]);
  const module = pyodide._module;
  const FS = module.FS;
  // Writes Python makes to its own stdout/stderr outside a call's capture go nowhere.
  pyodide.setStdout({ write: (buffer: Uint8Array) => buffer.length });
  pyodide.setStderr({ write: (buffer: Uint8Array) => buffer.length });
  pyodide.setInterruptBuffer(shared.interrupt);

  const files = new FileSystemImage(FS, { bytes: 64 * 1024 * 1024, fileBytes: options.fileSizeMb * 1024 * 1024, nodes: 10_000 });
  files.prepare();
  devices.register(FS);

  const paths = copyPythonRoots(FS, data.init.pythonRoots);
  const setupInit = JSON.stringify({ options, tools: data.init.tools, pythonGuards: data.init.pythonGuards !== false });
  // From here on Python runs only through this C entry point, not through Pyodide's API (whose
  // own Python modules the guards are about to empty).
  const setupCode = module.stringToNewUTF8(
    `import sys\nsys.path[:0] = ${JSON.stringify(paths)}\nimport case2code_sandbox.pyodide_entry as _c2c\n_c2c.setup()\ndel _c2c, sys\n`,
  ) as number;
  devices.beginSetup(setupInit);
  const status = module._PyRun_SimpleString(setupCode) as number;
  const said = devices.endSetup();
  module._free(setupCode);
  const reply = said ? JSON.parse(said) : {};
  if (status !== 0 || !reply.setup) throw new Error(`the interpreter could not be set up: ${reply.setupError ?? `PyRun_SimpleString returned ${status}`}`);
  const answer = reply.setup as { python: string; jsObjectsLeft: number };
  const entry = module.stringToNewUTF8(ENTRY) as number;

  gate.lock();
  removeJsEntryPoints(pyodide, module);
  const image = new InterpreterImage(module, files);
  heapCap = image.size + options.memoryMb * 1024 * 1024;
  const layers: Record<string, string> = {
    'wasm-import-gate': `active: ${gate.gated.size} imports (the JS bridge, the loader, logging, ...) refuse once set up; shell, sockets, name lookups and timers are stubbed`,
    'heap-cap': `active: the wasm heap may grow by ${options.memoryMb} MB over the interpreter's own`,
    'memory-reset': 'active: linear memory, stack pointer and file system are put back to the start-up image after every job',
    'read-only-filesystem': 'active: in-memory only (no host files); all but a fresh, capped /tmp is read-only',
    'python-guards': data.init.pythonGuards === false ? 'off: turned off for a test' : `active: JS modules and finders dropped (${answer.jsObjectsLeft} JS proxies left), audit hook on imports, processes, sockets, code objects`,
    'cpu-time-limits': 'active: per-call windows in CPU time with an interrupt, a wall-clock backstop, a CPU budget per job',
  };
  return { interpreter: { module, image, entry }, ready: { type: 'ready', python: answer.python, pyodide: pyodide.version, layers } };
}
