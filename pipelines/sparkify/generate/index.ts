/**
 * The Sparkify sample-data generator: song_data and log_data in the Udacity dataset's formats and
 * key layout, any size, deterministic by seed, with the dataset's valid messiness and, on request,
 * invalid lines for tests (DESIGN §6, §8).
 */
export { generateSparkifyData, writeLiveDays } from './generate.ts';
export type { GenerateProgress, GenerateSummary } from './generate.ts';
export { generateCommand } from './generate-command.ts';
export { GENERATE_DEFAULTS, InvalidGenerateOptionError, resolveGenerateOptions } from './options.ts';
export type { GenerateOptions, ResolvedGenerateOptions } from './options.ts';
export { FAULT_KINDS } from './faults.ts';
export type { FaultKind, GeneratedFault } from './faults.ts';
