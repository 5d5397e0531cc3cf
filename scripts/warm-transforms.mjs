// Fills tsx's transform cache with the modules that test tiers start as processes and threads: the
// `porter` commands (speakers, controllers, `porter run`) and the pool's workers. tsx keys its
// cache by file path and content, so a fresh clone starts cold; the interop and end-to-end tiers
// then start dozens of such processes at once, and each would transform the same few hundred
// files itself, on a machine the other tiers already keep busy. One process does it here instead.
import { register } from 'tsx/esm/api';

register();

const entryPoints = [
  '../cli/bgp-command.ts',
  '../cli/cluster-commands.ts',
  '../cli/demo-command.ts',
  '../cli/info-command.ts',
  '../cli/run-command.ts',
  '../cli/wire-command.ts',
  '../controller/app/operations.ts',
  '../controller/app/standalone.ts',
  '../controller/app/cluster-controller.ts',
  '../controller/app/cluster-speaker.ts',
  '../controller/app/demo.ts',
  '../engine/pool/decode-routes.worker.ts',
  '../engine/pool/encode-routes.worker.ts',
  '../engine/pool/rank-destinations.worker.ts',
  '../engine/pool/hash-flows.worker.ts',
];

for (const entryPoint of entryPoints) await import(new URL(entryPoint, import.meta.url).href);
