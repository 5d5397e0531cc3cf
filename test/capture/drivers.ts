/** The daemons captured, by name. */
import { bird } from '../daemons/bird.ts';
import type { DaemonDriver } from '../daemons/config.ts';
import { exabgp } from '../daemons/exabgp.ts';
import { frr } from '../daemons/frr.ts';
import { gobgp } from '../daemons/gobgp.ts';
import { openbgpd } from '../daemons/openbgpd.ts';

export const DRIVERS: DaemonDriver[] = [bird, frr, gobgp, openbgpd, exabgp];

/**
 * Daemons that dial the capture peer, which then listens on port 179. ExaBGP is usually the side
 * that connects; the others wait for the peer, so each session starts once the daemon is ready.
 */
export const DIALING = new Set(['exabgp']);
