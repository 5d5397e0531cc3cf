// test-child.ts started as bin/porter.mjs starts the CLI: tsx registered through its API, which
// hooks only the main thread (pool-shutdown.test.ts).
import { register } from 'tsx/esm/api';

register();
await import('./test-child.ts');
