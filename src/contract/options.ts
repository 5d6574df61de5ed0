// Options are stated once: each group (sandbox, extract, inputs, filters, samples, LLM, run) is a
// table of typed options with their help and defaults. The library resolves what it is given
// against its table (every field optional, defaults applied there); the CLI makes its flags from
// the same table (a flag's name is its key in kebab case, `--config` uses the keys themselves);
// unknown keys and bad values are errors naming the key.
import { z } from 'zod';
import { ConfigurationError } from './errors.js';

export type OptionKind = 'int' | 'number' | 'string' | 'boolean' | 'list' | 'choice';

export interface OptionSpec<T = unknown> {
  kind: OptionKind;
  schema: z.ZodType<T>;
  help: string;
  /** Applied when the option is not given; undefined: the option stays unset (its help says what that means). */
  default?: T;
  choices?: readonly string[];
  /** What a valid value is, in words: "a whole number of at least 1". */
  expects: string;
}

type Bounds = { min?: number; max?: number };

function range(noun: string, { min, max }: Bounds): string {
  if (min !== undefined && max !== undefined) return `${noun} from ${min} to ${max}`;
  if (min !== undefined) return `${noun} of at least ${min}`;
  if (max !== undefined) return `${noun} of at most ${max}`;
  return noun;
}

export const opt = {
  int(help: string, defaultValue?: number, bounds: Bounds = {}): OptionSpec<number> {
    let schema = z.number().int();
    if (bounds.min !== undefined) schema = schema.min(bounds.min);
    if (bounds.max !== undefined) schema = schema.max(bounds.max);
    return { kind: 'int', schema, help, default: defaultValue, expects: range('a whole number', bounds) };
  },
  number(help: string, defaultValue?: number, bounds: Bounds = {}): OptionSpec<number> {
    let schema = z.number().finite();
    if (bounds.min !== undefined) schema = schema.min(bounds.min);
    if (bounds.max !== undefined) schema = schema.max(bounds.max);
    return { kind: 'number', schema, help, default: defaultValue, expects: range('a number', bounds) };
  },
  string(help: string, defaultValue?: string): OptionSpec<string> {
    return { kind: 'string', schema: z.string().min(1), help, default: defaultValue, expects: 'a non-empty string' };
  },
  boolean(help: string, defaultValue = false): OptionSpec<boolean> {
    return { kind: 'boolean', schema: z.boolean(), help, default: defaultValue, expects: 'true or false' };
  },
  list(help: string): OptionSpec<string[]> {
    return { kind: 'list', schema: z.array(z.string().min(1)), help, default: [], expects: 'a list of non-empty strings' };
  },
  choice<const C extends readonly [string, ...string[]]>(choices: C, help: string, defaultValue?: C[number]): OptionSpec<C[number]> {
    return { kind: 'choice', schema: z.enum(choices) as unknown as z.ZodType<C[number]>, help, default: defaultValue, choices, expects: `one of ${choices.join(', ')}` };
  },
};

export type OptionTable = Record<string, OptionSpec<any>>;

/** The values of a table once resolved: options with a default are always set. */
export type OptionValues<T extends OptionTable> = {
  [K in keyof T]: T[K] extends OptionSpec<infer V> ? (T[K]['default'] extends undefined ? V | undefined : V) : never;
};

/** What a caller may give: any subset. */
export type OptionInput<T extends OptionTable> = { [K in keyof T]?: T[K] extends OptionSpec<infer V> ? V : never };

export interface OptionGroup<T extends OptionTable> {
  readonly name: string;
  readonly table: T;
  /** Checks the given options (unknown keys and bad values are errors) and applies the defaults. */
  resolve(input?: OptionInput<T>, where?: string): OptionValues<T>;
}

export function defineOptions<T extends OptionTable>(name: string, table: T): OptionGroup<T> {
  return {
    name,
    table,
    resolve(input = {}, where = `${name} options`) {
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(input)) {
        if (!(key in table)) throw new ConfigurationError(`${where}: unknown option "${key}" (known: ${Object.keys(table).join(', ')})`);
      }
      for (const [key, spec] of Object.entries(table)) {
        const value = (input as Record<string, unknown>)[key];
        if (value === undefined) {
          out[key] = spec.default;
          continue;
        }
        const parsed = spec.schema.safeParse(value);
        if (!parsed.success) throw new ConfigurationError(`${where}: ${key} must be ${spec.expects} (got ${JSON.stringify(value)})`);
        out[key] = parsed.data;
      }
      return out as OptionValues<T>;
    },
  };
}

/** Only the keys of `table`, from a larger set of options (e.g. a run's, for one of its groups). */
export function pick<T extends OptionTable>(group: OptionGroup<T>, values: Record<string, unknown>): OptionInput<T> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(group.table)) if (values[key] !== undefined) out[key] = values[key];
  return out as OptionInput<T>;
}

/** One seed for every random choice of a run (fuzzer, templates, split): one key in every group that uses it. */
export const SEED_OPTION = opt.int('seed of every random choice (inputs, templates, split): same seed, same data', 0, { min: 0 });
