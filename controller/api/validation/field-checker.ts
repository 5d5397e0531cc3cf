/**
 * Collects the problems of one object while its fields are read, each under a Kubernetes-style
 * field path (`spec.afiSafis[1].config.family.afi`, `spec.asPerRack[leaf1]`), so that a complaint
 * names the line of the manifest to fix. Each reader returns the value when it has the expected
 * type and range, and undefined (with a problem recorded) when it does not.
 */

/** One thing wrong with a resource: the field's path and what is wrong with it. */
export interface Problem {
  field: string;
  message: string;
}

/** A checked resource, or everything wrong with it. */
export type Validated<T> = { ok: true; value: T } | { ok: false; problems: Problem[] };

/** The largest value of an unsigned 32-bit field (ASNs, LOCAL_PREF, MED). */
export const UINT32_MAX = 4294967295;

/** `path.key`, or `key` at the root. */
export function fieldPath(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

/** `path[index]` for list items, `path[key]` for map entries, as Kubernetes field paths write them. */
export function itemPath(path: string, index: number | string): string {
  return `${path}[${index}]`;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'object') return 'an object';
  return String(value);
}

/** Reads typed fields, recording a problem for each one that is missing, mistyped or out of range. */
export class FieldChecker {
  readonly problems: Problem[] = [];

  /** Records a problem found by a rule of the caller's own. */
  report(field: string, message: string): void {
    this.problems.push({ field, message });
  }

  /** An object (not a list, not null); a required one that is absent is a problem. */
  object(value: unknown, field: string, required = false): Record<string, unknown> | undefined {
    if (value === undefined) {
      if (required) this.report(field, 'is required');
      return undefined;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      this.report(field, `must be an object, not ${describe(value)}`);
      return undefined;
    }
    return value as Record<string, unknown>;
  }

  string(value: unknown, field: string, required = false): string | undefined {
    if (value === undefined) {
      if (required) this.report(field, 'is required');
      return undefined;
    }
    if (typeof value !== 'string') {
      this.report(field, `must be a string, not ${describe(value)}`);
      return undefined;
    }
    if (required && value === '') {
      this.report(field, 'must not be empty');
      return undefined;
    }
    return value;
  }

  /** A string from a fixed set. */
  oneOf<T extends string>(value: unknown, field: string, allowed: readonly T[], required = false): T | undefined {
    const text = this.string(value, field, required);
    if (text === undefined) return undefined;
    if (!(allowed as readonly string[]).includes(text)) {
      this.report(field, `must be one of ${allowed.join(', ')}, not ${JSON.stringify(text)}`);
      return undefined;
    }
    return text as T;
  }

  boolean(value: unknown, field: string): boolean | undefined {
    if (value === undefined) return undefined;
    if (typeof value !== 'boolean') {
      this.report(field, `must be true or false, not ${describe(value)}`);
      return undefined;
    }
    return value;
  }

  /** An integer from min to max inclusive. */
  integer(value: unknown, field: string, min: number, max: number, required = false): number | undefined {
    if (value === undefined) {
      if (required) this.report(field, 'is required');
      return undefined;
    }
    if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
      this.report(field, `must be an integer, not ${describe(value)}`);
      return undefined;
    }
    if (value < min || value > max) {
      this.report(field, `must be from ${min} to ${max}, not ${value}`);
      return undefined;
    }
    return value;
  }

  list(value: unknown, field: string): unknown[] | undefined {
    if (value === undefined) return undefined;
    if (!Array.isArray(value)) {
      this.report(field, `must be a list, not ${describe(value)}`);
      return undefined;
    }
    return value;
  }

  /** A list of strings; each bad item is reported under its index. */
  stringList(value: unknown, field: string): string[] | undefined {
    const items = this.list(value, field);
    if (items === undefined) return undefined;
    const before = this.problems.length;
    items.forEach((item, index) => this.string(item, itemPath(field, index), true));
    return this.problems.length === before ? (items as string[]) : undefined;
  }

  /** A map of string values; each bad entry is reported under its key. */
  stringMap(value: unknown, field: string): Record<string, string> | undefined {
    const map = this.object(value, field);
    if (map === undefined) return undefined;
    const before = this.problems.length;
    for (const [key, entry] of Object.entries(map)) this.string(entry, itemPath(field, key));
    return this.problems.length === before ? (map as Record<string, string>) : undefined;
  }

  /** The value as T when nothing was reported, the problems otherwise. */
  result<T>(value: unknown): Validated<T> {
    return this.problems.length === 0 ? { ok: true, value: value as T } : { ok: false, problems: this.problems };
  }
}
