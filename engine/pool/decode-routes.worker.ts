/** Pool task: a burst of UPDATE bytes into route columns (WireCodec.decodeRoutes), on this thread's codec. */
import { answer } from './answer.ts';
import { threadCodec } from './engines.ts';
import { packRecord, unpackRecord } from './records.ts';
import type { DecodeRoutesMetadata, DecodeRoutesRequest, DecodeRoutesResponseValue, TaskResponse } from './types.ts';
import type { SessionContext } from '../wire/types.ts';

export default function decodeRoutes(request: DecodeRoutesRequest): TaskResponse<DecodeRoutesResponseValue> {
  return answer(() => {
    const { routes, ...rest } = threadCodec().decodeRoutes(request.bytes, unpackRecord<SessionContext | undefined>(request.context));
    const metadata = packRecord(rest satisfies DecodeRoutesMetadata);
    const buffers = [routes.family, routes.prefixLength, routes.address, routes.pathId, routes.attributeSet, metadata];
    return { value: { routes, metadata }, buffers };
  });
}
