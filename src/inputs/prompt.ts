// The writer prompt of the `llm` and `hybrid` generators, in our own words: reason about each
// parameter's type first, then write N varied inputs of those types that look like real data, as
// keyword-argument dicts in one Python code block. One worked example (a different function) shows
// the expected shape.
import type { LlmMessage } from '../llm/client.js';

const SYSTEM = 'You write test inputs for Python functions. You never run code; you reason about it.';

const EXAMPLE_CODE = `def count_vowels(text, include_y=False):
    vowels = 'aeiouy' if include_y else 'aeiou'
    return sum(1 for ch in text.lower() if ch in vowels)`;

const EXAMPLE_ANSWER = `Parameters:
- \`text\` is a string (the body calls \`text.lower()\` and iterates over it): the text whose vowels are counted.
- \`include_y\` is a boolean flag, default False: whether 'y' counts as a vowel.
Worth covering: an empty string, upper-case letters, a word with only 'y' as vowel with the flag on and off, a real sentence.

\`\`\`python
inputs = [
    dict(text='hello world'),
    dict(text=''),
    dict(text='AEIOU'),
    dict(text='rhythm', include_y=True),
    dict(text='rhythm', include_y=False),
    dict(text='Python is fun', include_y=True),
    dict(text='The quick brown fox jumps over the lazy dog.'),
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
    `2. Then write ${n} different inputs for \`${entry}\`. Every value should be of the type you named for its parameter and look like real data: real words, names, sentences, URLs, dates or versions where the name or the code suggests them, numbers in plausible ranges, lists of a few items. No placeholders such as 'foo' or 'string'. Together the inputs should take every branch and show what each comparison and operation does: ordinary values, edge cases (empty, zero, negative, the exact boundaries the code tests for and the values just past them). Pass a value of another type only if the code itself checks for it. Keep the values short and readable.`,
    '',
    `Put the inputs in one Python code block as \`inputs = [dict(name=value, ...), ...]\`, one dict of keyword arguments per call. Use only plain literals: numbers, strings, lists, tuples, dicts, sets, None, True, False.`,
  ].join('\n');
}

/** The chat conversation for a first request. */
export function writerMessages(code: string, entry: string, n: number): LlmMessage[] {
  return [
    { role: 'system', content: SYSTEM },
    { role: 'user', content: task(EXAMPLE_CODE, 'count_vowels', 7) },
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
