// The evaluation API: everything `case2code eval` does, for programs.
export { runEval, EVAL_TOOLS, INTERACTIVE_TOOLS, type RunEvalOptions, type RunEvalResult } from './run-eval.js';
export { loadBenchmark, type LoadBenchmarkOptions } from './benchmark.js';
export { evaluateItems, itemResult, EvalTally, checkKs, type ItemResult, type EvalSummary, type EvaluateOptions, type SetupErrorEntry } from './evaluate.js';
export { scoreAnswer, actualText, FAIL_REASONS, type Answer, type FailReason, type SampleResult, type FailingCase, type ScoreOptions } from './score.js';
export { answersFromCompletions, answersFromModel, mostAnswersPerId, type AnswerSource } from './answers.js';
export { readCompletions, REFERENCE_TRUNCATION_MARKER } from './completions.js';
export { extractCode } from './extract-code.js';
export { reprsMatch } from './float-match.js';
export { passAtK, meanPassAtK } from './pass-at-k.js';
export { renderEvalReport, writeEvalReport } from './report-html.js';
export { OFFICIAL_TOOLS } from './official.js';
export { PROMPT_STYLES, DEFAULT_PROMPT_STYLE, OFFICIAL_PROMPT_NOTE, officialPrompt, type PromptStyle } from './prompts.js';
export { InteractiveEval, parseQuery, QUERY_TOOL, type InteractiveOptions } from './interactive/interactive.js';
export { benchItem } from './bench-format.js';
export { EvalInputError, describeProblem, type EvalItem, type Expected, type BenchmarkFormat, type InputProblem } from './items.js';
