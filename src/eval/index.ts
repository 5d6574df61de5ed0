// The evaluation API: everything `case2code eval` does, for programs.
export { runEval, EVAL_TOOLS, type RunEvalOptions, type RunEvalResult } from './run-eval.js';
export { loadBenchmark } from './benchmark.js';
export { evaluateItems, itemResult, EvalTally, checkKs, type ItemResult, type EvalSummary, type EvaluateOptions } from './evaluate.js';
export { scoreAnswer, actualText, FAIL_REASONS, type Answer, type FailReason, type SampleResult, type FailingCase } from './score.js';
export { answersFromSamples, answersFromModel, samplesPerItem, type AnswerSource } from './answers.js';
export { readSamples } from './samples.js';
export { extractCode } from './extract-code.js';
export { passAtK, meanPassAtK } from './pass-at-k.js';
export { renderReport, writeReport } from './report-html.js';
export { OFFICIAL_PROMPT_NOTE, OFFICIAL_TOOLS } from './official.js';
export { EvalInputError, type EvalItem, type Expected, type BenchmarkFormat } from './items.js';
