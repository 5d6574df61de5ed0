// Flags from the option tables (contract/options.ts): a flag's name is its key in kebab case, its
// help and default come from the table, and only what the user typed is handed on (the library
// applies the defaults). A `--config` file uses the same keys; flags win over it.
import { readFileSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { ConfigurationError, type OptionGroup, type OptionSpec, type OptionTable } from '../contract/index.js';

export const kebab = (key: string): string => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** Adds the flags of each group (a key shared by two groups, such as `seed`, is added once). */
export function addFlags(command: Command, groups: readonly OptionGroup<OptionTable>[]): Command {
  const added = new Set<string>();
  for (const group of groups) {
    for (const [key, spec] of Object.entries(group.table)) {
      if (added.has(key)) continue;
      added.add(key);
      command.addOption(flagFor(key, spec));
    }
  }
  return command;
}

function flagFor(key: string, spec: OptionSpec): Option {
  const name = kebab(key);
  const shown = spec.default === undefined || spec.kind === 'boolean' || (Array.isArray(spec.default) && spec.default.length === 0) ? '' : ` (default ${spec.default})`;
  switch (spec.kind) {
    case 'boolean':
      // A switch that is on by default is turned off with --no-<name>.
      return new Option(spec.default === true ? `--no-${name}` : `--${name}`, spec.help);
    case 'list':
      return new Option(`--${name} <values...>`, spec.help);
    case 'choice':
      return new Option(`--${name} <${name}>`, spec.help + shown).choices(spec.choices as string[]);
    case 'int':
      return new Option(`--${name} <n>`, spec.help + shown).argParser((value) => parseNumber(name, value, true));
    case 'number':
      return new Option(`--${name} <x>`, spec.help + shown).argParser((value) => parseNumber(name, value, false));
    default:
      return new Option(`--${name} <value>`, spec.help + shown);
  }
}

function parseNumber(name: string, value: string, integer: boolean): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || (integer && !Number.isInteger(n))) {
    throw new ConfigurationError(`--${name}: expected ${integer ? 'an integer' : 'a number'}, got "${value}"`);
  }
  return n;
}

/** The options the user gave on the command line (not commander's own defaults). */
export function givenFlags(command: Command): Record<string, unknown> {
  const values = command.opts();
  return Object.fromEntries(Object.keys(values).filter((key) => command.getOptionValueSource(key) === 'cli').map((key) => [key, values[key]]));
}

/** A JSON object of options from a `--config` file; its keys are checked by the caller's groups. */
export function readConfig(file: string): Record<string, unknown> {
  let config: unknown;
  try {
    config = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ConfigurationError(`--config ${file}: ${(error as Error).message}`);
  }
  if (!config || typeof config !== 'object' || Array.isArray(config)) throw new ConfigurationError(`--config ${file}: expected a JSON object of options`);
  return config as Record<string, unknown>;
}
