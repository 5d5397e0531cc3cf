/**
 * ADD-PATH identifiers we send (RFC 7911 section 3): one per (prefix, path), the same in every
 * update group and for as long as the path is a candidate, so that a peer sees a path's changes
 * as replacements of one identifier. An identifier is freed when its path leaves the prefix and
 * may then name another path of that prefix.
 */
import { keyOfPath, type Path } from './path.ts';

interface Identifiers {
  byPath: Map<string, number>;
  /** Freed identifiers, reused smallest first. */
  free: number[];
  next: number;
}

export class PathIdAllocator {
  private readonly byDestination = new Map<string, Identifiers>();

  /** The identifier of a path of the destination keyed `destination`, given on first use. */
  idFor(destination: string, path: Path): number {
    let ids = this.byDestination.get(destination);
    if (ids === undefined) {
      ids = { byPath: new Map(), free: [], next: 1 };
      this.byDestination.set(destination, ids);
    }
    const key = keyOfPath(path);
    const known = ids.byPath.get(key);
    if (known !== undefined) return known;
    const id = ids.free.length > 0 ? (ids.free.shift() as number) : ids.next++;
    ids.byPath.set(key, id);
    return id;
  }

  /** Frees the identifiers of paths no longer among a destination's candidates (`has` says which remain). */
  retainOnly(destination: string, has: (pathKey: string) => boolean): void {
    const ids = this.byDestination.get(destination);
    if (ids === undefined) return;
    for (const [key, id] of ids.byPath) {
      if (has(key)) continue;
      ids.byPath.delete(key);
      ids.free.push(id);
    }
    if (ids.byPath.size === 0) this.byDestination.delete(destination);
    else ids.free.sort((a, b) => a - b);
  }
}
