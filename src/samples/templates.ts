// A training prompt from a function's cases: an instruction, an optional header naming the
// function, and the shown cases in one of many renderings, with the parts in a shuffled order.
// Every choice comes from rngFor(seed, id), so a record always gets the same prompt.
import { outputKey, returnsArgument, type Case, type Param } from '../contract/index.js';
import { MIN_SHOWN_OUTCOMES, shownProblem } from './informative.js';
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
 * ranking: the most revealing k. When that prefix hides the function (see shownProblem: every
 * case raising, every return an argument, fewer than `minOutcomes` distinct outcomes), its
 * lowest-ranked cases are swapped for the best-ranked held-out ones that fix it, as far as the
 * function's cases allow: the count stays, and so does the template mix.
 */
export function chooseShown(cases: Case[], rng: Rng, minOutcomes = MIN_SHOWN_OUTCOMES): Case[] {
  const count = rng.int(Math.min(3, cases.length), cases.length);
  const shown = cases.slice(0, count);
  const held = cases.slice(count);
  let score = revealing(shown, minOutcomes);
  for (let improved = true; improved && shownProblem(shown, minOutcomes); ) {
    improved = false;
    search: for (let h = 0; h < held.length; h++) {
      for (let s = shown.length - 1; s >= 0; s--) {
        const trial = [...shown];
        trial[s] = held[h];
        const trialScore = revealing(trial, minOutcomes);
        if (trialScore > score) {
          [shown[s], held[h]] = [held[h], shown[s]];
          score = trialScore;
          improved = true;
          break search;
        }
      }
    }
  }
  return rng.shuffle(shown);
}

/** How much shown cases reveal, as one comparable number: some return, a return that is not an argument, then distinct outcomes up to the goal. */
function revealing(shown: Case[], minOutcomes: number): number {
  const returning = shown.filter((c) => c.output.verdict === 'return');
  const distinct = Math.min(new Set(shown.map(outputKey)).size, minOutcomes);
  return (returning.length > 0 ? 2 * (minOutcomes + 1) : 0) + (returning.some((c) => !returnsArgument(c)) ? minOutcomes + 1 : 0) + distinct;
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
