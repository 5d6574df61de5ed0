// Renderings of a list of cases: the same facts written in many ways, so a model learns the task
// and not one layout. Every rendering states each shown case's call and its result or exception.
import type { Case, Param } from '../contract/index.js';
import { pythonCall, exceptionText, namedArguments, outcomeText, type ArgumentStyle } from './calls.js';

export interface RenderContext {
  entry: string;
  params: Param[];
  /** Whether calls show positional arguments as given or by parameter name. */
  style: ArgumentStyle;
}

export interface CaseRendering {
  name: string;
  render(cases: Case[], ctx: RenderContext): string;
}

const isRaise = (c: Case) => c.output.verdict === 'raise';
const call = (c: Case, ctx: RenderContext) => pythonCall(ctx.entry, c.input, ctx.params, ctx.style);
const lines = (cases: Case[], one: (c: Case, i: number) => string) => cases.map(one).join('\n');

export const RENDERINGS: CaseRendering[] = [
  {
    name: 'arrow',
    render: (cases, ctx) => lines(cases, (c) => `${call(c, ctx)} -> ${isRaise(c) ? `raises ${exceptionText(c)}` : outcomeText(c)}`),
  },
  {
    name: 'assert',
    render: (cases, ctx) =>
      lines(cases, (c) => (isRaise(c) ? `# ${call(c, ctx)} raises ${exceptionText(c)}` : `assert ${call(c, ctx)} == ${outcomeText(c)}`)),
  },
  {
    name: 'doctest',
    render: (cases, ctx) =>
      lines(cases, (c) =>
        isRaise(c) ? `>>> ${call(c, ctx)}\nTraceback (most recent call last):\n  ...\n${exceptionText(c)}` : `>>> ${call(c, ctx)}\n${outcomeText(c)}`,
      ),
  },
  {
    name: 'input-output',
    render: (cases, ctx) => cases.map((c) => `Input: ${namedArguments(c.input, ctx.params)}\nOutput: ${outcomeText(c)}`).join('\n\n'),
  },
  {
    name: 'dict-inline',
    render: (cases, ctx) => lines(cases, (c) => `Input: dict(${namedArguments(c.input, ctx.params).replace('(no arguments)', '')}), Output: ${outcomeText(c)}`),
  },
  {
    name: 'arguments-returns',
    render: (cases, ctx) =>
      cases
        .map((c) => {
          const args = pythonCall('', c.input, ctx.params, ctx.style);
          return `Arguments: ${args}\n${isRaise(c) ? 'Raises' : 'Returns'}: ${outcomeText(c)}`;
        })
        .join('\n\n'),
  },
  {
    name: 'table',
    render: (cases, ctx) => {
      const cell = (text: string) => text.replace(/\|/g, '\\|');
      const rows = cases.map((c) => `| \`${cell(call(c, ctx))}\` | \`${cell(outcomeText(c))}\` |`);
      return ['| call | result |', '| --- | --- |', ...rows].join('\n');
    },
  },
  {
    name: 'bullets',
    render: (cases, ctx) => lines(cases, (c) => `- ${call(c, ctx)} ${isRaise(c) ? 'raises' : 'returns'} ${outcomeText(c)}`),
  },
  {
    name: 'numbered',
    render: (cases, ctx) =>
      cases
        .map((c, i) => {
          const args = namedArguments(c.input, ctx.params);
          return `Example ${i + 1}:\n  arguments: ${args}\n  ${isRaise(c) ? 'exception' : 'result'}: ${outcomeText(c)}`;
        })
        .join('\n'),
  },
  {
    name: 'sentences',
    render: (cases, ctx) =>
      lines(cases, (c) => {
        const args = namedArguments(c.input, ctx.params);
        const given = args === '(no arguments)' ? `Calling ${ctx.entry} with no arguments` : `Calling ${ctx.entry} with ${args}`;
        return isRaise(c) ? `${given} raises ${exceptionText(c)}.` : `${given} gives ${outcomeText(c)}.`;
      }),
  },
  {
    name: 'print-comments',
    render: (cases, ctx) => lines(cases, (c) => (isRaise(c) ? `${call(c, ctx)}  # raises ${exceptionText(c)}` : `print(${call(c, ctx)})  # ${outcomeText(c)}`)),
  },
  {
    name: 'json-lines',
    render: (cases, ctx) =>
      lines(cases, (c) =>
        JSON.stringify(
          isRaise(c)
            ? { call: call(c, ctx), raises: exceptionText(c) }
            : { call: call(c, ctx), returns: outcomeText(c) },
        ),
      ),
  },
  {
    name: 'in-out-arrows',
    render: (cases, ctx) => lines(cases, (c) => `in:  ${namedArguments(c.input, ctx.params)}\nout: ${outcomeText(c)}`),
  },
];
