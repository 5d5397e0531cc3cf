/**
 * The used addresses of one range, kept as a sorted list of the used ones only, so that an IPv6 /64
 * costs what its allocations cost, never what its size is. Free addresses are found in the gaps by
 * binary search.
 */

/** Index of the first element >= value in a sorted list. */
function lowerBound(sorted: readonly bigint[], value: bigint): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sorted[middle] < value) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** The addresses first..last (as integers) and which of them are in use. */
export class AddressSpace {
  private readonly used: bigint[] = [];

  constructor(
    readonly first: bigint,
    readonly last: bigint,
  ) {}

  /** Number of addresses in the range. */
  get size(): bigint {
    return this.last - this.first + 1n;
  }

  /** Number of addresses in use. */
  get usedCount(): number {
    return this.used.length;
  }

  /** The used addresses, lowest first. */
  usedValues(): readonly bigint[] {
    return this.used;
  }

  contains(value: bigint): boolean {
    return value >= this.first && value <= this.last;
  }

  isUsed(value: bigint): boolean {
    const index = lowerBound(this.used, value);
    return this.used[index] === value;
  }

  /** Marks an address used; false when it was already used or lies outside the range. */
  use(value: bigint): boolean {
    if (!this.contains(value)) return false;
    const index = lowerBound(this.used, value);
    if (this.used[index] === value) return false;
    this.used.splice(index, 0, value);
    return true;
  }

  /** Marks an address free; false when it was not used. */
  free(value: bigint): boolean {
    const index = lowerBound(this.used, value);
    if (this.used[index] !== value) return false;
    this.used.splice(index, 1);
    return true;
  }

  /** The lowest free address at or after `start` (clamped into the range), if any. */
  firstFreeAtOrAfter(start: bigint): bigint | undefined {
    const from = start < this.first ? this.first : start;
    if (from > this.last) return undefined;
    const index = lowerBound(this.used, from);
    if (this.used[index] !== from) return from;
    // used[index..j] is a run of consecutive addresses from `from` exactly while
    // used[j] - from === j - index; that test is true then false along j, so binary search finds
    // the run's end.
    let low = index;
    let high = this.used.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >>> 1;
      if (this.used[middle] - from === BigInt(middle - index)) low = middle;
      else high = middle - 1;
    }
    const next = this.used[low] + 1n;
    return next <= this.last ? next : undefined;
  }
}
