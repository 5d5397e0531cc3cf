/** Pool task: best path and multipath of many destinations (rank-batch.ts). Ranking has no native form yet. */
import { answer } from './answer.ts';
import { rankBatch } from './rank-batch.ts';
import { unpackRecord } from './records.ts';
import type { RankBatchResult, RankDestinationsRequest, RankMetadata, TaskResponse } from './types.ts';
import { checkOffsets } from './validate.ts';

export default function rankDestinations(request: RankDestinationsRequest): TaskResponse<RankBatchResult> {
  return answer(() => {
    const { paths, options } = unpackRecord<RankMetadata>(request.metadata);
    const invalid = checkOffsets(request.offsets, paths.length);
    if (invalid) return invalid;
    const result = rankBatch({ paths, offsets: request.offsets, options });
    return { value: result, buffers: [result.best, result.multipathOffsets, result.multipath, result.reason, result.against] };
  });
}
