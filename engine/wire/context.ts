/** SessionContext with its defaults applied (docs/wire-model.md, "Session context"). */
import type { Family, SessionContext } from './types.ts';

export interface ResolvedContext {
  /** Octets per AS number in AS_PATH and AGGREGATOR (RFC 6793). */
  asSize: 2 | 4;
  addPath: ReadonlySet<Family>;
  /** Largest UPDATE or NOTIFICATION (RFC 8654). */
  maxMessageLength: number;
}

/** Largest message without extended messages, and always for OPEN and KEEPALIVE (RFC 4271 section 4.1). */
export const MAX_MESSAGE_LENGTH = 4096;
const MAX_EXTENDED_MESSAGE_LENGTH = 65535;

export function resolveContext(context: SessionContext = {}): ResolvedContext {
  return {
    asSize: context.fourOctetAs === false ? 2 : 4,
    addPath: new Set(context.addPath ?? []),
    maxMessageLength: context.extendedMessage === true ? MAX_EXTENDED_MESSAGE_LENGTH : MAX_MESSAGE_LENGTH,
  };
}
