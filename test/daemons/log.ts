/** A daemon's log files, read for diagnosing a failed run, and giving up on a daemon that did not start. */
import { readFileSync } from 'node:fs';
import type { ManagedProcess } from '../netns/process.ts';

/** The text of the files that exist, one after another. */
export function readLog(...files: string[]): string {
  return files
    .map((file) => {
      try {
        return readFileSync(file, 'utf8');
      } catch {
        return '';
      }
    })
    .join('');
}

/** Stops a daemon that did not come up and fails with the reason and its log. */
export async function abandon(proc: ManagedProcess, error: unknown, log: () => string): Promise<never> {
  await proc.stop();
  throw new Error(`${(error as Error).message}\n--- daemon log ---\n${log().slice(-4000)}`);
}
