// The first layer of the Pyodide backend: every way out of the wasm module goes through one of its
// imports, so we decide, import by import, what may still run once the worker is set up ("locked").
//
// Pyodide's JS bridge (JsProxy, PyProxy, conversions, hiwire: ~190 imports) is what Python would
// use to reach any JS object (pyodide_js, its Emscripten module with loadWebAssemblyModule,
// loadDynamicLibrary, mountNodeFS, the JS of a side module's __em_js__ ...). After the lock, each
// of those imports refuses: whatever proxy or module Python digs up, using it ends its job. Only
// the imports CPython itself needs at run time stay open (files in the in-memory FS, clocks,
// random bytes, signals, the call trampoline), and some of them are stubbed for good: shell,
// sockets, name lookups, timers, the host's umask, dynamic loading; heap growth is capped.
type ImportTable = Record<string, unknown>;

/** Kept as they are, before and after the lock: what CPython needs to run plain Python. */
const RUNTIME = new Set([
  // wasi
  'environ_sizes_get', 'environ_get', 'fd_close', 'fd_read', 'fd_write', 'clock_res_get', 'clock_time_get',
  'fd_sync', 'random_get', 'fd_fdstat_get', 'fd_seek', 'fd_pread', 'fd_pwrite',
  // the in-memory file system
  '__syscall_ioctl', '__syscall_fcntl64', '__syscall_openat', '__syscall_faccessat', '__syscall_chdir',
  '__syscall_chmod', '__syscall_fchownat', '__syscall_dup', '__syscall_dup3', '__syscall_fchdir', '__syscall_fchmod',
  '__syscall_fchmodat2', '__syscall_fchown32', '__syscall_fdatasync', '__syscall_fstat64', '__syscall_stat64',
  '__syscall_newfstatat', '__syscall_lstat64', '__syscall_ftruncate64', '__syscall_getcwd', '__syscall_getdents64',
  '__syscall_mkdirat', '__syscall_mknodat', '__syscall_pipe', '__syscall_poll', '__syscall_fadvise64',
  '__syscall_fallocate', '__syscall_readlinkat', '__syscall_unlinkat', '__syscall_rmdir', '__syscall_renameat',
  '__syscall_statfs64', '__syscall_fstatfs64', '__syscall_symlinkat', '__syscall_truncate64', '__syscall_utimensat',
  '_mmap_js', '_munmap_js', '_msync_js',
  // time, identity, aborts, signals, indirect calls
  '_tzset_js', '_localtime_js', '_gmtime_js', '_mktime_js', '_timegm_js', 'emscripten_date_now', 'emscripten_get_now',
  '_emscripten_get_progname', '__syscall_getuid32_js', '_Py_emscripten_runtime', '_abort_js', '__assert_fail',
  '_PyEM_TrampolineCall_JS', 'emscripten_runtime_keepalive_push',
  'emscripten_runtime_keepalive_pop', '_emscripten_runtime_keepalive_clear',
  // wasm functions Pyodide puts here itself (an error marker), not JS
  'Jsv_GetError_import', 'JsvError_Check',
]);

const ENOSYS = 52; // Emscripten's errno numbers
const EAI_FAIL = -4;

/** Refused from the start: nothing in Pyodide's own start-up needs them. */
const STUBS: Record<string, (...args: number[]) => number> = {
  _emscripten_system: (command) => (command ? -1 : 0), // 0 for system(NULL): "no shell here"
  _setitimer_js: () => -ENOSYS, // a JS timer would fire into a later job
  __syscall_umask_js: () => 0o022, // the real one sets the worker process's umask
  getaddrinfo: () => EAI_FAIL,
  getnameinfo: () => EAI_FAIL,
  getprotobyname: () => 0,
  _emscripten_lookup_name: () => 0,
  emscripten_asm_const_int: () => 0,
  ...Object.fromEntries(
    ['socket', 'connect', 'bind', 'listen', 'accept4', 'recvfrom', 'recvmsg', 'sendmsg', 'sendto', 'getpeername', 'getsockname', 'getsockopt']
      .map((call) => [`__syscall_${call}`, () => -ENOSYS]),
  ),
};

/** Thrown through the wasm frames when a refused import is called: the job's run ends there. */
export class GateRefusal extends Error {
  constructor(readonly what: string) {
    super(`the sandbox refused ${what}`);
  }
}

/** Thrown through the wasm frames by exit() / proc_exit() (os._exit, Py_Exit). */
export class InterpreterExit extends Error {
  constructor(readonly code: number) {
    super(`the interpreter exited with code ${code}`);
  }
}

export interface GateOptions {
  /** The interrupt buffer (see below: _Py_CheckEmscriptenSignals_Helper). */
  signals: Int32Array;
  /** The largest the wasm heap may grow to, in bytes (read at each request: it is set after start-up). */
  heapCapBytes: () => number;
  onBlocked: (what: string) => void;
}

export class WasmGate {
  private locked = false;
  /** Names of the imports that refuse once locked. */
  readonly gated = new Set<string>();

  constructor(private readonly options: GateOptions) {}

  /** Rewrite the import object before the module is instantiated. */
  install(imports: Record<string, ImportTable>): void {
    // GOT.mem / GOT.func are views of `env` that hand out globals, not functions.
    for (const table of new Set([imports.env, imports.wasi_snapshot_preview1].filter(Boolean))) {
      for (const name of Object.keys(table)) {
        const original = table[name];
        if (typeof original !== 'function') continue;
        const replacement = this.replacement(name, original as (...args: unknown[]) => unknown);
        // Emscripten reads metadata such as `sig` off its library functions when it links them.
        if (replacement !== original) table[name] = Object.assign(replacement, original);
      }
    }
  }

  /** From now on only RUNTIME imports run. */
  lock(): void {
    this.locked = true;
  }

  private replacement(name: string, original: (...args: unknown[]) => unknown): (...args: any[]) => unknown {
    if (RUNTIME.has(name)) return original;
    const stub = STUBS[name];
    if (stub) {
      return (...args: number[]) => {
        if (this.locked && name !== '__syscall_umask_js') this.options.onBlocked(name);
        return stub(...args);
      };
    }
    if (name === 'emscripten_resize_heap') {
      return (requested: number) => {
        if (requested >>> 0 > this.options.heapCapBytes()) {
          this.options.onBlocked('heap-cap');
          return 0;
        }
        return original(requested);
      };
    }
    if (name === '_Py_CheckEmscriptenSignals_Helper') {
      // Pyodide's own reads the interrupt buffer, then writes 0: an interrupt stored between the two
      // is lost (we saw about one in fifteen). Take it atomically, and only when there is one.
      const signals = this.options.signals;
      return () => (signals[0] === 0 ? 0 : Atomics.exchange(signals, 0, 0));
    }
    if (name === 'emscripten_get_heap_max') return () => Math.min(original() as number, this.options.heapCapBytes());
    if (name === 'exit' || name === 'proc_exit') {
      return (code: number) => {
        if (this.locked) throw new InterpreterExit(code);
        return original(code);
      };
    }
    // Everything else is Pyodide's bridge, the loader, promises, console logging, libffi: open
    // while the worker sets itself up, refused afterwards.
    this.gated.add(name);
    return (...args: unknown[]) => {
      if (!this.locked) return original(...args);
      this.options.onBlocked(name);
      throw new GateRefusal(name);
    };
  }
}
