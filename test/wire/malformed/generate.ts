/**
 * Writes testdata/wire/malformed.jsonl from the hand-assembled cases of this folder:
 * `node --import tsx test/wire/malformed/generate.ts`.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { malformedCases, malformedTable } from './table.ts';

const path = join(import.meta.dirname, '..', '..', '..', 'testdata', 'wire', 'malformed.jsonl');
writeFileSync(path, malformedTable());
console.log(`wrote ${malformedCases.length} cases to ${path}`);
