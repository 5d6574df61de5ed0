// Wasm-level guards: Pyodide's Emscripten runtime imports JavaScript functions that reach the host
// (a shell, sockets, script evaluation, dynamic loading, heap growth). We replace them before the
// module is instantiated, so even Python code that gets past every Python-level check cannot call them.

const ENOSYS = 52; // Emscripten's errno value for ENOSYS: no such system call here

type ImportObject = Record<string, Record<string, unknown>>;

export interface GuardOptions {
  /** Largest wasm heap, in bytes. */
  heapCapBytes: number;
  /** Called with the import's name each time a guard refuses something. */
  onBlocked: (what: string) => void;
  /** False while Pyodide is still loading its own core (which needs dlopen). */
  startupDone: () => boolean;
}

const SCRIPT_RUNNERS = [
  'emscripten_run_script', 'emscripten_run_script_int', 'emscripten_run_script_string',
  'emscripten_async_run_script', 'emscripten_async_load_script',
  'emscripten_async_wget', 'emscripten_async_wget2', 'emscripten_async_wget_data',
  'emscripten_async_wget2_data', 'emscripten_create_worker', 'emscripten_call_worker',
  'emscripten_websocket_new',
];

const NETWORK_SYSCALLS = [
  '__syscall_socket', '__syscall_connect', '__syscall_sendto', '__syscall_sendmsg',
  '__syscall_bind', '__syscall_listen', '__syscall_accept4', '__syscall_recvfrom',
  '__syscall_recvmsg', '_maybe_connect_async', '_maybe_sendto_async', '_maybe_recvfrom_async',
  '_emscripten_lookup_name',
];

export function guardImports(imports: ImportObject, options: GuardOptions): void {
  const { onBlocked } = options;
  for (const table of new Set(Object.values(imports))) {
    const replace = (name: string, fn: (original: Function) => Function) => {
      const original = table[name];
      if (typeof original !== 'function') return;
      // Emscripten reads metadata such as `sig` off its library functions when it links them.
      table[name] = Object.assign(fn(original), original);
    };
    replace('_emscripten_system', () => () => {
      onBlocked('system');
      return -1;
    });
    for (const name of SCRIPT_RUNNERS) {
      replace(name, () => () => {
        onBlocked(name);
        return 0;
      });
    }
    for (const name of NETWORK_SYSCALLS) {
      replace(name, () => () => {
        onBlocked('network');
        return -ENOSYS;
      });
    }
    for (const name of ['_dlopen_js', '_emscripten_dlopen_js']) {
      replace(name, (original) => (...args: unknown[]) => {
        if (!options.startupDone()) return original(...args);
        onBlocked('dlopen');
        return 0;
      });
    }
    replace('emscripten_resize_heap', (original) => (requested: number) => {
      if (requested >>> 0 > options.heapCapBytes) {
        onBlocked('heap-cap');
        return 0;
      }
      return original(requested);
    });
    replace('emscripten_get_heap_max', (original) => () => Math.min(original() as number, options.heapCapBytes));
  }
}

/** Take away the JS-level route from any function object to arbitrary code: `x.constructor.constructor`. */
export function removeFunctionConstructors(): void {
  const prototypes = [
    Function.prototype,
    Object.getPrototypeOf(async function () {}),
    Object.getPrototypeOf(function* () {}),
    Object.getPrototypeOf(async function* () {}),
  ];
  for (const proto of prototypes) {
    Object.defineProperty(proto, 'constructor', { value: undefined, writable: false, configurable: false });
  }
}
