// Host-side witnesses for the hostile battery (hostile.test.ts). Each one looks at the host itself
// (files on disk, processes, listeners, the sandbox's own process tree), never at what the Python
// under test says about itself.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import dgram from 'node:dgram';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CallOutcomeSchema } from '../../src/contract/index.js';
import type { SandboxLimits } from '../../src/sandbox/types.js';
import type { CallOutcome } from '../../src/contract/index.js';

/** The repository's root (this file runs as dist/test/sandbox/hostile-helpers.js). */
export const REPO = fileURLToPath(new URL('../../../', import.meta.url));

/** A tag unique to this run, put in the name of every file the battery makes or looks for. */
export const TAG = `${process.pid}-${Date.now().toString(36)}`;

// ---- outcomes ----------------------------------------------------------------------------------

/** Every outcome has the schema's exact shape and types, and stays within the caps. */
export function assertWellFormed(outcomes: CallOutcome[], limits: SandboxLimits): void {
  for (const [index, outcome] of outcomes.entries()) {
    const parsed = CallOutcomeSchema.safeParse(outcome);
    if (!parsed.success) throw new Error(`outcome ${index} is malformed (${parsed.error.issues[0]?.message}): ${JSON.stringify(outcome).slice(0, 300)}`);
    const over = (what: string, length: number, cap: number) => {
      if (length > cap) throw new Error(`outcome ${index}: ${what} holds ${length} characters, over its cap of ${cap}`);
    };
    if ('repr' in outcome) over('repr', outcome.repr.length, limits.reprCap);
    if ('message' in outcome && outcome.message !== undefined) over('message', outcome.message.length, limits.reprCap + 200);
    if ('stdout' in outcome && outcome.stdout !== undefined) over('stdout', outcome.stdout.length, limits.outputCap);
    if ('type' in outcome) over('type', outcome.type.length, 200);
    if ('module' in outcome && outcome.module !== undefined) over('module', outcome.module.length, 200);
  }
}

/** Outcomes without their timings, which differ from run to run. */
export function withoutTimes(outcomes: CallOutcome[]): Omit<CallOutcome, 'ms'>[] {
  return outcomes.map((outcome) => {
    const { ms: _ms, ...rest } = outcome as CallOutcome & { ms?: number };
    return rest;
  });
}

// ---- processes -----------------------------------------------------------------------------------

/** A process the test starts outside the sandbox, in its own process group. */
export interface Victim {
  pid: number;
  /** Running or sleeping: not killed, not stopped. */
  alive(): boolean;
  /** Signals it caught (the node victim records the ones whose default is to be ignored or to end). */
  caught(): string[];
  stop(): void;
}

const CAUGHT = ['SIGWINCH', 'SIGURG', 'SIGCONT', 'SIGUSR2', 'SIGHUP', 'SIGTERM', 'SIGINT', 'SIGCHLD'];

export async function startVictim(kind: 'sleep' | 'node'): Promise<Victim> {
  const log = path.join(os.tmpdir(), `c2c-hostile-${TAG}-victim-${kind}-${Math.random().toString(36).slice(2)}`);
  const script = `const fs = require('fs');
for (const s of ${JSON.stringify(CAUGHT)}) process.on(s, () => fs.appendFileSync(${JSON.stringify(log)}, s + '\\n'));
setInterval(() => {}, 1000);
process.stdout.write('ready\\n');`;
  const child: ChildProcess = kind === 'sleep'
    ? spawn('sleep', ['60'], { detached: true, stdio: 'ignore' })
    : spawn(process.execPath, ['-e', script], { detached: true, stdio: ['ignore', 'pipe', 'ignore'] });
  await new Promise<void>((resolve, reject) => {
    child.once('error', reject);
    if (kind === 'sleep') child.once('spawn', () => resolve());
    else child.stdout!.once('data', () => resolve());
  });
  return {
    pid: child.pid!,
    alive() {
      if (child.exitCode !== null || child.signalCode !== null) return false;
      try {
        // Running or sleeping; a stopped (T, t) or dead (Z, X) victim did not survive.
        const stat = fs.readFileSync(`/proc/${child.pid}/stat`, 'utf8');
        return 'RSD'.includes(stat.slice(stat.lastIndexOf(')') + 2)[0]);
      } catch {
        return false;
      }
    },
    caught: () => (fs.existsSync(log) ? fs.readFileSync(log, 'utf8').split('\n').filter(Boolean) : []),
    stop() {
      try {
        process.kill(child.pid!, 'SIGKILL');
      } catch {
        // already gone: the assertion on alive() says so
      }
      fs.rmSync(log, { force: true });
    },
  };
}

interface TreeCount {
  processes: number;
  threads: number;
}

interface TreeProcess {
  pid: number;
  comm: string;
  threads: number;
}

/** The processes under `root` (not root itself), read from /proc. */
export function descendants(root = process.pid): TreeProcess[] {
  const children = new Map<number, TreeProcess[]>();
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
    } catch {
      continue; // gone meanwhile
    }
    // pid (comm) state ppid ... num_threads is field 20; comm may hold spaces and parentheses.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ppid = Number(fields[1]);
    const entry = { pid: Number(name), comm: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')), threads: Number(fields[17]) };
    children.set(ppid, [...(children.get(ppid) ?? []), entry]);
  }
  const found: TreeProcess[] = [];
  const todo = [...(children.get(root) ?? [])];
  while (todo.length > 0) {
    const entry = todo.pop()!;
    found.push(entry);
    todo.push(...(children.get(entry.pid) ?? []));
  }
  return found;
}

/** Processes and threads under `root` (not counting root itself). */
export function countDescendants(root = process.pid): TreeCount {
  const tree = descendants(root);
  return { processes: tree.length, threads: tree.reduce((sum, p) => sum + p.threads, 0) };
}

/** Waits until the processes and threads under the test stop changing (a replaced worker may still be starting). */
export async function settledDescendants(quietMs = 300, maxMs = 15_000): Promise<TreeCount> {
  const start = Date.now();
  let last = countDescendants();
  while (Date.now() - start < maxMs) {
    await new Promise((resolve) => setTimeout(resolve, quietMs));
    const now = countDescendants();
    if (now.processes === last.processes && now.threads === last.threads) return now;
    last = now;
  }
  return last;
}

/** What each open descriptor of `pid` refers to (`pipe:[N]`, `socket:[N]`, a path), by number. */
export function descriptors(pid: number): Map<number, string> {
  const found = new Map<number, string>();
  let names: string[] = [];
  try {
    names = fs.readdirSync(`/proc/${pid}/fd`);
  } catch {
    return found;
  }
  for (const name of names) {
    try {
      found.set(Number(name), fs.readlinkSync(`/proc/${pid}/fd/${name}`));
    } catch {
      // closed meanwhile
    }
  }
  return found;
}

/** Samples countDescendants() until stopped; the most seen at once. */
export function watchDescendants(everyMs = 5): { stop(): TreeCount } {
  const most: TreeCount = countDescendants();
  const timer = setInterval(() => {
    const now = countDescendants();
    most.processes = Math.max(most.processes, now.processes);
    most.threads = Math.max(most.threads, now.threads);
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      return most;
    },
  };
}

const pidNamespace = (pid: number) => {
  try {
    return fs.readlinkSync(`/proc/${pid}/ns/pid`);
  } catch {
    return undefined;
  }
};

/** The processes under `root` that run inside a jail: in another pid namespace (bubblewrap aside). */
export function jailedProcesses(root = process.pid): TreeProcess[] {
  const outside = pidNamespace(root);
  return descendants(root).filter((p) => p.comm !== 'bwrap' && pidNamespace(p.pid) !== outside);
}

/** A process's nice value, scheduling policy and allowed CPUs, as the host's /proc shows them. */
export function scheduling(pid: number): string {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const cpus = fs.readFileSync(`/proc/${pid}/status`, 'utf8').match(/^Cpus_allowed_list:\s*(\S+)/m)?.[1];
    return `nice ${fields[16]}, policy ${fields[38]}, cpus ${cpus}`; // fields 19 and 41 of stat
  } catch {
    return 'gone';
  }
}

/**
 * Memory-backed file data the jails under `root` hold, in bytes, read from the host: what each
 * jail's tmpfs mounts use (statfs through /proc/PID/root) and the memfd files its processes hold.
 * Neither counts against a process's address-space limit.
 */
export function jailFileMemory(root = process.pid): number {
  let total = 0;
  const seen = new Set<string>();
  for (const p of jailedProcesses(root)) {
    let namespace: string, mounts: string;
    try {
      namespace = fs.readlinkSync(`/proc/${p.pid}/ns/mnt`);
      mounts = fs.readFileSync(`/proc/${p.pid}/mountinfo`, 'utf8');
    } catch {
      continue;
    }
    for (const line of mounts.split('\n')) {
      const [before, after] = line.split(' - ');
      if (!after?.startsWith('tmpfs ')) continue;
      const point = before.split(' ')[4];
      if (seen.has(namespace + point)) continue;
      seen.add(namespace + point);
      try {
        const stat = fs.statfsSync(`/proc/${p.pid}/root${point}`);
        total += (stat.blocks - stat.bfree) * stat.bsize;
      } catch {
        // the process ended meanwhile
      }
    }
    for (const [fd, target] of descriptors(p.pid)) {
      if (!target.startsWith('/memfd:')) continue;
      try {
        const stat = fs.statSync(`/proc/${p.pid}/fd/${fd}`);
        if (seen.has(`memfd ${stat.ino}`)) continue;
        seen.add(`memfd ${stat.ino}`);
        total += stat.size;
      } catch {
        // closed meanwhile
      }
    }
  }
  return total;
}

/** Samples jailFileMemory() until stopped; the most seen. */
export function watchJailFileMemory(everyMs = 10): { stop(): number } {
  let most = jailFileMemory();
  const timer = setInterval(() => (most = Math.max(most, jailFileMemory())), everyMs);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(most, jailFileMemory());
    },
  };
}

/** The honeypot's number in the helper process: node marks its own low descriptors close-on-exec. */
const HONEYPOT_FD = 40;

/**
 * A job run by a sandbox started in a separate node process that holds one extra, inheritable
 * descriptor (HONEYPOT_FD, a socket to this process): the honeypot. Reports the bytes that reached
 * it and every process of the sandbox seen holding it while the job ran: a process in another pid
 * namespace than the helper's (inside a jail; bubblewrap itself aside) or a node worker.
 */
export async function runBesideHoneypot(backend: string, code: string, calls: unknown[]): Promise<{ startError?: string; outcomes?: CallOutcome[]; reached: number; holders: string[] }> {
  const sandboxModule = new URL('../../src/sandbox/sandbox.js', import.meta.url).href;
  const script = `
    const { Sandbox } = await import(${JSON.stringify(sandboxModule)});
    const job = JSON.parse(process.env.C2C_HONEYPOT_JOB);
    let sandbox;
    try {
      sandbox = await Sandbox.start({ backend: job.backend, workers: 1 });
    } catch (error) {
      process.stdout.write(JSON.stringify({ startError: String(error && error.message) }) + '\\n');
      process.exit(0);
    }
    process.stdout.write('ready\\n');
    const outcomes = await sandbox.runFunction({ code: job.code, entry: 'f', calls: job.calls });
    await sandbox.close();
    process.stdout.write(JSON.stringify({ outcomes }) + '\\n');`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
    stdio: ['ignore', 'pipe', 'pipe', ...new Array(HONEYPOT_FD - 3).fill('ignore'), 'pipe'],
    env: { ...process.env, C2C_HONEYPOT_JOB: JSON.stringify({ backend, code, calls }) },
  });
  let reached = 0;
  (child.stdio as unknown as NodeJS.ReadableStream[])[HONEYPOT_FD].on('data', (chunk: Buffer) => (reached += chunk.length));
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const holders = new Set<string>();
  const look = () => {
    const honeypot = descriptors(child.pid!).get(HONEYPOT_FD);
    const outside = pidNamespace(child.pid!);
    for (const p of descendants(child.pid!)) {
      const jailed = pidNamespace(p.pid) !== outside && p.comm !== 'bwrap';
      if (!jailed && p.comm !== 'node') continue;
      for (const [fd, target] of descriptors(p.pid)) if (target === honeypot) holders.add(`${p.comm} (pid ${p.pid}) fd ${fd}`);
    }
  };
  let timer: NodeJS.Timeout | undefined;
  // Watched only once the sandbox is up: a worker may start with it and drop it before any job.
  child.stdout!.on('data', (chunk) => {
    stdout += chunk;
    if (!timer && stdout.startsWith('ready\n')) timer = setInterval(look, 20);
  });
  const status = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  clearInterval(timer);
  const last = stdout.trim().split('\n').pop() ?? '';
  if (status !== 0 || !last.startsWith('{')) throw new Error(`the honeypot process failed (code ${status}): ${stderr.slice(-500)}`);
  return { ...JSON.parse(last), reached, holders: [...holders] };
}

// ---- network ------------------------------------------------------------------------------------

/** Listeners on the host that count every connection or datagram they get. */
export interface Listeners {
  tcpPort: number;
  udpPort: number;
  unixPath: string;
  abstractName: string;
  /** What reached each listener so far. */
  reached(): Record<string, number>;
  close(): Promise<void>;
}

export async function startListeners(): Promise<Listeners> {
  const counts = { tcp: 0, udp: 0, unix: 0, abstract: 0 };
  const server = (key: keyof typeof counts) => net.createServer((socket) => {
    counts[key]++;
    socket.destroy();
  });
  const listen = (s: net.Server, ...args: unknown[]) => new Promise<void>((resolve, reject) => {
    s.once('error', reject);
    (s.listen as (...a: unknown[]) => void)(...args, () => resolve());
  });
  const tcp = server('tcp');
  await listen(tcp, 0, '127.0.0.1');
  const unixPath = path.join(os.tmpdir(), `c2c-hostile-${TAG}.sock`);
  const unix = server('unix');
  await listen(unix, unixPath);
  const abstractName = `c2c-hostile-${TAG}`;
  const abstract = server('abstract');
  await listen(abstract, `\0${abstractName}`);
  const udp = dgram.createSocket('udp4');
  udp.on('message', () => counts.udp++);
  await new Promise<void>((resolve) => udp.bind(0, '127.0.0.1', () => resolve()));
  return {
    tcpPort: (tcp.address() as net.AddressInfo).port,
    udpPort: udp.address().port,
    unixPath,
    abstractName,
    reached: () => ({ ...counts }),
    async close() {
      udp.close();
      await Promise.all([tcp, unix, abstract].map((s) => new Promise((resolve) => s.close(resolve))));
      fs.rmSync(unixPath, { force: true });
    },
  };
}

// ---- files --------------------------------------------------------------------------------------

/** Files and folders under `roots` whose name contains `fragment` (find(1), bounded in time). */
export function findNamed(roots: string[], fragment: string): string[] {
  const existing = roots.filter((root) => fs.existsSync(root));
  if (existing.length === 0) return [];
  const found = spawnSync('find', [...existing, '(', '-name', 'node_modules', '-o', '-name', '.git', ')', '-prune', '-o', '-name', `*${fragment}*`, '-print'], {
    encoding: 'utf8', timeout: 30_000, maxBuffer: 16 * 1024 * 1024,
  });
  if (found.error) throw found.error;
  return found.stdout.split('\n').filter(Boolean);
}

/** Content, mode and modification time of a file: what a write, chmod or utime would change. */
export function fingerprint(file: string): string {
  const stat = fs.statSync(file);
  return JSON.stringify({ content: fs.readFileSync(file, 'base64'), mode: stat.mode, mtime: stat.mtimeMs, size: stat.size });
}

// ---- payloads shared by several attacks ------------------------------------------------------------

/**
 * `forge(first, last)`: protocol-looking lines, of the host's protocol (job ids first..last, and any
 * job id the code can find in its frames) and of a native child's, written to every descriptor
 * 0..255, to the interpreter's original streams, and printed.
 */
export const FORGE_LINES = String.raw`
import json as _json, os as _os, sys as _sys

def _frame_ids():
    ids = set()
    frame = _sys._getframe(1)
    while frame is not None:
        for name, value in list(frame.f_locals.items()):
            if name in ('id', 'job_id', 'task_id') and type(value) is int:
                ids.add(value)
            if isinstance(value, dict) and type(value.get('id')) is int:
                ids.add(value['id'])
        frame = frame.f_back
    return ids

def _forged_lines(ids):
    fake = {'verdict': 'return', 'repr': "'FORGED'", 'ms': 0}
    # The children's own line ({"batch": [items]}, both backends), bent every way, and bare items.
    lines = [{'batch': []}, {'batch': [{'index': 'length', 'outcome': 0}]}, {'defined': True},
             {'batch': [{'index': i, 'outcome': fake} for i in range(8)]},
             {'batch': [{'index': 0, 'outcome': fake, 'value': 'x'}]},
             {'batch': [{'index': 0, 'outcome': fake}], 'defined': True}]
    lines += [{'index': i, 'outcome': fake} for i in range(8)]
    for job in sorted(ids):
        lines.append({'type': 'outcome', 'id': job, 'index': 0, 'outcome': fake})
        lines.append({'type': 'outcomes', 'id': job, 'results': [{'index': i, 'outcome': fake} for i in range(3)]})
        lines.append({'type': 'done', 'id': job, 'results': [{'index': 'length', 'outcome': 0}]})
        lines.append({'type': 'done', 'id': job})
    compact = [_json.dumps(line, separators=(',', ':')) for line in lines]
    return ''.join(_json.dumps(line) + '\n' for line in lines) + ''.join(line + '\n' for line in compact)

def forge(first, last):
    text = _forged_lines(set(range(first, last)) | _frame_ids())
    print(text)
    for stream in (_sys.__stdout__, _sys.__stderr__):
        try:
            stream.write(text)
            stream.flush()
        except BaseException:
            pass
    data = text.encode()
    hit = []
    for fd in range(256):
        try:
            _os.write(fd, data)
            hit.append(fd)
        except OSError:
            pass
    return hit
`;

/** Values whose type lies about itself; called as f(kind). */
export const CAP_BYPASS = String.raw`
class S(str):
    __len__ = lambda self: 0
    def __repr__(self):
        return S('x' * 10_000_000)
    def __str__(self):
        return S('y' * 10_000_000)

class G(str):
    def __getitem__(self, index):
        return [1, 2, 3]
    def __len__(self):
        return 1
    def __repr__(self):
        return G('abc' * 5000)

class E(Exception):
    pass
E.__module__ = 5

class Meta(type):
    def __getattribute__(cls, name):
        if name in ('__module__', '__name__', '__qualname__'):
            return 5
        return type.__getattribute__(cls, name)

class E2(Exception, metaclass=Meta):
    pass

class BadRepr:
    def __repr__(self):
        return 7

class BadStr(Exception):
    def __str__(self):
        return [1]

def f(kind):
    if kind == 'len0':
        return S('x')
    if kind == 'print':
        print(S('p'))
        print(G('q'))
        return 1
    if kind == 'getitem':
        return G('q')
    if kind == 'module5':
        raise E(S('m'))
    if kind == 'meta':
        raise E2(S('m'))
    if kind == 'strexc':
        raise ValueError(S('z'))
    if kind == 'nested':
        return [S('a'), {G('b'): S('c')}]
    if kind == 'badrepr':
        return BadRepr()
    if kind == 'badstr':
        raise BadStr()
    if kind == 'name':
        E3 = type(S('N' * 100000), (Exception,), {})
        raise E3(G('n'))
`;

/** Tries every known route from Pyodide's Python to its JavaScript; called as f(js_source). */
export const JS_BRIDGE = String.raw`
import gc, sys

def _escape(obj, js):
    return obj.constructor.constructor(js)()

def _is_js(value):
    return 'Js' in type(value).__name__

def _values_of(namespace):
    try:
        return list(namespace.values())
    except BaseException:
        return []

def _finders(js):
    for finder in list(sys.meta_path) + list(sys.path_hooks):
        for attr in dir(finder):
            fn = getattr(finder, attr, None)
            fn = getattr(fn, '__func__', fn)
            for value in _values_of(getattr(fn, '__globals__', {})):
                proxies = getattr(value, 'jsproxies', None)
                if proxies:
                    for proxy in dict(proxies).values():
                        _escape(proxy, js)

def _subclasses(js):
    todo, seen = [object], set()
    while todo:
        cls = todo.pop()
        if cls in seen:
            continue
        seen.add(cls)
        try:
            todo.extend(type.__subclasses__(cls))
        except BaseException:
            pass
        module = sys.modules.get(getattr(cls, '__module__', ''))
        if module is not None and ('pyodide' in module.__name__ or 'webloop' in module.__name__):
            for value in _values_of(vars(module)):
                if _is_js(value):
                    _escape(value, js)

def _frames(js):
    frame = sys._getframe()
    while frame is not None:
        for value in _values_of(frame.f_locals) + _values_of(frame.f_globals):
            if _is_js(value):
                _escape(value, js)
            for cell in getattr(value, '__closure__', None) or ():
                try:
                    if _is_js(cell.cell_contents):
                        _escape(cell.cell_contents, js)
                except ValueError:
                    pass
        frame = frame.f_back

def _gc(js):
    for obj in gc.get_objects():
        if _is_js(obj):
            _escape(obj, js)

def _create_builtin(js):
    import _imp, importlib.machinery as machinery
    core = _imp.create_builtin(machinery.BuiltinImporter.find_spec('_pyodide_core'))
    _escape(core.to_js({}), js)

def _spec_getter(js):
    # A spec whose name getter looks through the frames of whoever asks: a gate around
    # create_builtin may hold the original in its locals.
    import _imp, importlib.machinery as machinery
    found = []
    class Spec:
        origin = None
        @property
        def name(self):
            frame = sys._getframe(1)
            while frame is not None:
                found.extend(v for v in _values_of(frame.f_locals) if callable(v))
                frame = frame.f_back
            return '_pyodide_core'
    try:
        _imp.create_builtin(Spec())
    except BaseException:
        pass
    for original in found:
        try:
            _escape(original(machinery.BuiltinImporter.find_spec('_pyodide_core')).to_js({}), js)
        except BaseException:
            pass

def _marshal(js):
    import marshal
    namespace = {}
    exec(marshal.loads(marshal.dumps(compile('import _pyodide_core as core', '<m>', 'exec'))), namespace)
    _escape(namespace['core'].to_js({}), js)

def _module_api(js):
    module = __import__('pyodide_js')._module
    for name in ('loadWebAssemblyModule', 'loadDynamicLibrary', 'mountNodeFS', 'runPython'):
        getattr(module, name, None)
    _escape(module, js)

def _ctypes(js):
    import ctypes
    ctypes.CDLL(None).emscripten_run_script(js.encode())

def f(js):
    tried = []
    routes = [
        ('import js', lambda: __import__('js').eval(js)),
        ('js via sys.modules.pop', lambda: (sys.modules.pop('js', None), __import__('js').eval(js))),
        ('pyodide_js', lambda: _escape(__import__('pyodide_js'), js)),
        ('pyodide.code.run_js', lambda: __import__('pyodide.code').code.run_js(js)),
        ('_pyodide_core', lambda: _escape(__import__('_pyodide_core').to_js({}), js)),
        ('_imp.create_builtin', lambda: _create_builtin(js)),
        ('create_builtin spec name getter', lambda: _spec_getter(js)),
        ('marshal.loads code', lambda: _marshal(js)),
        ('finder globals', lambda: _finders(js)),
        ('webloop via __subclasses__', lambda: _subclasses(js)),
        ('frames and closures', lambda: _frames(js)),
        ('gc.get_objects', lambda: _gc(js)),
        ('pyodide_js._module', lambda: _module_api(js)),
        ('ctypes emscripten_run_script', lambda: _ctypes(js)),
    ]
    for name, route in routes:
        try:
            route()
            tried.append([name, 'ran'])
        except BaseException as error:
            tried.append([name, type(error).__name__])
    return tried
`;

/** An attacker's job, then an innocent victim's on the same worker: its outcomes must be those it has alone. */
export interface Route {
  name: string;
  only?: 'native' | 'pyodide';
  /** Defines f(), called once with no arguments. */
  attacker: string;
  victim: { code: string; entry: string; calls: { args?: string[] }[] };
}

const victim = (body: string, calls: { args?: string[] }[] = [{}], params = ''): Route['victim'] => ({
  code: `def v(${params}):\n` + body.split('\n').map((line) => '    ' + line).join('\n') + '\n', entry: 'v', calls,
});
const attacker = (body: string): string => 'def f():\n' + body.split('\n').map((line) => '    ' + line).join('\n') + '\n    return 1\n';

const PLANT_COLORSYS = String.raw`import os, sys, tempfile, zipfile
source = "PLANTED = True\ndef rgb_to_hsv(r, g, b):\n    return 'PLANTED'\n"
folders = {os.getcwd(), tempfile.gettempdir(), '/tmp', os.path.expanduser('~'), '/'}
for entry in sys.path:
    folders.add(entry or os.getcwd())
    folders.add(os.path.dirname(entry))
for folder in folders:
    for name in ('colorsys.py', 'sitecustomize.py', 'usercustomize.py'):
        try:
            os.makedirs(folder, exist_ok=True)
            with open(os.path.join(folder, name), 'w') as out:
                out.write(source if name == 'colorsys.py' else 'import builtins\nbuiltins.PLANTED = True\n')
        except BaseException:
            pass
for entry in sys.path:
    if entry.endswith('.zip') and not os.path.exists(entry):
        try:
            with zipfile.ZipFile(entry, 'w') as archive:
                archive.writestr('colorsys.py', source)
        except BaseException:
            pass
sys.path.insert(0, os.getcwd())
sys.modules.pop('colorsys', None)`;

/** Files a later job would read without asking for them: time zones, MIME types, and plain leftovers. */
const PLANT_FILES = String.raw`import os
tokyo = bytes.fromhex(ZONE_HEX)
plants = {'/usr/share/zoneinfo/UTC': tokyo, '/etc/zoneinfo/UTC': tokyo, '/etc/localtime': tokyo,
          '/etc/mime.types': b'text/x-planted zzz\n'}
for folder in ('/', '/etc', '/usr', '/root', '/dev', '/dev/shm', '/tmp', os.path.expanduser('~'), os.getcwd()):
    plants[os.path.join(folder, 'c2c-planted')] = b'planted'
for path, data in plants.items():
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, 'wb') as out:
            out.write(data)
    except BaseException:
        pass`;

/** The host's tzdata for Asia/Tokyo (UTC+9), hex; empty where the host has none. */
function tokyoZone(): string {
  try {
    return fs.readFileSync('/usr/share/zoneinfo/Asia/Tokyo').toString('hex');
  } catch {
    return '';
  }
}

export const CONTAMINATION: Route[] = [
  {
    name: "the harness patched through sys._getframe(1).f_globals",
    attacker: attacker(String.raw`import sys, types
def wrap(fn):
    def patched(*args, **kwargs):
        result = fn(*args, **kwargs)
        if isinstance(result, dict) and 'repr' in result:
            result['repr'] = '43'
        return result
    return patched
frame = sys._getframe(1)
while frame is not None:
    namespace = frame.f_globals
    if namespace.get('__name__') != '__main__':
        for name, value in list(namespace.items()):
            if isinstance(value, types.FunctionType) and not name.startswith('__'):
                namespace[name] = wrap(value)
        namespace['repr'] = lambda value: '43'
    frame = frame.f_back`),
    victim: { code: 'def v(x):\n    return x * 2\n', entry: 'v', calls: [{ args: ['21'] }, { args: ["'a'"] }] },
  },
  {
    name: 'Fraction.__repr__',
    attacker: attacker("import fractions\nfractions.Fraction.__repr__ = lambda self: 'Fraction(0, 1)'\nfractions.Fraction.__str__ = lambda self: '0'"),
    victim: victim('from fractions import Fraction\nreturn Fraction(1, 3), str(Fraction(2, 3))'),
  },
  {
    name: 'decimal.DefaultContext.prec',
    attacker: attacker('import decimal\ndecimal.DefaultContext.prec = 3\ndecimal.getcontext().prec = 3\ndecimal.setcontext(decimal.Context(prec=2))'),
    victim: victim('import decimal\nreturn decimal.Context().prec, decimal.getcontext().prec, str(decimal.Decimal(1) / decimal.Decimal(7))'),
  },
  {
    name: "re's compile cache (re._cache)",
    attacker: attacker(String.raw`import re
re.findall(r'\d+', 'x')
evil = re.compile(r'[a-z]+')
for name in dir(re):
    cache = getattr(re, name)
    if name.startswith('_cache') and isinstance(cache, dict):
        for key in list(cache):
            if isinstance(key, tuple) and r'\d+' in key:
                cache[key] = evil`),
    victim: victim(String.raw`import re
return re.findall(r'\d+', 'a1b22'), re.sub(r'\d+', '#', 'a1b22')`),
  },
  {
    name: 'copy._deepcopy_dispatch',
    attacker: attacker("import copy\ncopy._deepcopy_dispatch[list] = lambda x, memo, deepcopy: ['FORGED']\ncopy._deepcopy_dispatch[dict] = lambda x, memo, deepcopy: {}"),
    victim: victim("import copy\nreturn copy.deepcopy([1, [2]]), copy.deepcopy({'a': 1})"),
  },
  {
    name: 'random.Random._randbelow',
    attacker: attacker('import random\nrandom.Random._randbelow = lambda self, n: 0'),
    victim: victim("import random\nrng = random.Random(5)\nreturn rng.randrange(1000), rng.choice('abcdef'), random.Random(7).sample(range(100), 3)"),
  },
  {
    name: 'collections.abc.Sequence.register(dict)',
    attacker: attacker('import collections.abc\ncollections.abc.Sequence.register(dict)\ncollections.abc.Hashable.register(list)'),
    victim: victim('import collections.abc\nreturn isinstance({}, collections.abc.Sequence), issubclass(list, collections.abc.Hashable)'),
  },
  {
    name: 'json.encoder.JSONEncoder.encode',
    attacker: attacker(`import json, json.encoder\njson.encoder.JSONEncoder.encode = lambda self, o: '"FORGED"'\njson.dumps = lambda *a, **k: '"FORGED"'`),
    victim: victim("import json\nreturn json.dumps({'a': [1, 2]}), json.JSONEncoder().encode([3])"),
  },
  {
    name: 'a colorsys.py planted in the cwd, tmp and every folder of sys.path',
    attacker: attacker(PLANT_COLORSYS),
    victim: victim("import builtins, colorsys\nreturn colorsys.rgb_to_hsv(1.0, 0.0, 0.0), hasattr(colorsys, 'PLANTED'), hasattr(builtins, 'PLANTED')"),
  },
  {
    name: 'builtins patched',
    attacker: attacker("import builtins\nbuiltins.len = lambda x: 42\nbuiltins.sorted = lambda *a, **k: ['FORGED']\nbuiltins.repr = lambda x: 'FORGED'\nbuiltins.print = lambda *a, **k: None\nbuiltins.PLANTED = True"),
    victim: victim("import builtins\nprint('hello')\nreturn len([1, 2]), sorted([2, 1]), repr(3), hasattr(builtins, 'PLANTED')"),
  },
  {
    name: 'sys.setrecursionlimit',
    attacker: attacker('import sys\nsys.setrecursionlimit(60)'),
    victim: {
      code: 'import sys\n\ndef v(n):\n    return sys.getrecursionlimit() if n == 0 else v(n - 1)\n', entry: 'v', calls: [{ args: ['200'] }],
    },
  },
  {
    name: 'modules, environment and the int-to-str limit',
    attacker: attacker("import os, sys, math\nmath.pi = 3\nsys.modules['string'] = None\nos.environ['TZ'] = 'JST-9'\nos.environ['PLANTED'] = '1'\nsys.set_int_max_str_digits(640) if hasattr(sys, 'set_int_max_str_digits') else None"),
    victim: victim("import os, sys, math, string, time\ntime.tzset()\nreturn math.pi, string.digits, 'PLANTED' in os.environ, time.localtime(0).tm_hour, len(str(10 ** 1000))"),
  },
  {
    name: 'System V IPC objects (shmget, msgget, semget) left by an earlier job',
    attacker: attacker(`import ctypes
libc = ctypes.CDLL(None)
for key in (0xC2C, 0xC2D):
    libc.shmget(key, 1 << 20, 0o1000 | 0o666)
    libc.msgget(key, 0o1000 | 0o666)
    libc.semget(key, 1, 0o1000 | 0o666)`),
    victim: victim(`try:
    import ctypes
    libc = ctypes.CDLL(None)
    return [libc.shmget(0xC2C, 0, 0) >= 0, libc.msgget(0xC2C, 0) >= 0, libc.semget(0xC2C, 0, 0) >= 0]
except Exception as error:
    return type(error).__name__`),
  },
  {
    // Last: what it leaves behind (if anything) stays in the worker.
    name: "files left in the jail's writable folders (/, /etc, /usr, /dev: time zones, MIME types)",
    attacker: attacker(PLANT_FILES.replace('ZONE_HEX', JSON.stringify(tokyoZone()))),
    victim: victim(String.raw`import os, datetime, mimetypes
left = [p for p in ('/', '/etc', '/usr', '/root', '/dev', '/dev/shm', '/tmp', os.path.expanduser('~'), os.getcwd()) if os.path.exists(os.path.join(p, 'c2c-planted'))]
try:
    from zoneinfo import ZoneInfo
    offset = str(datetime.datetime(2020, 1, 1, tzinfo=ZoneInfo('UTC')).utcoffset())
except Exception as error:
    offset = type(error).__name__
return left, offset, mimetypes.guess_type('a.zzz'), os.path.exists('/etc/localtime')`),
  },
];
