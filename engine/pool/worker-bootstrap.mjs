// Where every pool worker starts. Piscina workers inherit the process's execArgv, so a process
// started with `--import tsx` gives them tsx's hooks; but bin/porter.mjs registers tsx through its
// API (`register()`), which hooks only the thread that calls it, and workers would then fail on
// the first .ts file. So each worker registers tsx itself before loading the task files. Under
// `--import tsx` this registers a second, equivalent hook chain, which resolves the same files.
import { register } from 'tsx/esm/api';

register();

export const { default: decodeRoutes } = await import('./decode-routes.worker.ts');
export const { default: encodeRoutes } = await import('./encode-routes.worker.ts');
export const { default: rankDestinations } = await import('./rank-destinations.worker.ts');
export const { default: hashFlows } = await import('./hash-flows.worker.ts');
