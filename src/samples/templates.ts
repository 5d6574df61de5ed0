// A training prompt from a function's cases: an instruction, an optional header naming the
// function, and the shown cases in one of many renderings, with the parts in a shuffled order.
// Every choice comes from rngFor(seed, id), so a record always gets the same prompt.
import { outputKey, type Case, type Param } from '../contract/index.js';
import { CASE_LEADS, HEADERS, INSTRUCTIONS } from './instructions.js';
import { rngFor, type Rng } from './random.js';
import { RENDERINGS } from './renderings.js';
import type { ArgumentStyle } from './calls.js';

/** What a prompt was made of; the report counts these to show the template mix. */
export interface TemplateChoice {
  instruction: number;
  rendering: string;
  header: boolean;
  style: ArgumentStyle;
  /** The order of the parts, e.g. `instruction,header,cases`. */
  order: string;
  shown: number;
}

export interface PromptInput {
  id: string;
  entry: string;
  params: Param[];
  /** The cases to show, already chosen and ordered (see chooseShown). */
  shown: Case[];
}

/**
 * A random number of cases between 3 (or all, if fewer) and all, shown in a random order. The
 * cases come ranked by what they reveal of the function (the inputs stage orders its inputs by
 * coverage, mutants told apart and outputs, greedily), so the shown ones are a prefix of that
 * ranking: the most revealing k. When the function has more than one distinct result, the shown
 * cases include two of them: a prompt whose cases all give the same result hides what it does.
 */
export function chooseShown(cases: Case[], rng: Rng): Case[] {
  const count = rng.int(Math.min(3, cases.length), cases.length);
  const shown = cases.slice(0, count);
  const first = outputKey(shown[0]);
  if (shown.length > 1 && shown.every((c) => outputKey(c) === first)) {
    const other = cases.slice(count).find((c) => outputKey(c) !== first);
    if (other) shown[shown.length - 1] = other;
  }
  return rng.shuffle(shown);
}

export function renderPrompt(input: PromptInput, rng: Rng): { prompt: string; template: TemplateChoice } {
  const instructionIndex = rng.int(0, INSTRUCTIONS.length - 1);
  const instruction = INSTRUCTIONS[instructionIndex];
  const rendering = rng.pick(RENDERINGS);
  const style: ArgumentStyle = rng.chance(0.5) ? 'as-given' : 'keywords';
  const cases = rendering.render(input.shown, { entry: input.entry, params: input.params, style });
  // The name must appear somewhere, or the model could not know what to call its function.
  const nameShown = instruction.includes('{name}') || mentions(cases, input.entry);
  const header = !nameShown || rng.chance(0.4);
  const lead = rng.pick(CASE_LEADS);
  const parts: { kind: string; text: string }[] = [
    { kind: 'instruction', text: instruction.replaceAll('{name}', input.entry) },
    { kind: 'cases', text: lead ? `${lead}\n${cases}` : cases },
  ];
  if (header) parts.push({ kind: 'header', text: rng.pick(HEADERS).replaceAll('{name}', input.entry) });
  const ordered = rng.shuffle(parts);
  return {
    prompt: ordered.map((p) => p.text).join('\n\n'),
    template: { instruction: instructionIndex, rendering: rendering.name, header, style, order: ordered.map((p) => p.kind).join(','), shown: input.shown.length },
  };
}

function mentions(text: string, name: string): boolean {
  return new RegExp(`(^|[^A-Za-z0-9_])${name.replace(/[$]/g, '\\$')}\\(`).test(text) || text.includes(`${name} `);
}

export { rngFor };
