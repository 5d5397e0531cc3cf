/**
 * The parent's handle on a capture peer running in a namespace: its events as they come, and waits
 * on them ("End-of-RIB for these families, or no UPDATE for a while").
 */
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { type ManagedProcess, spawnIn } from '../netns/process.ts';
import type { PeerEvent, PeerOptions } from './capture-peer.ts';

const PEER_SCRIPT = fileURLToPath(new URL('./capture-peer.ts', import.meta.url));
const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface PeerHandle {
  process: ManagedProcess;
  events: PeerEvent[];
  /** Resolves with the `end` event. */
  ended: Promise<Extract<PeerEvent, { event: 'end' }>>;
  /** Resolves once `predicate` holds for the events so far, or rejects after `timeoutMs`. */
  waitFor(what: string, predicate: (events: PeerEvent[]) => boolean, timeoutMs: number): Promise<void>;
  /** Resolves when UPDATEs have stopped: more than `since` arrived in all, then none for `quietMs`. */
  waitForQuiet(since: number, quietMs: number, timeoutMs: number): Promise<void>;
  updateCount(): number;
  /** When the last UPDATE came (ms since the epoch). */
  lastUpdateAt(): number;
}

export function startPeer(namespace: string, options: PeerOptions): PeerHandle {
  // tsx is resolved from the repository root, wherever the caller runs from.
  const proc = spawnIn(namespace, process.execPath, ['--import', 'tsx', PEER_SCRIPT, JSON.stringify(options)], { cwd: REPO_ROOT });
  const events: PeerEvent[] = [];
  const waiters = new Set<() => void>();
  let lastUpdateAt = Date.now();
  let stderr = '';
  proc.child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  let resolveEnd!: (event: Extract<PeerEvent, { event: 'end' }>) => void;
  const ended = new Promise<Extract<PeerEvent, { event: 'end' }>>((resolve) => {
    resolveEnd = resolve;
  });
  createInterface({ input: proc.child.stdout! }).on('line', (line) => {
    const event = JSON.parse(line) as PeerEvent;
    events.push(event);
    if (event.event === 'message' && event.type === 2) lastUpdateAt = Date.now();
    if (event.event === 'end') resolveEnd(event);
    for (const wake of waiters) wake();
  });
  void proc.exited.then((code) => {
    if (!events.some((e) => e.event === 'end')) {
      resolveEnd({ event: 'end', reason: 'error', bytes: 0, detail: `peer exited (${code}): ${stderr.trim()}` });
    }
    for (const wake of waiters) wake();
  });
  const updateCount = () => events.filter((e) => e.event === 'message' && e.type === 2).length;

  const waitFor = (what: string, predicate: (events: PeerEvent[]) => boolean, timeoutMs: number) =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (predicate(events)) done(resolve);
        else if (events.some((e) => e.event === 'end')) done(() => reject(new Error(`session ended while waiting for ${what}: ${JSON.stringify(events.at(-1))}`)));
      };
      const timer = setTimeout(() => done(() => reject(new Error(`timed out waiting for ${what}`))), timeoutMs);
      // Predicates may depend on time passing ("quiet for 1.5 s"), not only on new events.
      const tick = setInterval(check, 100);
      const done = (then: () => void) => {
        clearTimeout(timer);
        clearInterval(tick);
        waiters.delete(check);
        then();
      };
      waiters.add(check);
      check();
    });

  const waitForQuiet = (since: number, quietMs: number, timeoutMs: number) =>
    waitFor(
      `UPDATEs past the first ${since} then ${quietMs} ms of quiet`,
      () => updateCount() > since && Date.now() - lastUpdateAt >= quietMs,
      timeoutMs,
    );

  return { process: proc, events, ended, waitFor, waitForQuiet, updateCount, lastUpdateAt: () => lastUpdateAt };
}
