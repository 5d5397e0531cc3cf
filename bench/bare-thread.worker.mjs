// One thread of bench/bare-threads.ts: loads the codec, runs its share of the batches once to warm
// up and then once per request, answering each time. tsx is registered here, as in
// engine/pool/worker-bootstrap.mjs, because a thread does not inherit hooks registered through
// tsx's API.
import { parentPort, workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { selectCodec } = await import('../engine/wire/index.ts');
const { task, batches, sets, implementation } = workerData;
const { codec } = selectCodec(implementation);

function runShare() {
  try {
    for (const batch of batches) {
      if (task === 'encodeRoutes') codec.encodeRoutes(batch, sets);
      else codec.decodeRoutes(batch);
    }
    parentPort.postMessage({});
  } catch (error) {
    parentPort.postMessage({ error: error.message });
  }
}

runShare();
parentPort.on('message', runShare);
