// Samples: templates and formats (sft, chat, pretrain, bench, output and input prediction), the
// split (per record, then leak-free across records), the dataset writer, card.
export { buildSamples, benchPrompt, completionFor, doctestLines, pretrainText, FORMATS, type SampleSet, type FormatName } from './formats.js';
export { samplesStage, SAMPLES_OPTIONS, SAMPLES_STAGE, type SamplesOptions } from './stage.js';
export { LeakFreeSplit, splitOf, type Split, type SplitMoves, type SplitUnit } from './split.js';
export { definitionsOf, type Definition } from './definitions.js';
export { shownProblem, MIN_SHOWN_OUTCOMES, type ShownProblem } from './informative.js';
export { PREDICTION_FORMATS, predictionSamples, choosePredicted, type PredictionFormat, type PredictionSample } from './predictions.js';
export { chooseShown, renderPrompt, type TemplateChoice } from './templates.js';
export { RENDERINGS, type CaseRendering } from './renderings.js';
export { INSTRUCTIONS } from './instructions.js';
export { DatasetWriter, TEST_FORMATS, type DatasetCounts } from './write.js';
export { datasetCard } from './card.js';
export { rngFor, unitHash } from './random.js';
