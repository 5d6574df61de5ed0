// The prompt a model sees for an official Case2Code item, in one of three styles, so a score can be
// compared with the paper's (and says which prompt it was made with):
//   official            the item's own `prompt`, unchanged (the reference's `trace2code_test_sft`);
//   reference-baseline  what the reference's `trace2code_test_baseline` sends: the prompt, the
//                       sentence on argument names, inside its Llama-3 chat header, byte for byte
//                       (data_process.py of the paper's repository);
//   ours                the item's prompt plus our note that the inputs are keyword arguments.
// Items in our own bench format carry their own fixed prompt and keep it under every style.

export const PROMPT_STYLES = ['official', 'reference-baseline', 'ours'] as const;
export type PromptStyle = (typeof PROMPT_STYLES)[number];
export const DEFAULT_PROMPT_STYLE: PromptStyle = 'official';

/** Added to the official prompt in the `ours` style: the examples are keyword arguments, which
 * the prompt only implies. */
export const OFFICIAL_PROMPT_NOTE =
  '\nThe function is called with keyword arguments, exactly as in the inputs above. ' +
  'Answer with the complete Python function in a ```python code block.\n';

/** The reference's baseline template and the chat header it is wrapped in (both verbatim). */
const BASELINE_PROMPT = '{prompt}\n\n\nPlease write the correct names of arguments. As the function you implement will be called by: {func_name}(**input_dict).';
const BASELINE_META_PROMPT = '<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\n{prompt}<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n';

export function officialPrompt(record: { prompt: string; func_name: string }, style: PromptStyle): string {
  switch (style) {
    case 'official':
      return record.prompt;
    case 'reference-baseline':
      // str.format of the reference, done by hand: each field is substituted once, so braces in
      // the prompt (dict literals in its examples) are left as they are.
      return fill(BASELINE_META_PROMPT, { prompt: fill(BASELINE_PROMPT, { prompt: record.prompt, func_name: record.func_name }) });
    case 'ours':
      return record.prompt.replace(/\s*$/, '\n') + OFFICIAL_PROMPT_NOTE;
  }
}

export function checkPromptStyle(style: string): PromptStyle {
  if (!(PROMPT_STYLES as readonly string[]).includes(style)) throw new Error(`unknown prompt style '${style}' (choose ${PROMPT_STYLES.join(', ')})`);
  return style as PromptStyle;
}

function fill(template: string, fields: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => fields[name] ?? whole);
}
