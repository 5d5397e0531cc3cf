/**
 * Fixtures for speaker tests: speakers on their own loopback addresses (each its own router id
 * and transport address), bounded waits, and the cleanup of everything a test started.
 */
import type { RouteEncoder } from '../rib/route-encoder.ts';
import type { Clock } from '../session/clock.ts';
import { type Logger, Speaker } from '../speaker.ts';
import type { SpeakerConfig, SpeakerPeerConfig } from './config.ts';
import type { LocRibEntry } from './views.ts';

export { until, pause, within } from '../session/driver-testing.ts';

/** Every speaker a test started, aborted at its end whatever happened. */
export class Speakers {
  readonly #started: Speaker[] = [];

  /**
   * Starts a speaker of `asn` on `address` (a 127.0.0.0/8 address), listening there on a port of
   * its own, with router id `192.0.2.<last octet>` unless the config says.
   */
  async start(
    address: string,
    asn: number,
    config: Partial<SpeakerConfig> = {},
    options: { clock?: Clock; listen?: boolean; logger?: Logger; pool?: RouteEncoder } = {},
  ): Promise<Speaker> {
    const lastOctet = address.split('.').at(-1);
    const speaker = new Speaker(
      {
        asn,
        routerId: `192.0.2.${lastOctet}`,
        listen: options.listen === false ? [] : [{ address, port: 0 }],
        peers: [],
        routes: [],
        ...config,
      },
      {
        ...(options.clock !== undefined ? { clock: options.clock } : {}),
        ...(options.logger !== undefined ? { logger: options.logger } : {}),
        ...(options.pool !== undefined ? { pool: options.pool } : {}),
      },
    );
    this.#started.push(speaker);
    await speaker.start();
    return speaker;
  }

  async cleanup(): Promise<void> {
    for (const speaker of this.#started.splice(0).reverse()) await speaker.abort();
  }
}

/** A peer of `speaker` as another speaker configures it: an active connection to its listener. */
export function peerOf(speaker: Speaker, localAddress: string, overrides: Partial<SpeakerPeerConfig> = {}): SpeakerPeerConfig {
  const [listening] = speaker.listening;
  return {
    address: listening.address,
    asn: speaker.config.asn,
    localAddress,
    port: listening.port,
    connectRetry: 1,
    ...overrides,
  };
}

/** The same peering from the listening side: wait for `address` to connect. */
export function passivePeer(address: string, asn: number, overrides: Partial<SpeakerPeerConfig> = {}): SpeakerPeerConfig {
  return { address, asn, passive: true, ...overrides };
}

/** The Loc-RIB entry of a prefix, if any. */
export function entryOf(speaker: Speaker, family: string, prefix: string): LocRibEntry | undefined {
  return speaker.locRib(family).find((entry) => entry.prefix === prefix);
}

/** Two speakers in session: `b` listens and waits for `a`, which connects. */
export async function peered(a: Speaker, aAddress: string, b: Speaker, bAddress: string, options: {
  a?: Partial<SpeakerPeerConfig>;
  b?: Partial<SpeakerPeerConfig>;
} = {}): Promise<void> {
  b.addPeer(passivePeer(aAddress, a.config.asn, options.b));
  a.addPeer(peerOf(b, aAddress, options.a));
}
