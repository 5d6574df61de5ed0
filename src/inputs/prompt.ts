// The writer prompt of the `llm` generator, in our own words: reason about each parameter first,
// then write N varied inputs as keyword-argument dicts in one Python code block. One worked example
// (a different function) shows the expected shape.
import type { LlmMessage } from '../llm/client.js';

const SYSTEM = 'You write test inputs for Python functions. You never run code; you reason about it.';

const EXAMPLE_CODE = `def count_vowels(text, include_y=False):
    vowels = 'aeiouy' if include_y else 'aeiou'
    return sum(1 for ch in text.lower() if ch in vowels)`;

const EXAMPLE_ANSWER = `Parameters:
- \`text\` is a string (the body calls \`text.lower()\` and iterates over it): the text whose vowels are counted.
- \`include_y\` is a boolean flag, default False: whether 'y' counts as a vowel.
Worth covering: an empty string, upper-case letters, a word with only 'y' as vowel with the flag on and off.

\`\`\`python
inputs = [
    dict(text='hello world'),
    dict(text=''),
    dict(text='AEIOU'),
    dict(text='rhythm', include_y=True),
    dict(text='rhythm', include_y=False),
    dict(text='Python is fun', include_y=True),
]
\`\`\``;

function task(code: string, entry: string, n: number): string {
  return [
    'Here is a Python function:',
    '',
    '```python',
    code.trimEnd(),
    '```',
    '',
    `1. For each parameter of \`${entry}\`, say in a line what type it needs and what it means, judging by its name, default, docstring and how the body uses it.`,
    `2. Then write ${n} different inputs for \`${entry}\`. Together they should take every branch: ordinary values, edge cases (empty, zero, negative, boundaries the code tests for) and unusual but valid values. Keep the values short and readable.`,
    '',
    `Put the inputs in one Python code block as \`inputs = [dict(name=value, ...), ...]\`, one dict of keyword arguments per call. Use only plain literals: numbers, strings, lists, tuples, dicts, sets, None, True, False.`,
  ].join('\n');
}

/** The chat conversation for a first request. */
export function writerMessages(code: string, entry: string, n: number): LlmMessage[] {
  return [
    { role: 'system', content: SYSTEM },
    { role: 'user', content: task(EXAMPLE_CODE, 'count_vowels', 6) },
    { role: 'assistant', content: EXAMPLE_ANSWER },
    { role: 'user', content: task(code, entry, n) },
  ];
}

/** The follow-up when too few of the answer's inputs could be used. */
export function followUp(accepted: number, wanted: number, reasons: string[]): string {
  const why = reasons.length > 0 ? ` (the rest were dropped: ${[...new Set(reasons)].slice(0, 5).join(', ')})` : '';
  return (
    `Only ${accepted} usable input${accepted === 1 ? '' : 's'} so far${why}. ` +
    `Write ${wanted} more, different from the ones already given, in the same format: one Python code block with \`inputs = [dict(...), ...]\`.`
  );
}

/** The same conversation as one prompt, for servers used in completions mode. */
export function asCompletionPrompt(messages: LlmMessage[]): string {
  const parts = messages.map((m) => `### ${m.role === 'assistant' ? 'Answer' : m.role === 'system' ? 'System' : 'Task'}\n${m.content}`);
  return `${parts.join('\n\n')}\n\n### Answer\n`;
}
