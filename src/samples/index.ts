// Samples: templates and formats (sft, chat, pretrain, bench), the split, the dataset writer, card.
export { buildSamples, benchPrompt, completionFor, doctestLines, pretrainText, FORMATS, type SampleSet, type FormatName } from './formats.js';
export { samplesStage, SAMPLES_OPTIONS, SAMPLES_STAGE, type SamplesOptions } from './stage.js';
export { splitOf, type Split } from './split.js';
export { chooseShown, renderPrompt, type TemplateChoice } from './templates.js';
export { RENDERINGS, type CaseRendering } from './renderings.js';
export { INSTRUCTIONS } from './instructions.js';
export { DatasetWriter, type DatasetCounts } from './write.js';
export { datasetCard } from './card.js';
export { rngFor, unitHash } from './random.js';
