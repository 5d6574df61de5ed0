// Finding the host's CPython for the native backend: which binary `python3` (or --python) really
// is (a pyenv shim is a shell script), its version, and the files it needs inside the jail.
import { spawnSync } from 'node:child_process';
import { SandboxConfigError } from '../errors.js';

export const SUPPORTED_PYTHON = { min: [3, 9], max: [3, 14] } as const;

export interface PythonInfo {
  /** The real interpreter binary. */
  executable: string;
  version: string;
  /** What must be visible in the jail: the binary, its library, and the shared objects it loads. */
  binds: string[];
  /** Virtual memory of an interpreter with the common modules loaded: the base of the memory cap. */
  baseAddressSpace: number;
}

// Runs on the host with the host's interpreter: trusted code of ours, no function is involved.
const PROBE = `
import json, os, sys
from importlib import import_module
for name in ('json', 're', 'collections', 'decimal', 'fractions', 'datetime', 'typing', 'ctypes', 'ast', 'inspect'):
    try:
        import_module(name)
    except ImportError:
        pass
libs, vm, interp = set(), 0, None
with open('/proc/self/maps') as maps:
    for line in maps:
        parts = line.split()
        if len(parts) >= 6 and '.so' in parts[5]:
            libs.add(os.path.dirname(parts[5]))
with open('/proc/self/status') as status:
    for line in status:
        if line.startswith('VmSize:'):
            vm = int(line.split()[1]) * 1024
exe = os.path.realpath(sys.executable)
with open(exe, 'rb') as binary:
    head = binary.read(4096)
at = head.find(b'/lib')
if at >= 0:
    interp = head[at:head.index(b'\\0', at)].decode()
paths = [p for p in sys.path if p and os.path.isdir(p)]
print(json.dumps({'executable': exe, 'version': list(sys.version_info[:3]), 'paths': paths, 'libs': sorted(libs), 'vm': vm, 'interp': interp}))
`;

const cache = new Map<string, PythonInfo>();

export function findPython(command = 'python3'): PythonInfo {
  const known = cache.get(command);
  if (known) return known;
  const probe = spawnSync(command, ['-s', '-c', PROBE], { encoding: 'utf8', timeout: 30_000, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/' } });
  if (probe.error) throw new SandboxConfigError(`python: cannot run ${command}: ${(probe.error as NodeJS.ErrnoException).code ?? probe.error.message} (give an interpreter with --python PATH, or use --backend pyodide)`);
  if (probe.status !== 0) throw new SandboxConfigError(`python: ${command} failed: ${probe.stderr.trim().split('\n').pop()} (needs CPython ${SUPPORTED_PYTHON.min.join('.')} to ${SUPPORTED_PYTHON.max.join('.')})`);
  const facts = JSON.parse(probe.stdout) as { executable: string; version: number[]; paths: string[]; libs: string[]; vm: number; interp: string | null };
  const [major, minor] = facts.version;
  const version = facts.version.join('.');
  const tooOld = major < SUPPORTED_PYTHON.min[0] || (major === SUPPORTED_PYTHON.min[0] && minor < SUPPORTED_PYTHON.min[1]);
  const tooNew = major > SUPPORTED_PYTHON.max[0] || (major === SUPPORTED_PYTHON.max[0] && minor > SUPPORTED_PYTHON.max[1]);
  if (tooOld || tooNew) {
    throw new SandboxConfigError(`python: ${command} is Python ${version}; the native backend supports ${SUPPORTED_PYTHON.min.join('.')} to ${SUPPORTED_PYTHON.max.join('.')}`);
  }
  const info: PythonInfo = {
    executable: facts.executable,
    version,
    binds: [facts.executable, ...facts.paths, ...facts.libs, ...(facts.interp ? [facts.interp] : [])],
    baseAddressSpace: facts.vm,
  };
  cache.set(command, info);
  return info;
}
