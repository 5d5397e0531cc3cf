/**
 * `decodeRoutes`: a burst of UPDATE messages into route columns and interned attribute sets, by
 * docs/wire-model.md, "Bulk decoding". The UPDATE decoder is the one of `decodeMessage`; only its
 * prefixes go elsewhere: straight into the columns, with no object per route. Each message's rows
 * get their attribute set once the whole message, and so its error, is known.
 */
import { isSessionReset } from './errors.ts';
import type { ResolvedContext } from './context.ts';
import { IPV4_UNICAST, type UnicastFamily } from './families.ts';
import { checkHeader, HEADER_LENGTH, MESSAGE_TYPE } from './header.ts';
import { toHex } from './hex.ts';
import { walkPrefixes, type NlriSection, type NlriTarget } from './prefix.ts';
import {
  type AttributeSet,
  COLUMN_FAMILY,
  type Family,
  type PathAttribute,
  type RouteColumns,
  type RouteDecodeResult,
  WITHDRAW,
} from './types.ts';
import { decodeUpdate, type UpdateDecode } from './update.ts';

/** Provisional `attributeSet` of a row announced in the NLRI field or in MP_REACH_NLRI. */
const IN_NLRI_FIELD = 0xfffffffe;
const IN_MP_REACH = 0xfffffffd;

const NO_PREFIXES: never[] = [];

/** Growable route columns. */
class ColumnBuilder {
  count = 0;
  family: Uint8Array;
  prefixLength: Uint8Array;
  address: Uint8Array;
  pathId: Uint32Array;
  attributeSet: Uint32Array;

  constructor(capacity: number) {
    this.family = new Uint8Array(capacity);
    this.prefixLength = new Uint8Array(capacity);
    this.address = new Uint8Array(16 * capacity);
    this.pathId = new Uint32Array(capacity);
    this.attributeSet = new Uint32Array(capacity);
  }

  private grow(): void {
    const capacity = this.family.length * 2;
    const widen = <T extends Uint8Array | Uint32Array>(array: T, size: number): T => {
      const wider = new (array.constructor as new (length: number) => T)(size);
      wider.set(array);
      return wider;
    };
    this.family = widen(this.family, capacity);
    this.prefixLength = widen(this.prefixLength, capacity);
    this.address = widen(this.address, 16 * capacity);
    this.pathId = widen(this.pathId, capacity);
    this.attributeSet = widen(this.attributeSet, capacity);
  }

  push(family: number, bytes: Uint8Array, offset: number, length: number, pathId: number, set: number): void {
    if (this.count === this.family.length) this.grow();
    const row = this.count++;
    this.family[row] = family;
    this.prefixLength[row] = length;
    const address = this.address;
    const base = 16 * row;
    const octets = (length + 7) >> 3;
    for (let octet = 0; octet < 16; octet++) address[base + octet] = octet < octets ? bytes[offset + octet] : 0;
    this.pathId[row] = pathId;
    this.attributeSet[row] = set;
  }

  /** Drops the rows from `from` on whose family is `family`, keeping the others in order. */
  dropFamily(from: number, family: number): void {
    let kept = from;
    for (let row = from; row < this.count; row++) {
      if (this.family[row] === family) continue;
      if (kept !== row) {
        this.family[kept] = this.family[row];
        this.prefixLength[kept] = this.prefixLength[row];
        this.address.copyWithin(16 * kept, 16 * row, 16 * row + 16);
        this.pathId[kept] = this.pathId[row];
        this.attributeSet[kept] = this.attributeSet[row];
      }
      kept++;
    }
    this.count = kept;
  }

  finish(): RouteColumns {
    const n = this.count;
    return {
      count: n,
      family: this.family.slice(0, n),
      prefixLength: this.prefixLength.slice(0, n),
      address: this.address.slice(0, 16 * n),
      pathId: this.pathId.slice(0, n),
      attributeSet: this.attributeSet.slice(0, n),
    };
  }
}

/** Sends each prefix of the UPDATE decoder into the columns, and counts them by section. */
class ColumnTarget implements NlriTarget {
  readonly seen: Record<NlriSection, number> = { withdrawn: 0, nlri: 0, 'mp-reach': 0, 'mp-unreach': 0 };

  constructor(private readonly columns: ColumnBuilder) {}

  startMessage(): void {
    this.seen.withdrawn = this.seen.nlri = this.seen['mp-reach'] = this.seen['mp-unreach'] = 0;
  }

  read(section: NlriSection, bytes: Uint8Array, start: number, end: number, family: UnicastFamily, withPathId: boolean) {
    const code = COLUMN_FAMILY[family.name];
    const set = section === 'nlri' ? IN_NLRI_FIELD : section === 'mp-reach' ? IN_MP_REACH : WITHDRAW;
    const columns = this.columns;
    const seen = this.seen;
    const ok = walkPrefixes(bytes, start, end, family, withPathId, (source, offset, length, pathId) => {
      seen[section]++;
      columns.push(code, source, offset, length, pathId ?? 0, set);
    });
    return ok ? NO_PREFIXES : undefined;
  }
}

/** Interns attribute sets by next hops and the octets of their attributes. */
class AttributeSets {
  readonly list: AttributeSet[] = [];
  private readonly index = new Map<string, number>();

  /** The set of these next hops and the message's attributes other than NEXT_HOP and MP ones. */
  intern(nextHops: string[], bytes: Uint8Array, decoded: UpdateDecode, attributes: PathAttribute[]): number {
    let key = nextHops.join(' ');
    const kept: PathAttribute[] = [];
    attributes.forEach((attribute, i) => {
      if (attribute.type === 'next-hop' || attribute.type === 'mp-reach' || attribute.type === 'mp-unreach') return;
      key += '|' + toHex(bytes, decoded.spans[2 * i], decoded.spans[2 * i + 1]);
      kept.push(attribute);
    });
    let set = this.index.get(key);
    if (set === undefined) {
      set = this.list.length;
      this.list.push({ nextHops, attributes: kept });
      this.index.set(key, set);
    }
    return set;
  }
}

/** The family of an End-of-RIB marker (RFC 4724 section 2), if the message decoded without error is one. */
function endOfRib(decoded: UpdateDecode, target: ColumnTarget, length: number): Family | undefined {
  const attributes = decoded.message?.attributes ?? [];
  if (length === HEADER_LENGTH + 4) return IPV4_UNICAST.name;
  const lone = attributes.length === 1 ? attributes[0] : undefined;
  if (lone?.type !== 'mp-unreach' || target.seen.withdrawn + target.seen.nlri > 0) return undefined;
  const empty = 'nlriData' in lone ? lone.nlriData === '' : target.seen['mp-unreach'] === 0;
  return empty ? lone.family : undefined;
}

export function decodeRouteColumns(bytes: Uint8Array, context: ResolvedContext): RouteDecodeResult {
  const columns = new ColumnBuilder(Math.max(16, bytes.length >> 3));
  const target = new ColumnTarget(columns);
  const sets = new AttributeSets();
  const result: Omit<RouteDecodeResult, 'routes' | 'attributeSets'> = { endOfRib: [], errors: [], consumed: 0 };

  let offset = 0;
  for (let ordinal = 0; bytes.length - offset >= HEADER_LENGTH; ordinal++) {
    const header = checkHeader(bytes, offset, context);
    if ('action' in header) {
      result.errors.push({ message: ordinal, offset, error: header });
      break;
    }
    if (header.type !== MESSAGE_TYPE.update || bytes.length - offset < header.length) break;

    const firstRow = columns.count;
    target.startMessage();
    const decoded = decodeUpdate(bytes, offset, offset + header.length, context, target);
    const error = decoded.error;
    if (error !== undefined) result.errors.push({ message: ordinal, offset, error });
    if (isSessionReset(error)) {
      columns.count = firstRow;
      break;
    }
    // The message's routes of a family being disabled are not to be used (RFC 7606 section 2); later
    // messages are the session's to ignore, as it knows the family is disabled.
    if (error?.action === 'afi-safi-disable' && error.family !== undefined) {
      const code = COLUMN_FAMILY[error.family as keyof typeof COLUMN_FAMILY];
      if (code !== undefined) columns.dropFamily(firstRow, code);
    }

    // Announced rows take their set now that the message's error is known.
    const attributes = decoded.message?.attributes ?? [];
    const withdraw = error?.action === 'treat-as-withdraw';
    let nlriFieldSet: number | undefined;
    let mpReachSet: number | undefined;
    const withdrawn = WITHDRAW;
    for (let row = firstRow; row < columns.count; row++) {
      const provisional = columns.attributeSet[row];
      if (provisional === withdrawn) continue;
      if (withdraw) {
        columns.attributeSet[row] = withdrawn;
      } else if (provisional === IN_NLRI_FIELD) {
        if (nlriFieldSet === undefined) {
          const nextHop = attributes.find((attribute) => attribute.type === 'next-hop');
          nlriFieldSet = sets.intern(nextHop?.type === 'next-hop' ? [nextHop.value] : [], bytes, decoded, attributes);
        }
        columns.attributeSet[row] = nlriFieldSet;
      } else {
        if (mpReachSet === undefined) {
          const mpReach = attributes.find((attribute) => attribute.type === 'mp-reach');
          const nextHops = mpReach?.type === 'mp-reach' && 'nextHops' in mpReach ? mpReach.nextHops : [];
          mpReachSet = sets.intern(nextHops, bytes, decoded, attributes);
        }
        columns.attributeSet[row] = mpReachSet;
      }
    }

    if (error === undefined) {
      const family = endOfRib(decoded, target, header.length);
      if (family !== undefined) result.endOfRib.push(family);
    }
    offset += header.length;
  }
  result.consumed = offset;
  return { routes: columns.finish(), attributeSets: sets.list, ...result };
}
