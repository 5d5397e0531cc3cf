/** Pool task: route columns into UPDATE messages for an update group (WireCodec.encodeRoutes), on this thread's codec. */
import { answer } from './answer.ts';
import { threadCodec } from './engines.ts';
import { unpackRecord } from './records.ts';
import { unpackSets } from './set-records.ts';
import type { EncodeRoutesRequest, EncodeRoutesResponseValue, TaskResponse } from './types.ts';
import { checkColumns } from './validate.ts';
import type { SessionContext } from '../wire/types.ts';

export default function encodeRoutes(request: EncodeRoutesRequest): TaskResponse<EncodeRoutesResponseValue> {
  return answer(() => {
    const invalid = checkColumns(request.routes);
    if (invalid) return invalid;
    const context = unpackRecord<SessionContext | undefined>(request.context);
    const encoded = threadCodec().encodeRoutes(request.routes, unpackSets(request.attributeSets), context);
    // The addon's bytes are external memory, which postMessage would copy on the main thread (an
    // allocation, a memcpy and garbage there); a copy of our own here moves instead (docs/pool.md).
    const bytes = encoded.slice();
    return { value: bytes, buffers: [bytes] };
  });
}
