/**
 * The decoded value of BGP messages: one model shared by the TypeScript codec, the Rust codec
 * (which serialises the same shapes with serde) and `porter wire decode|encode`.
 *
 * Field order in every object is part of the contract: the Rust structs declare their fields in
 * the order written here, so both codecs print byte-identical JSON. Optional fields are omitted,
 * never `null`. docs/wire-model.md gives the rules behind these shapes.
 */

/** Address family names (AFI/SAFI). Families without a name print as "afi/safi", e.g. "1/5". */
export type Family = 'ipv4-unicast' | 'ipv6-unicast' | string;

/** What the session negotiated, which changes how bytes are read and written. */
export interface SessionContext {
  /** Both sides sent the 4-octet AS capability (RFC 6793); false reads 2-octet AS_PATH/AGGREGATOR. Default true. */
  fourOctetAs?: boolean;
  /** Families whose NLRI carry ADD-PATH path identifiers in this direction (RFC 7911). Default []. */
  addPath?: Family[];
  /** Extended messages negotiated (RFC 8654): UPDATE and NOTIFICATION may reach 65,535 octets. Default false. */
  extendedMessage?: boolean;
}

/** One NLRI: CIDR text, with the ADD-PATH identifier when the family carries one. */
export interface Prefix {
  prefix: string;
  pathId?: number;
}

export type Message = OpenMessage | UpdateMessage | NotificationMessage | KeepaliveMessage | RouteRefreshMessage;

/** RFC 4271 section 4.2. */
export interface OpenMessage {
  type: 'open';
  version: number;
  myAs: number;
  holdTime: number;
  bgpId: string;
  capabilities: Capability[];
  /** Each capability came in its own optional parameter (the default is one parameter holding all). */
  paramPerCapability?: true;
  /** Optional parameters used the RFC 9072 extended length encoding. */
  extendedParameters?: true;
}

export type Capability =
  | { type: 'multiprotocol'; family: Family }
  | { type: 'route-refresh' }
  | { type: 'extended-next-hop'; entries: { family: Family; nextHopAfi: number }[] }
  | { type: 'extended-message' }
  | {
      type: 'graceful-restart';
      restarting: boolean;
      notification: boolean;
      restartTime: number;
      families: { family: Family; forwarding: boolean }[];
    }
  | { type: 'four-octet-as'; asn: number }
  | { type: 'add-path'; families: { family: Family; mode: 'receive' | 'send' | 'both' }[] }
  | { type: 'enhanced-route-refresh' }
  | { type: 'long-lived-graceful-restart'; families: { family: Family; forwarding: boolean; staleTime: number }[] }
  | { type: 'unknown'; code: number; data: string };

/** RFC 4271 section 4.3. */
export interface UpdateMessage {
  type: 'update';
  withdrawn: Prefix[];
  attributes: PathAttribute[];
  nlri: Prefix[];
}

export interface AsPathSegment {
  type: 'set' | 'sequence' | 'confed-sequence' | 'confed-set';
  asns: number[];
}

/** Set on a decoded attribute only when the wire flags differ from the defaults the encoder would use. */
interface FlagDeviations {
  /** The Partial bit was set (RFC 4271 section 4.3). */
  partial?: true;
  /** The Extended Length bit was set although the value fits in 255 octets. */
  extendedLength?: true;
}

export type ExtendedCommunity =
  /** RFC 4360 route target / route origin in its 2-octet AS, IPv4 or 4-octet AS form; value "global:local". */
  | { type: 'route-target' | 'route-origin'; form: 'as2' | 'ipv4' | 'as4'; value: string }
  /** draft-ietf-idr-link-bandwidth: bandwidth in bytes per second (IEEE float32). */
  | { type: 'link-bandwidth'; transitive: boolean; asn: number; bandwidth: number }
  /** Any other extended community: its 8 octets in hex. */
  | { type: 'raw'; value: string };

export type PathAttribute = (
  | { type: 'origin'; value: 'igp' | 'egp' | 'incomplete' }
  | { type: 'as-path'; segments: AsPathSegment[] }
  | { type: 'next-hop'; value: string }
  | { type: 'med'; value: number }
  | { type: 'local-pref'; value: number }
  | { type: 'atomic-aggregate' }
  | { type: 'aggregator'; asn: number; address: string }
  | { type: 'communities'; values: string[] }
  | { type: 'originator-id'; value: string }
  | { type: 'cluster-list'; values: string[] }
  | { type: 'mp-reach'; family: Family; nextHops: string[]; nlri: Prefix[] }
  | { type: 'mp-reach'; family: Family; nextHopData: string; nlriData: string }
  | { type: 'mp-unreach'; family: Family; withdrawn: Prefix[] }
  | { type: 'mp-unreach'; family: Family; nlriData: string }
  | { type: 'extended-communities'; values: ExtendedCommunity[] }
  | { type: 'as4-path'; segments: AsPathSegment[] }
  | { type: 'as4-aggregator'; asn: number; address: string }
  | { type: 'large-communities'; values: string[] }
) &
  FlagDeviations
  /** An attribute this codec does not know: flags and value octets kept verbatim. */
  | { type: 'unknown'; code: number; flags: number; data: string };

/** RFC 4271 section 4.5, with the RFC 9003 shutdown communication for Cease subcodes 2 and 4. */
export interface NotificationMessage {
  type: 'notification';
  code: number;
  subcode: number;
  data: string;
  shutdownMessage?: string;
}

export interface KeepaliveMessage {
  type: 'keepalive';
}

/** RFC 2918, with the RFC 7313 subtype: 0 normal request, 1 BoRR, 2 EoRR. */
export interface RouteRefreshMessage {
  type: 'route-refresh';
  family: Family;
  subtype: number;
}

/** RFC 7606 section 2 error-handling approaches, weakest first. */
export type ErrorAction = 'attribute-discard' | 'treat-as-withdraw' | 'afi-safi-disable' | 'session-reset';

/** Ordered strength of each action: the strongest error found in a message is the one reported. */
export const ACTION_STRENGTH: Record<ErrorAction, number> = {
  'attribute-discard': 1,
  'treat-as-withdraw': 2,
  'afi-safi-disable': 3,
  'session-reset': 4,
};

/**
 * A decode failure as a value. `code`/`subcode`/`data` are the NOTIFICATION to send for
 * `session-reset`, and the one RFC 4271 would have sent (for the log) for the weaker actions.
 */
export interface WireError {
  action: ErrorAction;
  code: number;
  subcode: number;
  /** Stable identifier, listed in docs/wire-errors.md. */
  reason: string;
  data: string;
  /** Type code of the attribute at fault. */
  attribute?: number;
  /** The family to disable, for `afi-safi-disable`. */
  family?: Family;
}

/**
 * One message's outcome. A `session-reset` error has no message; weaker errors come with the
 * message as it is to be used (discarded attributes removed; for treat-as-withdraw, its NLRI are
 * to be withdrawn).
 */
export interface DecodeResult {
  message?: Message;
  error?: WireError;
}

/** Outcome of reading a byte stream: messages in order and the bytes consumed. */
export interface StreamDecodeResult {
  results: DecodeResult[];
  /** Offset of the first byte not consumed: a partial message, or the start of the message that reset the session. */
  consumed: number;
}

/** Family codes of the columnar form. */
export const COLUMN_FAMILY = { 'ipv4-unicast': 0, 'ipv6-unicast': 1 } as const;

/** `attributeSet` value of a withdrawn route. */
export const WITHDRAW = 0xffffffff;

/** Routes as columns (one entry per route, no per-route objects), transferable between threads. */
export interface RouteColumns {
  count: number;
  /** COLUMN_FAMILY code per route. */
  family: Uint8Array;
  prefixLength: Uint8Array;
  /** 16 octets per route in network order; an IPv4 address fills the first 4. */
  address: Uint8Array;
  /** ADD-PATH identifier per route (0 where the family carries none). */
  pathId: Uint32Array;
  /** Index into the attribute sets, or WITHDRAW. */
  attributeSet: Uint32Array;
}

/**
 * Path attributes shared by many routes. `attributes` holds neither NEXT_HOP nor MP_REACH_NLRI nor
 * MP_UNREACH_NLRI: the next hops say where the routes go, and the encoder chooses the form.
 */
export interface AttributeSet {
  nextHops: string[];
  attributes: PathAttribute[];
}

/** Outcome of the bulk decode of a burst of UPDATE messages. */
export interface RouteDecodeResult {
  routes: RouteColumns;
  attributeSets: AttributeSet[];
  /** Families whose End-of-RIB marker (RFC 4724 section 2) was seen, in order. */
  endOfRib: Family[];
  /** Errors by message: `message` is its ordinal in the burst, `offset` its first byte. */
  errors: { message: number; offset: number; error: WireError }[];
  /** Offset of the first byte not consumed: a partial message, a non-UPDATE message, or one that reset the session. */
  consumed: number;
}

/** The operations both codecs provide, with identical results. */
export interface WireCodec {
  readonly name: 'ts' | 'native';
  /** Decodes exactly one message (header included). */
  decodeMessage(bytes: Uint8Array, context?: SessionContext): DecodeResult;
  /** Decodes every whole message in a byte stream, stopping at a session reset or a partial message. */
  decodeStream(bytes: Uint8Array, context?: SessionContext): StreamDecodeResult;
  /** Encodes one message; throws WireEncodeError when the value cannot be encoded. */
  encodeMessage(message: Message, context?: SessionContext): Uint8Array;
  /** Encodes routes into the fewest UPDATE messages (docs/wire-model.md, "Bulk encoding"), concatenated. */
  encodeRoutes(routes: RouteColumns, attributeSets: AttributeSet[], context?: SessionContext): Uint8Array;
  /** Decodes a burst of UPDATE messages into columns and interned attribute sets. */
  decodeRoutes(bytes: Uint8Array, context?: SessionContext): RouteDecodeResult;
}
