/** Pool task: route columns into UPDATE messages for an update group (WireCodec.encodeRoutes), on this thread's codec. */
import { answer } from './answer.ts';
import { threadCodec } from './engines.ts';
import { unpackRecord } from './records.ts';
import type { EncodeRoutesMetadata, EncodeRoutesRequest, EncodeRoutesResponseValue, TaskResponse } from './types.ts';
import { checkColumns } from './validate.ts';

export default function encodeRoutes(request: EncodeRoutesRequest): TaskResponse<EncodeRoutesResponseValue> {
  return answer(() => {
    const invalid = checkColumns(request.routes);
    if (invalid) return invalid;
    const { attributeSets, context } = unpackRecord<EncodeRoutesMetadata>(request.metadata);
    const bytes = threadCodec().encodeRoutes(request.routes, attributeSets, context);
    return { value: bytes, buffers: [bytes] };
  });
}
