// The hostile battery (issue 9, Acceptance 1): every attack of the issue, run against each backend.
// Each attack is judged on the host — a file that must not appear or change, a process that must
// still be alive, a listener that must see nothing, a secret that must not come back, another job's
// outcomes that must not change — never by what the Python under test says about itself.
// A backend that cannot start here yet is skipped, and only then; native is never skipped.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { loadBenchmark } from '../../src/eval/benchmark.js';
import { EvalTally, evaluateItems, type ItemResult } from '../../src/eval/evaluate.js';
import type { EvalItem } from '../../src/eval/items.js';
import { EVAL_TOOLS } from '../../src/eval/run-eval.js';
import { SCRATCH_MB } from '../../src/sandbox/jail.js';
import { findPython } from '../../src/sandbox/native/python.js';
import { Sandbox, type SandboxOptions } from '../../src/sandbox/sandbox.js';
import type { FunctionJob } from '../../src/sandbox/types.js';
import type { CallOutcome, CallSpec } from '../../src/contract/index.js';
import { REFERENCE_TEST_FIXTURE } from '../helpers/reference-fixture.js';
import {
  CAP_BYPASS, CONTAMINATION, FORGE_LINES, JS_BRIDGE, REPO, TAG, type Route,
  assertWellFormed, findNamed, fingerprint, jailFileMemory, jailedProcesses, runBesideHoneypot, scheduling, settledDescendants,
  startListeners, startVictim, watchDescendants, watchJailFileMemory, withoutTimes,
} from './hostile-helpers.js';

const BACKENDS = ['native', 'pyodide'] as const;
type Backend = (typeof BACKENDS)[number];

// Set before any sandbox starts: no worker may see it.
const ENV_SECRET = `c2c-env-secret-${TAG}-${Math.random().toString(36).slice(2)}`;
process.env.C2C_SECRET = ENV_SECRET;

const FILE_SECRET = `c2c-file-secret-${TAG}-${Math.random().toString(36).slice(2)}`;
const SECRET_FILES = [path.join(os.tmpdir(), `c2c-hostile-${TAG}-secret`), path.join(REPO, `.c2c-hostile-${TAG}-secret`)];
const MARKERS = [path.join(os.tmpdir(), `c2c-hostile-${TAG}-marker`), path.join(REPO, `.c2c-hostile-${TAG}-marker`)];
/** Whatever the battery made or found on the host, removed at the end. */
const LITTER: string[] = [];
/** A host file that exists before the attack and must not change. */
const KEEP_FILE = path.join(os.tmpdir(), `c2c-hostile-${TAG}-keep`);

/** A trusted tool of our own, so the jail shows a host folder of ours read-only (and we may watch it).
 * Not under the host's tmp dir, which the jail covers with its own; dist/ is the build's, unversioned. */
const TOOL_ROOT = fs.mkdtempSync(path.join(REPO, 'dist', `.c2c-hostile-${TAG}-tool-`));
const TOOL_FILES = ['c2c_hostile_probe.py', 'c2c_hostile_bound.txt'];
const TOOLS = { ...EVAL_TOOLS, c2c_hostile_probe: { root: TOOL_ROOT, module: 'c2c_hostile_probe' } };

/** Innocent jobs; after every attack the shared sandbox must still give exactly their outcomes. */
const VICTIMS: FunctionJob[] = [
  { code: 'def f(x):\n    return x * 2\n', entry: 'f', calls: [{ args: ['21'] }, { args: ["'ab'"] }, { args: ['[1]'] }] },
  { code: 'def g(n):\n    print("n =", n)\n    return 1 // n\n', entry: 'g', calls: [{ args: ['1'] }, { args: ['0'] }] },
  { code: 'import json\n\ndef h(s):\n    return json.loads(s)\n', entry: 'h', calls: [{ args: [`'{"a": [1, 2]}'`] }, { args: ["'{'"] }] },
  { code: 'from fractions import Fraction\n\ndef k(a, b):\n    return sorted({Fraction(a, b), Fraction(b, a)})\n', entry: 'k', calls: [{ args: ['1', '3'] }] },
];

/** A JS or Python value as a Python literal (strings, numbers and lists of them). */
const lit = (value: unknown): string => JSON.stringify(value);

interface Battery {
  backend: Backend;
  /** Shared by the attacks that leave nothing behind by design (workers: 2, the eval tools). */
  sandbox: Sandbox;
  /** Start another sandbox of this backend; closed with the battery. */
  fresh(options?: SandboxOptions): Promise<Sandbox>;
  /** Run `code`'s `entry`; every outcome is checked for shape, types and caps first. */
  run(code: string, calls?: CallSpec[], options?: { sandbox?: Sandbox; entry?: string }): Promise<CallOutcome[]>;
  /** The victims' outcomes on the shared sandbox before any attack. */
  victimsAlone: ReturnType<typeof withoutTimes>[];
  /** All victims at once; each must give its outcomes of before the attacks. */
  assertVictimsUnchanged(context: string, sandbox?: Sandbox): Promise<void>;
  /** One worker that has only ever run innocent victims: "the victim alone". */
  cleanVictimSandbox(): Promise<Sandbox>;
  /** One worker, so each attacker's job runs in the same worker as the victim after it. */
  contaminationSandbox(): Promise<Sandbox>;
}

interface Attack {
  name: string;
  only?: Backend;
  run(battery: Battery): Promise<void>;
}

// ---- payloads ---------------------------------------------------------------------------------

const PY_ATTEMPT = String.raw`
import os, sys

def _attempt(log, name, fn):
    try:
        value = fn()
        log.append(name if value is None else [name, value if isinstance(value, str) else repr(value)[:300]])
    except BaseException:
        pass

def _sigio(pid, sig):
    # The kernel itself signals a descriptor's owner when it gets input: F_SETOWN, F_SETSIG, O_ASYNC.
    import fcntl
    r, w = os.pipe()
    fcntl.fcntl(r, fcntl.F_SETOWN, pid)
    fcntl.fcntl(r, 10, int(sig))  # F_SETSIG
    fcntl.fcntl(r, fcntl.F_SETFL, fcntl.fcntl(r, fcntl.F_GETFL) | os.O_ASYNC)
    os.write(w, b'x')

def _libc(name, *args):
    import ctypes
    libc = ctypes.CDLL(None, use_errno=True)
    result = getattr(libc, name)(*args)
    if result < 0:
        raise OSError(ctypes.get_errno(), name)
    return result
`;

const READ_FILES = PY_ATTEMPT + String.raw`
def _read_fd(fd):
    import ctypes
    buffer = ctypes.create_string_buffer(1 << 14)
    n = ctypes.CDLL(None).read(fd, buffer, 1 << 14)
    return buffer.raw[:max(n, 0)].decode('latin-1')

def f(path):
    got = []
    for variant in (path, '/proc/1/root' + path, '/proc/self/root' + path, '/proc/2/root' + path,
                    '../../../../../../..' + path, '/dev/fd/../../..' + path, '/c2c/../..' + path):
        _attempt(got, 'open ' + variant, lambda: open(variant, 'rb').read(1 << 14).decode('latin-1')[:300])
    _attempt(got, 'libc.open', lambda: _read_fd(_libc('open', path.encode(), 0))[:300])
    _attempt(got, 'openat', lambda: _read_fd(_libc('syscall', 257, -100, path.encode(), 0, 0))[:300])
    return got
`;

const WRITE_FILES = PY_ATTEMPT + String.raw`
def _write(fd):
    os.write(fd, b'pwned')
    os.close(fd)

def f(targets, bound_names, tag):
    done = []
    for t in targets:
        _attempt(done, 'open ' + t, lambda: open(t, 'w').write('pwned') and None)
        _attempt(done, 'os.open ' + t, lambda: _write(os.open(t, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)))
        _attempt(done, 'libc.open ' + t, lambda: _write(_libc('open', t.encode(), 0o1101, 0o644)))
        _attempt(done, 'openat ' + t, lambda: _write(_libc('syscall', 257, -100, t.encode(), 0o1101, 0o644)))
        _attempt(done, 'makedirs ' + t, lambda: os.makedirs(t + '.d'))
        _attempt(done, 'symlink ' + t, lambda: os.symlink('/', t + '.l'))
        _attempt(done, 'proc root ' + t, lambda: open('/proc/1/root' + t, 'w').write('pwned') and None)
    bound = [os.path.join(p, n) for p in sys.path for n in bound_names if os.path.exists(os.path.join(p, n))]
    for b in bound:
        folder = os.path.dirname(b)
        _attempt(done, 'append ' + b, lambda: open(b, 'a').write('pwned') and None)
        _attempt(done, 'truncate ' + b, lambda: os.truncate(b, 0))
        _attempt(done, 'utime ' + b, lambda: os.utime(b, (0, 0)))
        _attempt(done, 'chmod ' + b, lambda: os.chmod(b, 0o777))
        _attempt(done, 'libc.open ' + b, lambda: _write(_libc('open', b.encode(), 0o1001)))
        _attempt(done, 'libc.truncate ' + b, lambda: _libc('truncate', b.encode(), 0) and None)
        _attempt(done, 'beside ' + b, lambda: open(os.path.join(folder, '.c2c-hostile-' + tag + '-walk'), 'w').close())
        _attempt(done, 'rename ' + b, lambda: os.rename(b, b + '.moved'))
        _attempt(done, 'unlink ' + b, lambda: os.unlink(b))
    # A marker in every folder the jail shows where a write works; the host then looks for them.
    for root, dirs, files in os.walk('/'):
        if root.startswith(('/proc', '/sys')):
            dirs[:] = []
            continue
        _attempt(done, 'walk', lambda: open(os.path.join(root, '.c2c-hostile-' + tag + '-walk'), 'w').close())
    return [len(bound), len(done)]
`;

const READ_ENV = PY_ATTEMPT + String.raw`
def f(names):
    got = []
    for name in names:
        _attempt(got, 'os.environ', lambda: os.environ.get(name))
        _attempt(got, 'os.environb', lambda: os.environb.get(name.encode()))
        _attempt(got, 'posix.environ', lambda: __import__('posix').environ.get(name.encode()))
        def via_libc():
            import ctypes
            getenv = ctypes.CDLL(None).getenv
            getenv.restype = ctypes.c_char_p
            return getenv(name.encode())
        _attempt(got, 'libc.getenv', via_libc)
    for p in ('/proc/self/environ', '/proc/1/environ', '/proc/2/environ', '/proc/%d/environ' % os.getppid()):
        _attempt(got, p, lambda: [v for v in open(p, 'rb').read().decode('latin-1').split('\0') if v.split('=')[0] in names])
    _attempt(got, 'all', lambda: ' '.join(os.environ.values())[:2000])
    return got
`;

const SIGNAL_OUTSIDE = PY_ATTEMPT + String.raw`
import signal

def _siginfo(signo):
    import ctypes, struct
    return ctypes.create_string_buffer(struct.pack('<iii', signo, 0, -1) + bytes(116))

def f(pids, broadcast):
    sent = []
    for pid in pids:
        _attempt(sent, 'os.kill', lambda: os.kill(pid, signal.SIGKILL))
        _attempt(sent, 'os.killpg', lambda: os.killpg(pid, signal.SIGKILL))
        _attempt(sent, 'os.kill -pgid', lambda: os.kill(-pid, signal.SIGKILL))
        _attempt(sent, 'SIGSTOP', lambda: os.kill(pid, signal.SIGSTOP))
        _attempt(sent, 'pidfd', lambda: signal.pidfd_send_signal(os.pidfd_open(pid), signal.SIGKILL))
        _attempt(sent, 'shell', lambda: None if os.system('kill -9 %d' % pid) == 0 else 1 / 0)
        _attempt(sent, 'libc.kill', lambda: _libc('kill', pid, 9) and None)
        _attempt(sent, 'syscall kill', lambda: _libc('syscall', 62, pid, 9) and None)
        _attempt(sent, 'tkill', lambda: _libc('syscall', 200, pid, 9) and None)
        _attempt(sent, 'tgkill', lambda: _libc('syscall', 234, pid, pid, 9) and None)
        _attempt(sent, 'rt_sigqueueinfo', lambda: _libc('syscall', 129, pid, 9, _siginfo(9)) and None)
        _attempt(sent, 'pidfd syscalls', lambda: _libc('syscall', 424, _libc('syscall', 434, pid, 0), 9, None, 0) and None)
        _attempt(sent, 'SIGIO owner', lambda: _sigio(pid, signal.SIGKILL))
        _attempt(sent, 'SIGIO group owner', lambda: _sigio(-pid, signal.SIGKILL))
    # To every process at once, with a signal whose default is to be ignored (the node victim logs it).
    _attempt(sent, 'kill -1', lambda: os.kill(-1, broadcast))
    _attempt(sent, 'libc.kill -1', lambda: _libc('kill', -1, broadcast) and None)
    _attempt(sent, 'syscall kill -1', lambda: _libc('syscall', 62, -1, broadcast) and None)
    _attempt(sent, 'killpg 0', lambda: os.killpg(0, broadcast))
    return sent
`;

const KILL_SERVER = PY_ATTEMPT + String.raw`
import signal, time

def f():
    sent = []
    targets = [os.getppid(), 1, 2, 0]
    _attempt(sent, 'pgid', lambda: targets.append(-os.getpgid(os.getppid())))
    for sig in (signal.SIGSTOP, signal.SIGKILL):  # a stopped server would leave its job hanging
        for pid in targets:
            _attempt(sent, 'os.kill %d' % pid, lambda: os.kill(pid, sig))
            _attempt(sent, 'libc.kill %d' % pid, lambda: _libc('kill', pid, int(sig)) and None)
            _attempt(sent, 'syscall kill %d' % pid, lambda: _libc('syscall', 62, pid, int(sig)) and None)
            _attempt(sent, 'tgkill %d' % pid, lambda: _libc('syscall', 234, pid, pid, int(sig)) and None)
            _attempt(sent, 'tkill %d' % pid, lambda: _libc('syscall', 200, pid, int(sig)) and None)
        for pid in targets:
            _attempt(sent, 'SIGIO owner %d' % pid, lambda: _sigio(pid, sig))
    time.sleep(0.2)  # the kernel's SIGIO is delivered as the pipe gets its byte
    return sent
`;

/** What a child says to its fork server that no outcome ever looks like: JSON nested past any stack. */
const FLOOD_SERVER = String.raw`
import os

def f():
    # Deep but short: under the size cap of a line, so only the parser's depth is at stake.
    deep = (b'[' * 60000 + b'\n', b'{"batch": ' + b'[' * 60000 + b'\n', b'{"batch": [{"index": 0, "outcome": ' + b'{"a": ' * 10000 + b'\n')
    hit = []
    for fd in range(256):
        for line in deep:
            try:
                os.write(fd, line)
                hit.append(fd)
            except OSError:
                pass
    return sorted(set(hit))
`;

const NETWORK = PY_ATTEMPT + String.raw`
import socket, struct

def _sockaddr_in(port):
    return struct.pack('<H', 2) + struct.pack('>H', port) + bytes([127, 0, 0, 1]) + bytes(8)

def _libc_connect(port, via_syscall, kind=1):
    import ctypes
    fd = _libc('syscall', 41, 2, kind, 0) if via_syscall else _libc('socket', 2, kind, 0)
    address = _sockaddr_in(port)
    if kind == 2:
        _libc('sendto', fd, b'x', 1, 0, address, 16)
    elif via_syscall:
        _libc('syscall', 42, fd, address, 16)
    else:
        _libc('connect', fd, address, 16)
    _libc('write', fd, b'x', 1)

def _unix(address):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(address)
    s.sendall(b'x')

def f(tcp, udp, unix_path, abstract):
    made = []
    for host in ('127.0.0.1', 'localhost', '::ffff:127.0.0.1', '::1', '0.0.0.0'):
        _attempt(made, 'tcp ' + host, lambda: socket.create_connection((host, tcp), timeout=1).sendall(b'x'))
    _attempt(made, 'udp', lambda: socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(b'x', ('127.0.0.1', udp)) and None)
    _attempt(made, 'unix path', lambda: _unix(unix_path))
    _attempt(made, 'unix abstract', lambda: _unix('\0' + abstract))
    _attempt(made, 'unix abstract, padded as node binds it', lambda: _unix(('\0' + abstract).ljust(108, '\0')))
    _attempt(made, 'libc.socket/connect', lambda: _libc_connect(tcp, False))
    _attempt(made, 'syscall socket/connect', lambda: _libc_connect(tcp, True))
    _attempt(made, 'libc udp sendto', lambda: _libc_connect(udp, False, kind=2))
    _attempt(made, 'netlink', lambda: socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 0) and None)
    _attempt(made, 'packet', lambda: socket.socket(socket.AF_PACKET, socket.SOCK_RAW, 0) and None)
    return made
`;

const FD_JUNK = String.raw`
import os

def f(marker):
    junk = [b'\x00\xff half a line', b'\n', b'not json\n', ('; touch %s\n' % marker).encode(), ('$(touch %s)\n' % marker).encode(),
            b'{"type": "ready", "python": "9", "layers": {}}\n', b'{"type": "blocked", "what": "x"}\n', b'{' * 50 + b'\n',
            b'\n' * 5000, os.urandom(70000)]
    hit = set()
    for fd in range(256):
        for chunk in junk:
            try:
                os.write(fd, chunk)
                hit.add(fd)
            except OSError:
                pass
    for fd in range(256):
        try:
            os.dup2(0, fd) if fd > 2 else os.close(fd)
        except OSError:
            pass
    return sorted(hit)
`;

const FORK_BURST = PY_ATTEMPT + String.raw`
import time

def _raw_fork(number):
    result = _libc('syscall', number, 17, 0, 0, 0, 0) if number == 56 else _libc('syscall', number)
    if result == 0:
        time.sleep(3)
        os._exit(0)

def _pty():
    import pty
    pid, fd = pty.fork()
    if pid == 0:
        time.sleep(3)
        os._exit(0)

def f(n):
    made = []
    for i in range(n):
        try:
            pid = os.fork()
        except BaseException:
            break
        if pid == 0:
            time.sleep(3)
            os._exit(0)
        made.append('fork')
    import subprocess
    _attempt(made, 'posix_spawn', lambda: os.posix_spawn('/bin/sleep', ['sleep', '3'], {}))
    _attempt(made, 'Popen', lambda: subprocess.Popen(['sleep', '3']) and None)
    _attempt(made, 'Popen python', lambda: subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(3)']) and None)
    _attempt(made, 'system', lambda: None if os.system('sleep 3 &') == 0 else 1 / 0)
    _attempt(made, 'pty.fork', _pty)
    _attempt(made, 'multiprocessing', lambda: __import__('multiprocessing').Process(target=time.sleep, args=(3,)).start())
    _attempt(made, 'raw clone', lambda: _raw_fork(56))
    _attempt(made, 'raw fork', lambda: _raw_fork(57))
    time.sleep(0.8)
    return made
`;

const THREAD_BURST = String.raw`
import threading, time

def f(n):
    try:
        threading.stack_size(32768)
    except BaseException:
        pass
    release = threading.Event()
    made = 0
    for i in range(n):
        try:
            threading.Thread(target=release.wait, daemon=True).start()
        except BaseException:
            break
        made += 1
    time.sleep(0.8)
    release.set()
    return made
`;

/** Lowers the priority, scheduling class and CPU set of every process it can name in its jail. */
const RESCHEDULE = PY_ATTEMPT + String.raw`
def f():
    done = []
    targets = {os.getppid(), 1, 2, 3}
    for pid in targets:
        _attempt(done, 'setpriority %d' % pid, lambda: os.setpriority(os.PRIO_PROCESS, pid, 19))
        _attempt(done, 'sched_setscheduler %d' % pid, lambda: os.sched_setscheduler(pid, os.SCHED_IDLE, os.sched_param(0)))
        _attempt(done, 'sched_setaffinity %d' % pid, lambda: os.sched_setaffinity(pid, {0}))
        _attempt(done, 'ioprio_set %d' % pid, lambda: _libc('syscall', 251, 1, pid, (3 << 13)) and None)
    _attempt(done, 'setpriority group', lambda: os.setpriority(os.PRIO_PGRP, os.getpgid(os.getppid()), 19))
    _attempt(done, 'setpriority user', lambda: os.setpriority(os.PRIO_USER, os.getuid(), 19))
    return done
`;

/** Fills every writable folder with files of just under the size limit, then memfd files, up to `mb` MB in all. */
const FILL_MEMORY = String.raw`
import os, time

def f(mb):
    block = b'x' * (1 << 20)
    written = 0
    for folder in ('/', '/dev/shm', '/dev', '/etc', '/usr', '/tmp', os.getcwd()):
        for i in range(1000):
            if written >= mb:
                break
            try:
                os.makedirs(folder, exist_ok=True)
                with open(os.path.join(folder, 'c2c-fill-%d' % i), 'wb') as out:
                    for _ in range(15):
                        out.write(block)
                        written += 1
            except BaseException:
                break
    kept = []
    try:
        while written < mb:
            fd = os.memfd_create('c2c-fill')
            kept.append(fd)
            for _ in range(15):
                os.write(fd, block)
                written += 1
    except BaseException:
        pass
    time.sleep(0.3)  # long enough for the host to look
    return written
`;

// ---- the attacks ------------------------------------------------------------------------------

const ATTACKS: Attack[] = [
  {
    name: 'host files: a secret in the host tmp dir and the repo, and /etc/shadow, cannot be read',
    async run(b) {
      const shadow = readable('/etc/shadow')?.split('\n')[0];
      for (const file of [...SECRET_FILES, '/etc/shadow']) {
        const outcomes = await b.run(READ_FILES, [{ args: [lit(file)] }]);
        const seen = JSON.stringify(outcomes);
        assert.ok(!seen.includes(FILE_SECRET), `the secret in ${file} came back: ${seen.slice(0, 300)}`);
        if (shadow) assert.ok(!seen.includes(shadow), `/etc/shadow came back: ${seen.slice(0, 300)}`);
      }
    },
  },
  {
    name: 'host files: nothing is created or changed on the host (tmp, the repo, the read-only binds; open, os.open, ctypes libc.open)',
    async run(b) {
      const toolBefore = TOOL_FILES.map((name) => fingerprint(path.join(TOOL_ROOT, name)));
      const keepBefore = fingerprint(KEEP_FILE);
      await b.run(WRITE_FILES, [{ args: [lit([...MARKERS, KEEP_FILE]), lit(TOOL_FILES), lit(TAG)] }]);
      for (const marker of MARKERS.flatMap((m) => [m, `${m}.d`, `${m}.l`])) assert.ok(!exists(marker), `created on the host: ${marker}`);
      assert.equal(fingerprint(KEEP_FILE), keepBefore, `${KEEP_FILE} changed`);
      assert.deepEqual(TOOL_FILES.map((name) => fingerprint(path.join(TOOL_ROOT, name))), toolBefore, 'a read-only bound file changed');
      assert.deepEqual(fs.readdirSync(TOOL_ROOT).filter((n) => !n.startsWith('__pycache__')).sort(), [...TOOL_FILES].sort(), 'the bound tool folder changed');
      const found = findNamed(hostRootsSeenByJail(), `${TAG}-walk`);
      LITTER.push(...found);
      assert.deepEqual(found, [], 'a marker written in the jail appeared on the host');
    },
  },
  {
    name: "environment: the host's variables are not visible (os.environ, /proc/*/environ, libc getenv)",
    async run(b) {
      const outcomes = await b.run(READ_ENV, [{ args: [lit(['C2C_SECRET', 'PATH', 'HOME', 'USER'])] }]);
      const seen = JSON.stringify(outcomes);
      assert.ok(!seen.includes(ENV_SECRET), `C2C_SECRET leaked: ${seen.slice(0, 300)}`);
      const hostPath = process.env.PATH ?? '';
      if (hostPath.length > 24) assert.ok(!seen.includes(hostPath), "the host's PATH leaked");
    },
  },
  {
    name: 'signals: an outside process survives kill, killpg, kill -1, pidfd, SIGIO ownership, and ctypes libc.kill / raw syscalls',
    async run(b) {
      const victims = [await startVictim('sleep'), await startVictim('node')];
      try {
        await b.run(SIGNAL_OUTSIDE, [{ args: [lit(victims.map((v) => v.pid)), String(os.constants.signals.SIGWINCH)] }]);
        await sleep(300);
        for (const victim of victims) {
          assert.ok(victim.alive(), `victim ${victim.pid} was killed`);
          assert.deepEqual(victim.caught(), [], `victim ${victim.pid} got signals`);
        }
      } finally {
        for (const victim of victims) victim.stop();
      }
    },
  },
  {
    name: "signals: the sandbox's own server survives kill/stop of its parent, pid 1, pid 2 and its group (also through SIGIO ownership), and keeps serving",
    async run(b) {
      const before = await b.sandbox.stats();
      await b.run(KILL_SERVER);
      await b.assertVictimsUnchanged('after the server-kill attack');
      if (b.backend === 'native') assertNoWorkerLost(before, await b.sandbox.stats(), 'a signal from a child');
    },
  },
  {
    name: 'protocol: the fork server survives whatever its child writes to it (JSON nested past any stack) and keeps serving',
    async run(b) {
      const before = await b.sandbox.stats();
      await b.run(FLOOD_SERVER, [{}, {}]);
      await b.assertVictimsUnchanged('after the nested-JSON flood');
      if (b.backend === 'native') assertNoWorkerLost(before, await b.sandbox.stats(), "the child's deeply nested lines");
    },
  },
  {
    name: 'network: no listener on the host is reached (tcp, udp, unix path, abstract unix; socket module, ctypes libc.socket/connect)',
    async run(b) {
      const listeners = await startListeners();
      try {
        await b.run(NETWORK, [{ args: [String(listeners.tcpPort), String(listeners.udpPort), lit(listeners.unixPath), lit(listeners.abstractName)] }]);
        await sleep(300);
        assert.deepEqual(listeners.reached(), { tcp: 0, udp: 0, unix: 0, abstract: 0 });
      } finally {
        await listeners.close();
      }
    },
  },
  {
    name: 'descriptors: junk written to every descriptor 0..255 changes no other job and runs nothing',
    async run(b) {
      const marker = path.join(os.tmpdir(), `c2c-hostile-${TAG}-fd-marker`);
      LITTER.push(marker);
      await Promise.all([
        b.run(FD_JUNK, [{ args: [lit(marker)] }, { args: [lit(marker)] }]),
        b.run(FD_JUNK, [{ args: [lit(marker)] }]),
        b.assertVictimsUnchanged('beside jobs writing junk to every descriptor'),
        b.assertVictimsUnchanged('beside jobs writing junk to every descriptor'),
      ]);
      await b.assertVictimsUnchanged('after jobs wrote junk to every descriptor');
      assert.ok(!exists(marker), `the junk ran a command: ${marker}`);
    },
  },
  {
    name: 'descriptors: a descriptor the host process leaves inheritable reaches no process of the sandbox, and no byte gets to it',
    async run(b) {
      // It sleeps first, so the host can look at every process of the sandbox while a job runs.
      const code = FD_JUNK.replace('import os', 'import os, time').replace('    junk = [', '    time.sleep(0.5)\n    junk = [');
      const got = await runBesideHoneypot(b.backend, code, [{ args: [lit('/nonexistent')] }]);
      if (got.startError) throw new Error(`the sandbox beside the honeypot did not start: ${got.startError}`);
      assert.equal(got.reached, 0, 'bytes from the sandbox reached the inherited descriptor');
      assert.deepEqual(got.holders, [], 'processes of the sandbox hold a descriptor inherited from the host');
    },
  },
  {
    name: "scheduling: a job cannot lower its server's priority, scheduling class or CPUs (every later job would inherit them)",
    async run(b) {
      // A sandbox of its own, so a success slows no other test.
      const others = new Set(jailedProcesses().map((p) => p.pid));
      const own = await b.fresh();
      const servers = jailedProcesses().filter((p) => !others.has(p.pid)).map((p) => p.pid);
      assert.ok(servers.length > 0, 'no jailed process of the new sandbox was found');
      const before = servers.map(scheduling);
      await b.run(RESCHEDULE, [{}], { sandbox: own });
      assert.deepEqual(servers.map(scheduling), before, "a job changed how its server's processes are scheduled");
    },
  },
  {
    name: 'fork burst: no new process (fork, posix_spawn, subprocess, pty, multiprocessing, raw clone/fork syscalls)',
    async run(b) {
      const idle = await settledDescendants();
      const watch = watchDescendants();
      await b.run(FORK_BURST, [{ args: ['64'] }]);
      const most = watch.stop();
      // Each worker may hold one forked child for its job; nothing more.
      assert.ok(most.processes <= idle.processes + b.sandbox.info.workers, `processes under the test went from ${idle.processes} to ${most.processes}`);
    },
  },
  {
    name: "thread burst: a function's threads stay within the threads limit",
    async run(b) {
      const idle = await settledDescendants();
      const watch = watchDescendants();
      const [outcome] = await b.run(THREAD_BURST, [{ args: ['1500'] }]);
      const most = watch.stop();
      const limit = b.sandbox.info.limits.threads;
      // The job's process: its main thread and at most `threads` more.
      assert.ok(most.threads - idle.threads <= limit + 1,
        `threads under the test went from ${idle.threads} to ${most.threads} (limit ${limit}; the function says ${outcome.verdict === 'return' ? outcome.repr : outcome.verdict})`);
    },
  },
  {
    name: 'forged results: protocol lines written to every descriptor and printed do not reach other jobs',
    async run(b) {
      const { jobs } = await b.sandbox.stats();
      const range = [String(Math.max(1, jobs - 20)), String(jobs + 300)];
      await Promise.all([
        b.run(FORGE_LINES + 'def f(first, last):\n    return forge(first, last)\n', [{ args: range }, { args: range }]),
        b.assertVictimsUnchanged('beside jobs forging protocol lines'),
        b.run(FORGE_LINES + 'def f(first, last):\n    return forge(first, last)\n', [{ args: range }]),
        b.assertVictimsUnchanged('beside jobs forging protocol lines'),
      ]);
      await b.assertVictimsUnchanged('after jobs forged protocol lines');
    },
  },
  {
    name: 'eval: an answer that returns None and forges its verdicts scores the do-nothing baseline (less only where its job was refused)',
    async run(b) {
      const items = await loadBenchmark(b.sandbox, REFERENCE_TEST_FIXTURE);
      const baseline = await score(b.sandbox, items, (item) => `def ${item.entry}(*args, **kwargs):\n    return None\n`);
      const { jobs } = await b.sandbox.stats();
      const forged = await score(b.sandbox, items, (item) =>
        FORGE_LINES + `\ndef ${item.entry}(*args, **kwargs):\n    forge(${Math.max(1, jobs - 20)}, ${jobs + items.length * 4 + 50})\n    return None\n`);
      // The sandbox refuses a job that forges (its calls end as crash), so the forger may lose an item
      // the do-nothing answer passes, never win one: counting each refused item as the do-nothing
      // answer it wraps, the two score the same.
      const refused = forged.results.filter((r) => r.correct === 0 && r.failing?.actual.startsWith('[interpreter crashed')).map((r) => r.id);
      const wins = forged.passed.filter((id) => !baseline.passed.includes(id));
      assert.deepEqual(wins, [], `items passed only by forging: ${wins.join(', ')}`);
      const asDoNothing = baseline.passed.filter((id) => forged.passed.includes(id) || refused.includes(id));
      assert.deepEqual(asDoNothing, baseline.passed, 'an item the do-nothing answer passes failed with the forger for another reason than a refusal');
      assert.ok(forged.passAt1 <= baseline.passAt1, `pass@1: forged ${forged.passAt1}, do-nothing ${baseline.passAt1}`);
      for (const result of forged.results) assert.ok(result.samples[0].casesPassed <= result.samples[0].cases);
    },
  },
  ...CONTAMINATION.map((route): Attack => ({
    name: `contamination: ${route.name}`,
    only: route.only,
    run: (b) => contamination(b, route),
  })),
  {
    name: 'caps: a str whose __len__ says 0, a repr whose __getitem__ gives a list, __module__ = 5: every field is a capped string',
    async run(b) {
      const rss = process.memoryUsage().rss;
      const kinds = ['len0', 'len0', 'len0', 'len0', 'print', 'getitem', 'module5', 'meta', 'strexc', 'nested', 'badrepr', 'badstr', 'name'];
      const outcomes = await b.run(CAP_BYPASS, kinds.map((kind) => ({ args: [lit(kind)] })));
      assert.equal(outcomes.length, kinds.length);
      const limits = b.sandbox.info.limits;
      const size = JSON.stringify(outcomes).length;
      assert.ok(size <= kinds.length * (limits.reprCap + limits.outputCap + 1000), `the outcomes hold ${size} characters`);
      const grew = process.memoryUsage().rss - rss;
      assert.ok(grew < 300 * 1024 * 1024, `the host grew by ${Math.round(grew / 1024 / 1024)} MB`);
      const first = outcomes[0];
      assert.equal(first.verdict, 'return');
      assert.ok(first.verdict === 'return' && first.truncated === true && first.reprLength === 10_000_000, JSON.stringify(first).slice(0, 200));
    },
  },
  {
    name: "memory: files in the jail's tmpfs folders and memfd files stay within the scratch caps and go with the job",
    only: 'native', // Pyodide's files live in its own heap, which its memory limit covers
    async run(b) {
      const watch = watchJailFileMemory();
      const [outcome] = await b.run(FILL_MEMORY, [{ args: ['400'] }]);
      const most = watch.stop();
      // The server answers a job first and wipes its scratch right after, before it takes another.
      let left = jailFileMemory();
      for (const started = Date.now(); left > MB && Date.now() - started < 5000; left = jailFileMemory()) await delay(20);
      const said = outcome.verdict === 'return' ? `${outcome.repr} MB written` : outcome.verdict;
      const cap = (2 * SCRATCH_MB + 8) * MB; // the private /tmp and /dev/shm of one job, and their bookkeeping
      assert.ok(most <= cap, `the jails held ${Math.round(most / MB)} MB of files in memory during the job (${said})`);
      assert.ok(left <= MB, `the jails still held ${Math.round(left / MB)} MB of files in memory after the job (${said})`);
    },
  },
  {
    name: 'JS bridge: no route from Python reaches node (import js, pyodide_js, finders, webloop, frames, gc, ctypes)',
    only: 'pyodide',
    async run(b) {
      // A jailed worker's files and network are its own: JavaScript that got out would show on the
      // host through what the jail leaves it, its stdout (the protocol channel), as well as through a
      // file, a signal and a connection in case the jail is off.
      const marker = path.join(os.tmpdir(), `c2c-hostile-${TAG}-js-marker`);
      LITTER.push(marker);
      const what = `c2c-js-escape-${TAG}`;
      const victim = await startVictim('node');
      const listeners = await startListeners();
      try {
        const js = `(() => {
          const p = globalThis.process;
          const load = (name) => (typeof require === 'function' ? require(name) : p.getBuiltinModule(name));
          const tries = [
            () => load('fs').writeFileSync(${JSON.stringify(marker)}, 'escaped'),
            () => load('fs').writeSync(1, JSON.stringify({ type: 'blocked', what: ${JSON.stringify(what)} }) + String.fromCharCode(10)),
            () => p.kill(${victim.pid}, 'SIGKILL'),
            () => load('net').connect(${listeners.tcpPort}, '127.0.0.1'),
          ];
          for (const attempt of tries) {
            try { attempt(); } catch (error) {}
          }
        })()`;
        await b.run(JS_BRIDGE, [{ args: [lit(js)] }]);
        await sleep(300);
        assert.ok(!exists(marker), 'JavaScript from the sandbox wrote a file on the host');
        assert.equal((await b.sandbox.stats()).blocked[what], undefined, 'JavaScript from the sandbox wrote to the host channel');
        assert.ok(victim.alive(), 'JavaScript from the sandbox killed a host process');
        assert.deepEqual(listeners.reached(), { tcp: 0, udp: 0, unix: 0, abstract: 0 }, 'JavaScript from the sandbox reached a host listener');
      } finally {
        victim.stop();
        await listeners.close();
      }
    },
  },
];

// ---- running them -----------------------------------------------------------------------------

async function contamination(b: Battery, route: Route): Promise<void> {
  const alone = await b.cleanVictimSandbox();
  const expected = withoutTimes(await b.run(route.victim.code, route.victim.calls, { sandbox: alone, entry: route.victim.entry }));
  const shared = await b.contaminationSandbox();
  await b.run(route.attacker, [{}], { sandbox: shared });
  const actual = withoutTimes(await b.run(route.victim.code, route.victim.calls, { sandbox: shared, entry: route.victim.entry }));
  assert.deepEqual(actual, expected, `${route.name}: the victim after the attacker differs from the victim alone`);
}

async function score(sandbox: Sandbox, items: EvalItem[], answer: (item: EvalItem) => string) {
  const tally = new EvalTally(1, [1]);
  const results: ItemResult[] = [];
  for await (const result of evaluateItems(sandbox, items, async (item) => [{ text: answer(item), truncated: false }], { n: 1, k: [1] })) {
    tally.add(result);
    results.push(result);
  }
  return { passAt1: tally.summary().pass_at_k['1'], passed: results.filter((r) => r.correct > 0).map((r) => r.id), results };
}

function assertNoWorkerLost(before: { replaced: number; hardKills: number }, after: { replaced: number; hardKills: number }, cause: string): void {
  assert.equal(after.replaced, before.replaced, `${cause} ended a worker (${after.replaced - before.replaced} replaced)`);
  assert.equal(after.hardKills, before.hardKills, `${cause} left a worker silent until the host killed it`);
}

/** Every host folder the jail shows read-only, plus the host's tmp dir and the repo. */
function hostRootsSeenByJail(): string[] {
  let python: string[] = [];
  try {
    python = findPython().binds.filter((p) => fs.statSync(p).isDirectory());
  } catch {
    // no host python: nothing of it is bound either
  }
  return [...new Set([os.tmpdir(), REPO, TOOL_ROOT, ...python])];
}

const readable = (file: string): string | undefined => {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
};

const exists = (file: string): boolean => {
  try {
    fs.lstatSync(file);
    return true;
  } catch {
    return false;
  }
};

const MB = 1024 * 1024;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const firstLine = (error: unknown) => String(error instanceof Error ? error.message : error).split('\n')[0];

before(() => {
  for (const file of SECRET_FILES) fs.writeFileSync(file, FILE_SECRET + '\n', { mode: 0o644 });
  fs.writeFileSync(KEEP_FILE, 'keep me\n', { mode: 0o644 });
  fs.writeFileSync(path.join(TOOL_ROOT, 'c2c_hostile_probe.py'), 'def handle(payload):\n    return payload\n');
  fs.writeFileSync(path.join(TOOL_ROOT, 'c2c_hostile_bound.txt'), 'bound read-only\n');
});

after(() => {
  for (const file of [...SECRET_FILES, KEEP_FILE, ...MARKERS.flatMap((m) => [m, `${m}.d`, `${m}.l`]), ...LITTER]) fs.rmSync(file, { force: true, recursive: true });
  fs.rmSync(TOOL_ROOT, { force: true, recursive: true });
});

for (const backend of BACKENDS) {
  describe(`hostile battery on ${backend}`, () => {
    let battery: Battery | undefined;
    let startError: unknown;
    const started: Sandbox[] = [];

    before(async () => {
      try {
        const sandbox = await Sandbox.start({ backend, workers: 2, tools: TOOLS });
        started.push(sandbox);
        battery = await makeBattery(backend, sandbox, started);
      } catch (error) {
        startError = error;
      }
    });
    after(() => Promise.all(started.map((s) => s.close())));

    for (const attack of ATTACKS) {
      if (attack.only && attack.only !== backend) continue;
      it(attack.name, { timeout: 120_000 }, async (t) => {
        if (!battery) {
          if (backend === 'native') throw startError;
          t.skip(`the ${backend} backend does not start here: ${firstLine(startError)}`);
          return;
        }
        await attack.run(battery);
        await battery.assertVictimsUnchanged(`after: ${attack.name}`);
      });
    }
  });
}

async function makeBattery(backend: Backend, sandbox: Sandbox, started: Sandbox[]): Promise<Battery> {
  const fresh = async (options: SandboxOptions = {}) => {
    const extra = await Sandbox.start({ backend, workers: 1, ...options });
    started.push(extra);
    return extra;
  };
  const run: Battery['run'] = async (code, calls = [{}], options = {}) => {
    const on = options.sandbox ?? sandbox;
    const outcomes = await on.runFunction({ code, entry: options.entry ?? 'f', calls });
    assert.equal(outcomes.length, calls.length, 'one outcome per call');
    assertWellFormed(outcomes, on.info.limits);
    return outcomes;
  };
  const victimsAlone: Battery['victimsAlone'] = [];
  for (const victim of VICTIMS) victimsAlone.push(withoutTimes(await run(victim.code, victim.calls, { entry: victim.entry })));
  const once = (make: () => Promise<Sandbox>) => {
    let made: Promise<Sandbox> | undefined;
    return () => (made ??= make());
  };
  return {
    backend,
    sandbox,
    fresh,
    run,
    victimsAlone,
    async assertVictimsUnchanged(context: string, on?: Sandbox) {
      const now = await Promise.all(VICTIMS.map((victim) => run(victim.code, victim.calls, { entry: victim.entry, sandbox: on })));
      now.forEach((outcomes, i) => assert.deepEqual(withoutTimes(outcomes), victimsAlone[i], `${context}: victim ${VICTIMS[i].entry} changed`));
    },
    cleanVictimSandbox: once(() => fresh()),
    contaminationSandbox: once(() => fresh()),
  };
}
