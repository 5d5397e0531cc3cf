/**
 * What a session can use, from the OPEN we sent and the OPEN the peer sent (RFC 5492 section 3: a
 * capability is in use when both sides announced it, or in the direction the RFC defining it says).
 */
import type { Capability, Family, OpenMessage } from '../wire/types.ts';
import type { NegotiatedSession } from './types.ts';

type CapabilityOf<T extends Capability['type']> = Extract<Capability, { type: T }>;

function all<T extends Capability['type']>(open: OpenMessage, type: T): CapabilityOf<T>[] {
  return open.capabilities.filter((capability): capability is CapabilityOf<T> => capability.type === type);
}

function has(open: OpenMessage, type: Capability['type']): boolean {
  return open.capabilities.some((capability) => capability.type === type);
}

/** The AS a speaker announced: its 4-octet AS capability when present, else My Autonomous System (RFC 6793 section 4.1). */
export function announcedAs(open: OpenMessage): number {
  return all(open, 'four-octet-as')[0]?.asn ?? open.myAs;
}

/**
 * The families a speaker announced with the multiprotocol capability, without repeats. A speaker
 * that sent none speaks plain RFC 4271 BGP, IPv4 unicast only: RFC 4760 section 8 asks for the
 * capability for the families it adds.
 */
export function announcedFamilies(open: OpenMessage): Family[] {
  const families = [...new Set(all(open, 'multiprotocol').map((capability) => capability.family))];
  return families.length > 0 ? families : ['ipv4-unicast'];
}

/** The ADD-PATH mode a speaker announced for each family; the first mention of a family counts. */
function addPathModes(open: OpenMessage): Map<Family, 'receive' | 'send' | 'both'> {
  const modes = new Map<Family, 'receive' | 'send' | 'both'>();
  for (const capability of all(open, 'add-path')) {
    for (const { family, mode } of capability.families) if (!modes.has(family)) modes.set(family, mode);
  }
  return modes;
}

const canSend = (mode: string | undefined): boolean => mode === 'send' || mode === 'both';
const canReceive = (mode: string | undefined): boolean => mode === 'receive' || mode === 'both';

/** RFC 4271 section 4.2: the smaller of both; KeepaliveTime is a third of it (section 10). */
export function negotiatedHoldTime(local: OpenMessage, peer: OpenMessage): { holdTime: number; keepaliveTime: number } {
  const holdTime = Math.min(local.holdTime, peer.holdTime);
  return { holdTime, keepaliveTime: Math.floor(holdTime / 3) };
}

export function negotiate(local: OpenMessage, peer: OpenMessage): NegotiatedSession {
  const peerFamilies = new Set(announcedFamilies(peer));
  const families = announcedFamilies(local).filter((family) => peerFamilies.has(family));
  const negotiated = new Set(families);

  // RFC 7911 section 5: we send several paths where we said send and they said receive, and the
  // reverse for what we receive; so the two directions of one session differ.
  const ours = addPathModes(local);
  const theirs = addPathModes(peer);
  const addPath = {
    send: families.filter((family) => canSend(ours.get(family)) && canReceive(theirs.get(family))),
    receive: families.filter((family) => canReceive(ours.get(family)) && canSend(theirs.get(family))),
  };

  // RFC 8950 section 4: a next hop of another AFI may be sent only where the receiver announced it.
  const nextHopEntries = (open: OpenMessage) =>
    all(open, 'extended-next-hop')
      .flatMap((capability) => capability.entries)
      .filter((entry) => negotiated.has(entry.family))
      .map(({ family, nextHopAfi }) => ({ family, nextHopAfi }));

  const fourOctetAs = has(local, 'four-octet-as') && has(peer, 'four-octet-as');
  const extendedMessage = has(local, 'extended-message') && has(peer, 'extended-message');
  const peerAs = announcedAs(peer);

  // RFC 4724 section 3: of several graceful restart capabilities, only the last counts.
  const localRestart = all(local, 'graceful-restart').at(-1);
  const peerRestart = all(peer, 'graceful-restart').at(-1);
  const peerLongLived = all(peer, 'long-lived-graceful-restart').at(-1);

  const session: NegotiatedSession = {
    peerAs,
    peerId: peer.bgpId,
    internal: peerAs === announcedAs(local),
    ...negotiatedHoldTime(local, peer),
    families,
    fourOctetAs,
    extendedMessage,
    routeRefresh: has(local, 'route-refresh') && has(peer, 'route-refresh'),
    enhancedRouteRefresh: has(local, 'enhanced-route-refresh') && has(peer, 'enhanced-route-refresh'),
    addPath,
    extendedNextHop: { send: nextHopEntries(peer), receive: nextHopEntries(local) },
    gracefulNotification: localRestart?.notification === true && peerRestart?.notification === true,
    decode: { fourOctetAs, addPath: addPath.receive, extendedMessage },
    encode: { fourOctetAs, addPath: addPath.send, extendedMessage },
  };
  if (peerRestart !== undefined) {
    session.peerGracefulRestart = {
      restarting: peerRestart.restarting,
      notification: peerRestart.notification,
      restartTime: peerRestart.restartTime,
      families: peerRestart.families
        .filter((entry) => negotiated.has(entry.family))
        .map(({ family, forwarding }) => ({ family, forwarding })),
    };
  }
  if (peerLongLived !== undefined) {
    session.peerLongLivedGracefulRestart = {
      families: peerLongLived.families
        .filter((entry) => negotiated.has(entry.family))
        .map(({ family, forwarding, staleTime }) => ({ family, forwarding, staleTime })),
    };
  }
  return session;
}
