// Which functions extraction keeps. Every rule is configurable; the defaults are those of the
// Case2Code recipe: a function that takes arguments, returns a value, and needs nothing beyond pure
// standard-library computation. The rules are applied inside the sandbox (python/case2code_extract/extract.py).
import { ConfigurationError } from '../contract/index.js';

export const PRIVATE_ENTRIES = ['keep', 'documented', 'drop'] as const;

export interface ExtractRules {
  /**
   * Body lines (after the docstring), inclusive bounds. Long functions: up to 60 lines and 4000
   * characters of the function itself, 12000 with what it carries; past that a reader of ten
   * cases cannot be expected to write it (a `too-long` or `context-too-long` reject).
   */
  minBodyLines: number;
  maxBodyLines: number;
  /** Longest function source, in characters. */
  maxChars: number;
  /** Longest emitted code, with the imports, constants and helpers it carries. */
  maxCodeChars: number;
  /**
   * Private functions (`_name`, not dunders) as entries: `keep` (the default), `documented` (only
   * those with a docstring: their author said what they do) or `drop`. Either way they are
   * carried as helpers by the functions that call them. Keep is the default because the name says
   * little about the sample: in a default run private functions reach a sample about as often as
   * public ones (0.49 vs 0.54) and the case filters after execution (all-raise, few-outcomes,
   * returns-argument) drop the fragments that show nothing; see the README.
   */
  privateEntries: (typeof PRIVATE_ENTRIES)[number];
  requireParams: boolean;
  requireReturn: boolean;
  allowGenerators: boolean;
  allowAsync: boolean;
  /** `global` and `nonlocal` statements. */
  allowGlobal: boolean;
  /** Drop bodies that are only `pass`/docstrings, a lone constant return, or only raises. */
  dropTrivial: boolean;
  /** Define each kept function in a fresh namespace and check its global names (recommended). */
  checkDefine: boolean;
  /**
   * Importable modules (a module allows its submodules, and `module.member` allows only `from
   * module import member`). Anything else drops the function.
   */
  allowedModules: string[];
  /** Builtins whose use (call or reference) drops the function: I/O, code execution, introspection. */
  forbiddenBuiltins: string[];
  /** Decorators that do not change what a function computes (matched by their last name). */
  allowedDecorators: string[];
  /** Attributes that reach into interpreter internals. */
  forbiddenAttributes: string[];
  /** Method names whose call reads the clock (`datetime.now()`, `date.today()`). */
  nondeterministicCalls: string[];
  /**
   * Method names whose call opens a file (an `io-call` reject), whatever the object: an allowed
   * module may have one (`codecs.open`), and so do the disallowed ones (`gzip.open`, `path.open()`).
   */
  fileCalls: string[];
  /**
   * Carry what a function imports from sibling modules of its own package (relative imports and
   * absolute ones of its top package), like same-file helpers. Needs files with a package place
   * (directories, zips); JSONL/Parquet rows keep `relative-import`.
   */
  carryPackage: boolean;
  /** Carry classes a function needs (exceptions it raises, namespaces, small value types) when
   * every part of them passes the helper rules. */
  carryClasses: boolean;
  /** Extract methods that never read their instance or class parameter (and static methods) as
   * functions: the method's text without the class and that parameter computes the same. */
  liftMethods: boolean;
  /**
   * With `liftMethods`, also extract methods and properties that use their instance only to read
   * its data (`self.host`, set in `__init__`, annotated or in `__slots__`) as functions of those
   * attributes: each read becomes a parameter (methods.py). Most methods of real packages read
   * `self`; calls on it, writes to it and class-level constants keep a method out.
   */
  liftAttributeReads: boolean;
}

export const DEFAULT_RULES: ExtractRules = {
  minBodyLines: 3,
  maxBodyLines: 60,
  maxChars: 4000,
  maxCodeChars: 12000,
  privateEntries: 'keep',
  requireParams: true,
  requireReturn: true,
  allowGenerators: false,
  allowAsync: false,
  allowGlobal: false,
  dropTrivial: true,
  checkDefine: true,
  // Pure computation only: no files, processes, clocks, randomness, network or threads. Some of
  // these write to stderr or stdout, which the sandbox captures and no sample shows (`warnings.warn`,
  // `pprint.pprint`), or hold a registry that looks names up without reading files (`codecs.lookup`;
  // `codecs.open` is a `fileCalls` reject). Of `io` and `sys` only the pure members: in-memory
  // streams and `intern`. Left out although library code imports them often: the rest of `io`
  // (`io.FileIO` opens a path), `os`/`sys`/`inspect` (the process, the interpreter, source files),
  // `gettext` (reads message catalogs from disk by the environment's locale), `weakref` (what it
  // answers depends on the garbage collector), `contextlib` (`contextlib.chdir`).
  allowedModules: [
    '__future__', 'abc', 'array', 'ast', 'base64', 'binascii', 'bisect', 'calendar', 'cmath', 'codecs',
    'collections', 'colorsys', 'copy', 'dataclasses', 'datetime', 'decimal', 'difflib', 'enum', 'fnmatch',
    'fractions', 'functools', 'graphlib', 'hashlib', 'heapq', 'html', 'io.BytesIO', 'io.StringIO',
    'ipaddress', 'itertools', 'json', 'keyword', 'math', 'numbers', 'operator', 'pprint', 're', 'reprlib',
    'shlex', 'statistics', 'string', 'stringprep', 'struct', 'sys.intern', 'textwrap', 'types', 'typing',
    'unicodedata', 'urllib.parse', 'warnings', 'zlib',
  ],
  forbiddenBuiltins: [
    'open', 'input', 'exec', 'eval', 'compile', '__import__', 'globals', 'locals', 'vars', 'breakpoint',
    'exit', 'quit', 'help', 'memoryview', 'copyright', 'credits', 'license',
  ],
  allowedDecorators: ['lru_cache', 'cache', 'wraps', 'total_ordering'],
  forbiddenAttributes: [
    '__globals__', '__code__', '__closure__', '__subclasses__', '__builtins__', '__import__', '__loader__',
    'f_globals', 'f_locals', 'f_back', 'f_code', 'gi_frame', 'gi_code', 'cr_frame', 'tb_frame',
  ],
  nondeterministicCalls: ['now', 'today', 'utcnow'],
  fileCalls: ['open'],
  carryPackage: true,
  carryClasses: true,
  liftMethods: true,
  liftAttributeReads: true,
};

/** The defaults with `overrides` applied; unknown keys are a configuration error. */
export function resolveRules(overrides: Partial<ExtractRules> = {}): ExtractRules {
  for (const key of Object.keys(overrides)) {
    if (!(key in DEFAULT_RULES)) throw new ConfigurationError(`unknown extraction rule "${key}" (known: ${Object.keys(DEFAULT_RULES).join(', ')})`);
  }
  const rules = { ...DEFAULT_RULES, ...overrides };
  if (rules.minBodyLines > rules.maxBodyLines) throw new ConfigurationError(`minBodyLines (${rules.minBodyLines}) is above maxBodyLines (${rules.maxBodyLines})`);
  return rules;
}
