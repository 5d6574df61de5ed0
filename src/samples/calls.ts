// How a call and its result read as text. A call is kept as Python expression sources, so it can
// be written with its arguments as given, or with positional arguments named after the parameters.
import type { Case, CallSpec, Param } from '../contract/index.js';

export type ArgumentStyle = 'as-given' | 'keywords';

/** Each argument as `source` or `name=source`, in call order. */
export function argumentParts(input: CallSpec, params: Param[], style: ArgumentStyle): string[] {
  const parts: string[] = [];
  const args = input.args ?? [];
  // Only a trailing run of positional arguments can be named: a positional one may not follow.
  const names = args.map((_, i) => (style === 'keywords' ? nameablePositional(params, i) : undefined));
  for (let i = args.length - 1, tail = true; i >= 0; i--) {
    tail &&= names[i] !== undefined;
    if (!tail) names[i] = undefined;
  }
  args.forEach((source, i) => parts.push(names[i] ? `${names[i]}=${source}` : source));
  for (const [name, source] of Object.entries(input.kwargs ?? {})) parts.push(`${name}=${source}`);
  if (input.kwargsFrom) parts.push(`**${input.kwargsFrom}`);
  return parts;
}

/**
 * The parameter name a positional argument may be passed by, or undefined when it must stay
 * positional (positional-only, *args, or a position past the named parameters).
 */
function nameablePositional(params: Param[], index: number): string | undefined {
  const param = params[index];
  if (!param) return undefined;
  if (params.slice(0, index + 1).some((p) => p.kind === 'var_positional' || p.kind === 'keyword_only' || p.kind === 'var_keyword')) return undefined;
  if (param.kind === 'positional_only') return undefined;
  return param.name;
}

/** `entry(arg, name=value)`: valid Python that makes the call. */
export function pythonCall(entry: string, input: CallSpec, params: Param[], style: ArgumentStyle = 'as-given'): string {
  return `${entry}(${argumentParts(input, params, style).join(', ')})`;
}

/** Each argument named when possible: `a=1, b=[2]`, for renderings that describe inputs. */
export function namedArguments(input: CallSpec, params: Param[]): string {
  const parts = argumentParts(input, params, 'keywords');
  return parts.length > 0 ? parts.join(', ') : '(no arguments)';
}

/** What a case gave: the repr, or `TypeError: message` for a raised exception. */
export function outcomeText(c: Case): string {
  return c.output.verdict === 'return' ? c.output.repr : exceptionText(c);
}

export function exceptionText(c: Case): string {
  if (c.output.verdict !== 'raise') throw new Error('not an exception');
  return c.output.message ? `${c.output.type}: ${c.output.message}` : c.output.type;
}
