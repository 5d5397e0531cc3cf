/** Pool task: the next hop of every flow of a batch against a selection table, on this thread's ECMP engine. */
import { answer } from './answer.ts';
import { threadEcmp } from './engines.ts';
import type { HashFlowsRequest, HashFlowsResponseValue, TaskResponse } from './types.ts';
import { checkFlows } from './validate.ts';

export default function hashFlows(request: HashFlowsRequest): TaskResponse<HashFlowsResponseValue> {
  return answer(() => {
    const invalid = checkFlows(request.table, request.flows);
    if (invalid) return invalid;
    const out = threadEcmp().selectBatch(request.table, request.flows, request.hash, new Uint32Array(request.flows.count));
    return { value: out, buffers: [out] };
  });
}
