/**
 * Leader election on a coordination.k8s.io/v1 Lease, as client-go's tools/leaderelection does it.
 * A candidate takes the Lease when it is free (released: no holder) or expired; it writes with the
 * resourceVersion it read, so of two candidates racing, one gets 409 Conflict and stays a stand-by.
 * The leader renews every retry period; if it cannot renew for the renew deadline it stops leading,
 * before its lease expires for the others (renew deadline < lease duration). Stopping releases the
 * Lease by clearing the holder, so a stand-by takes over at its next retry instead of waiting.
 *
 * Expiry is judged as client-go judges it: against the local time at which this candidate last saw
 * the record change, plus the lease duration, so clock skew between nodes cannot shorten a lease.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { ApiException, CoordinationV1Api, V1MicroTime, type KubeConfig, type V1Lease } from '@kubernetes/client-node';
import type { Logger } from 'pino';

/** The Lease's spec, times in epoch milliseconds. */
export interface LeaseRecord {
  /** Empty when released. */
  holderIdentity: string;
  leaseDurationSeconds: number;
  acquireTime: number;
  renewTime: number;
  leaseTransitions: number;
}

export interface StoredLease {
  record: LeaseRecord;
  resourceVersion: string;
}

/** `code` is the HTTP status (409: someone else wrote first), absent for network errors. */
export type LeaseResult<T> = { ok: true; value: T } | { ok: false; code?: number; error: string };

/** One Lease's storage; an in-memory fake in tests, the API in production (kubeLeaseClient). */
export interface LeaseClient {
  /** The Lease, or undefined when it does not exist. */
  get(): Promise<LeaseResult<StoredLease | undefined>>;
  create(record: LeaseRecord): Promise<LeaseResult<StoredLease>>;
  /** Replaces the spec if the Lease is still at `resourceVersion` (409 otherwise). */
  update(record: LeaseRecord, resourceVersion: string): Promise<LeaseResult<StoredLease>>;
}

export interface Clock {
  now(): number;
  /** Waits `ms`, or less if `signal` aborts; never rejects. */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
}

export interface LeaderElectionConfig {
  /** The cluster, when no leaseClient is given. */
  kc?: KubeConfig;
  leaseClient?: LeaseClient;
  namespace: string;
  name: string;
  /** Unique per candidate: the Pod name. */
  identity: string;
  leaseDurationSeconds?: number;
  renewDeadlineSeconds?: number;
  retryPeriodSeconds?: number;
  clock?: Clock;
  logger?: Pick<Logger, 'info' | 'warn'>;
}

export interface LeaderCallbacks {
  onStartedLeading(): void;
  /** Leadership ended (renewal failed, another holder seen, or stop): stop acting as leader now. */
  onStoppedLeading(): void;
  /** The Lease names a new holder (this candidate included). */
  onNewLeader?(identity: string): void;
}

export interface LeaderElection {
  /** Stops campaigning; a leader releases the Lease and gets onStoppedLeading first. */
  stop(): Promise<void>;
  isLeader(): boolean;
}

const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) => sleep(ms, undefined, { signal }).catch(() => undefined),
};

type Attempt = 'held' | 'other' | 'failed' | 'timeout' | 'stopped';

/** Campaigns for the Lease until stopped, calling back on each change of leadership. */
export function startLeaderElection(config: LeaderElectionConfig, callbacks: LeaderCallbacks): LeaderElection {
  const leaseDuration = (config.leaseDurationSeconds ?? 15) * 1000;
  const renewDeadline = (config.renewDeadlineSeconds ?? 10) * 1000;
  const retryPeriod = (config.retryPeriodSeconds ?? 2) * 1000;
  if (!(leaseDuration > renewDeadline && renewDeadline > retryPeriod && retryPeriod > 0)) {
    throw new Error(`leader election needs leaseDuration > renewDeadline > retryPeriod > 0, got ${leaseDuration} > ${renewDeadline} > ${retryPeriod} ms`);
  }
  if (!config.leaseClient && !config.kc) throw new Error('leader election needs kc or leaseClient');
  const client = config.leaseClient ?? kubeLeaseClient(config.kc as KubeConfig, config.namespace, config.name);
  const clock = config.clock ?? realClock;
  const { identity, logger } = config;
  const stopping = new AbortController();
  let leading = false;
  let observed: { lease: StoredLease; at: number } | undefined;
  let lastRenew = 0;

  function observe(lease: StoredLease): void {
    const before = observed?.lease.record;
    const changed = !before || JSON.stringify(before) !== JSON.stringify(lease.record);
    observed = { lease, at: changed ? clock.now() : (observed as { at: number }).at };
    const holder = lease.record.holderIdentity;
    if (holder !== '' && holder !== before?.holderIdentity) callbacks.onNewLeader?.(holder);
  }

  async function tryAcquireOrRenew(): Promise<Attempt> {
    const got = await client.get();
    if (!got.ok) return 'failed';
    const now = clock.now();
    if (got.value === undefined) {
      const created = await client.create(claim(undefined, now));
      if (!created.ok) return 'failed';
      observe(created.value);
      return 'held';
    }
    observe(got.value);
    const current = got.value.record;
    const holder = current.holderIdentity;
    if (holder !== '' && holder !== identity && (observed as { at: number }).at + current.leaseDurationSeconds * 1000 > now) return 'other';
    const updated = await client.update(claim(current, now), got.value.resourceVersion);
    if (!updated.ok) return 'failed';
    observe(updated.value);
    return 'held';
  }

  function claim(current: LeaseRecord | undefined, now: number): LeaseRecord {
    const mine = current?.holderIdentity === identity;
    return {
      holderIdentity: identity,
      leaseDurationSeconds: leaseDuration / 1000,
      acquireTime: mine ? (current as LeaseRecord).acquireTime : now,
      renewTime: now,
      leaseTransitions: current === undefined ? 0 : mine ? current.leaseTransitions : current.leaseTransitions + 1,
    };
  }

  /** One attempt, abandoned when `deadline` passes or the election stops. */
  async function attempt(deadline: number): Promise<Attempt> {
    const timer = new AbortController();
    const onStop = () => timer.abort();
    stopping.signal.addEventListener('abort', onStop, { once: true });
    try {
      const expired = clock.sleep(Math.max(0, deadline - clock.now()), timer.signal).then((): Attempt => (stopping.signal.aborted ? 'stopped' : 'timeout'));
      const done = tryAcquireOrRenew().catch((): Attempt => 'failed');
      return await Promise.race([done, expired]);
    } finally {
      stopping.signal.removeEventListener('abort', onStop);
      timer.abort();
    }
  }

  function stepDown(why: string): void {
    leading = false;
    logger?.warn({ identity, lease: `${config.namespace}/${config.name}` }, `stopped leading: ${why}`);
    callbacks.onStoppedLeading();
  }

  async function campaign(): Promise<void> {
    while (!stopping.signal.aborted) {
      if (!leading) {
        const result = await attempt(clock.now() + renewDeadline);
        if (result === 'held' && !stopping.signal.aborted) {
          leading = true;
          lastRenew = clock.now();
          logger?.info({ identity, lease: `${config.namespace}/${config.name}` }, 'started leading');
          callbacks.onStartedLeading();
          continue;
        }
      } else {
        const result = await attempt(lastRenew + renewDeadline);
        if (stopping.signal.aborted) return;
        if (result === 'held') lastRenew = clock.now();
        else if (result === 'other') stepDown(`the Lease names ${observed?.lease.record.holderIdentity}`);
        else if (clock.now() - lastRenew >= renewDeadline) stepDown(`no renewal for ${renewDeadline / 1000} s`);
      }
      await clock.sleep(retryPeriod, stopping.signal);
    }
  }

  async function release(): Promise<void> {
    const lease = observed?.lease;
    if (!lease) return;
    const now = clock.now();
    // client-go's release: no holder and a one-second duration, so every stand-by may take it now.
    const record: LeaseRecord = { holderIdentity: '', leaseDurationSeconds: 1, acquireTime: now, renewTime: now, leaseTransitions: lease.record.leaseTransitions };
    const released = await client.update(record, lease.resourceVersion).catch((error: Error) => ({ ok: false as const, error: error.message }));
    if (!released.ok) logger?.warn({ identity, error: released.error }, 'could not release the Lease; stand-bys wait for it to expire');
  }

  const loop = campaign();

  return {
    isLeader: () => leading,
    async stop() {
      if (stopping.signal.aborted) return loop;
      stopping.abort();
      await loop;
      if (leading) {
        leading = false;
        await release();
        callbacks.onStoppedLeading();
      }
    },
  };
}

/** RFC 3339 with six fractional digits, the MicroTime form the API server requires for Lease times. */
export function formatMicroTime(ms: number): string {
  return new V1MicroTime(ms).toISOString();
}

/** A LeaseClient over coordination.k8s.io/v1. */
export function kubeLeaseClient(kc: KubeConfig, namespace: string, name: string): LeaseClient {
  const api = kc.makeApiClient(CoordinationV1Api);
  const body = (record: LeaseRecord, resourceVersion?: string): V1Lease => ({
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: { name, namespace, ...(resourceVersion ? { resourceVersion } : {}) },
    spec: {
      holderIdentity: record.holderIdentity,
      leaseDurationSeconds: record.leaseDurationSeconds,
      // V1MicroTime serialises with six fractional digits; a plain Date would send three, which
      // the API server rejects for MicroTime fields.
      acquireTime: new V1MicroTime(record.acquireTime),
      renewTime: new V1MicroTime(record.renewTime),
      leaseTransitions: record.leaseTransitions,
    },
  });
  return {
    async get() {
      try {
        return { ok: true, value: fromLease(await api.readNamespacedLease({ name, namespace })) };
      } catch (error) {
        if (error instanceof ApiException && error.code === 404) return { ok: true, value: undefined };
        return failure(error);
      }
    },
    async create(record) {
      try {
        return { ok: true, value: fromLease(await api.createNamespacedLease({ namespace, body: body(record) })) };
      } catch (error) {
        return failure(error);
      }
    },
    async update(record, resourceVersion) {
      try {
        return { ok: true, value: fromLease(await api.replaceNamespacedLease({ name, namespace, body: body(record, resourceVersion) })) };
      } catch (error) {
        return failure(error);
      }
    },
  };
}

function fromLease(lease: V1Lease): StoredLease {
  const spec = lease.spec ?? {};
  return {
    resourceVersion: lease.metadata?.resourceVersion ?? '',
    record: {
      holderIdentity: spec.holderIdentity ?? '',
      leaseDurationSeconds: spec.leaseDurationSeconds ?? 0,
      acquireTime: epochMs(spec.acquireTime),
      renewTime: epochMs(spec.renewTime),
      leaseTransitions: spec.leaseTransitions ?? 0,
    },
  };
}

/** The client declares MicroTime fields as Dates but hands back the JSON text; accept both. */
function epochMs(time: Date | string | undefined): number {
  if (time === undefined) return 0;
  const ms = time instanceof Date ? time.getTime() : Date.parse(time);
  return Number.isNaN(ms) ? 0 : ms;
}

function failure(error: unknown): { ok: false; code?: number; error: string } {
  if (error instanceof ApiException) return { ok: false, code: error.code, error: `${error.code} ${String(error.message).split('\n')[0]}` };
  return { ok: false, error: (error as Error)?.message ?? String(error) };
}
