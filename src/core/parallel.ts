/**
 * Runs independent calls of one exported pure function of a core module, possibly elsewhere (worker threads),
 * and returns their results in call order. `module` is the path under `src/core/` without extension
 * (e.g. `'synth/arf'`), `name` the export, `calls` one argument list per call. Core code that accepts a runner
 * must give every call its own seed, so results do not depend on where or in which order the calls ran, and
 * must fall back to calling the function in process when no runner is given. Node adapters provide one
 * (`poolRunner` in `src/node/workers/parallel-runner.ts`).
 * @example const chunks = await runner<TreeChunk>('synth/arf', 'fitArfTrees', [[xb, y, spec, 0, 5], [xb, y, spec, 5, 10]]);
 */
export type ParallelRunner = <T>(module: string, name: string, calls: unknown[][]) => Promise<T[]>;
