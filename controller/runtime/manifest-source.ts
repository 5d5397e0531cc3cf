/**
 * The store's source in standalone mode (`porter run --manifests DIR`): the `.yaml`, `.yml` and
 * `.json` files directly in a directory, reloaded when it changes. Each scan lists every kind in
 * full (`MemoryStore.replace`), so a document removed from a file, or a file removed, becomes a
 * `deleted` event, as a deletion through the API would.
 *
 * Changes are seen through `fs.watch`, debounced (an editor's save is several events), plus a slow
 * periodic rescan, because fs.watch misses changes on some file systems and through the symlink
 * swap of a Kubernetes ConfigMap volume. Unchanged files produce no events: their objects carry the
 * same content-hash resourceVersions.
 *
 * A file that is not valid YAML keeps the objects of its last good version (none on the first
 * scan): a half-saved file must not read as the deletion of every Service in it, which would release
 * their addresses. A document of an unknown kind or without a name is skipped alone.
 */
import { watch as fsWatch } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { MANIFEST_KINDS, parseManifest, type ManifestObject, type ManifestProblem } from './manifest-documents.ts';
import type { MemoryStore } from './memory-store.ts';
import { statusOverlayOf, type StatusOverlay } from './status-overlay.ts';
import { objectKey, type AnyObject, type Kind, type KindMap } from './types.ts';

export type { ManifestProblem };

/** Timers for the debounce and the periodic rescan; tests pass manual ones. */
export interface SourceTimers {
  setTimeout(fire: () => void, milliseconds: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Something watching a directory; `close` stops it. */
export interface DirectoryWatcher {
  close(): void;
}

export interface ManifestSourceOptions {
  /** Told of each bad file or document once per content of that file. */
  onProblem?: (problem: ManifestProblem) => void;
  /**
   * Applied to each object before it enters the store: the standalone writer lays the statuses it
   * wrote over the file's objects, so a rescan does not undo them. Default: the overlay a
   * `ManifestWriter` registered for the store, if any.
   */
  overlay?: StatusOverlay;
  /** Quiet time after a change event before rescanning. Default 100 ms. */
  debounceMs?: number;
  /** Time between safety-net rescans; 0 turns them off. Default 30 s. */
  rescanIntervalMs?: number;
  /** Watches the directory; default `fs.watch`. `onError` reports a watcher that failed. */
  watch?: (dir: string, onChange: () => void, onError: (error: Error) => void) => DirectoryWatcher;
  timers?: SourceTimers;
}

/** A running source. */
export interface ManifestSource {
  /** Stops watching and rescanning; resolves after a scan under way has finished. */
  stop(): Promise<void>;
  /** Scans now; resolves when a scan that began after the call has been applied. */
  rescan(): Promise<void>;
}

const EXTENSIONS = new Set(['.yaml', '.yml', '.json']);

const realTimers: SourceTimers = {
  // Unref'd: the process lives for its sessions and servers, not for this source's timers.
  setTimeout: (fire, milliseconds) => setTimeout(fire, milliseconds).unref(),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

function realWatch(dir: string, onChange: () => void, onError: (error: Error) => void): DirectoryWatcher {
  const watcher = fsWatch(dir, { persistent: false }, () => onChange());
  watcher.on('error', onError);
  return watcher;
}

/** What a scan remembers of a file: its text (undefined: unreadable), and the objects taken from it. */
interface FileState {
  text: string | undefined;
  objects: ManifestObject[];
}

class DirectorySource implements ManifestSource {
  readonly #files = new Map<string, FileState>();
  readonly #timers: SourceTimers;
  readonly #report: (problem: ManifestProblem) => void;
  #watcher: DirectoryWatcher | undefined;
  #debounce: unknown;
  #periodic: unknown;
  #current: Promise<void> | undefined;
  #queued: Promise<void> | undefined;
  #scanned = false;
  #stopped = false;
  #reportedDuplicates = new Set<string>();

  constructor(
    readonly dir: string,
    readonly store: MemoryStore,
    readonly options: ManifestSourceOptions,
  ) {
    this.#timers = options.timers ?? realTimers;
    this.#report = options.onProblem ?? (() => {});
  }

  startWatching(): void {
    const watch = this.options.watch ?? realWatch;
    const onError = (error: Error): void => {
      this.#report({ file: this.dir, message: `watching stopped (${error.message}); changes are seen at the periodic rescan` });
      this.#watcher?.close();
      this.#watcher = undefined;
    };
    try {
      this.#watcher = watch(this.dir, () => this.#changed(), onError);
    } catch (error) {
      onError(error as Error);
    }
    this.#schedulePeriodic();
  }

  rescan(): Promise<void> {
    if (this.#stopped) return Promise.resolve();
    if (this.#queued) return this.#queued;
    if (!this.#current) {
      this.#current = this.#scan().finally(() => (this.#current = undefined));
      return this.#current;
    }
    this.#queued = this.#current.then(() => {
      this.#queued = undefined;
      return this.rescan();
    });
    return this.#queued;
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#watcher?.close();
    this.#watcher = undefined;
    if (this.#debounce !== undefined) this.#timers.clearTimeout(this.#debounce);
    if (this.#periodic !== undefined) this.#timers.clearTimeout(this.#periodic);
    await this.#queued;
    await this.#current;
  }

  #changed(): void {
    if (this.#stopped) return;
    if (this.#debounce !== undefined) this.#timers.clearTimeout(this.#debounce);
    this.#debounce = this.#timers.setTimeout(() => {
      this.#debounce = undefined;
      void this.rescan();
    }, this.options.debounceMs ?? 100);
  }

  #schedulePeriodic(): void {
    const interval = this.options.rescanIntervalMs ?? 30_000;
    if (this.#stopped || interval <= 0) return;
    this.#periodic = this.#timers.setTimeout(() => {
      this.#periodic = undefined;
      void this.rescan().then(() => this.#schedulePeriodic());
    }, interval);
  }

  async #scan(): Promise<void> {
    const names = await this.#listFiles();
    if (names === undefined) {
      // An unreadable directory is not an empty one: keep what was loaded. On the first scan there
      // is nothing to keep, and the kinds are marked synced (empty) so reconcilers can start.
      if (!this.#scanned) this.#publish();
      return;
    }
    let changed = false;
    for (const gone of [...this.#files.keys()].filter((name) => !names.includes(name))) {
      this.#files.delete(gone);
      changed = true;
    }
    for (const name of names) changed = (await this.#loadFile(name)) || changed;
    if (changed || !this.#scanned) this.#publish();
  }

  async #listFiles(): Promise<string[] | undefined> {
    try {
      const entries = await readdir(this.dir, { withFileTypes: true });
      return entries
        .filter((entry) => (entry.isFile() || entry.isSymbolicLink()) && !entry.name.startsWith('.'))
        .filter((entry) => EXTENSIONS.has(extname(entry.name).toLowerCase()))
        .map((entry) => entry.name)
        .sort();
    } catch (error) {
      this.#report({ file: this.dir, message: `cannot read the directory: ${(error as Error).message}` });
      return undefined;
    }
  }

  /** Reads one file; answers whether its objects may have changed. */
  async #loadFile(name: string): Promise<boolean> {
    const file = join(this.dir, name);
    const previous = this.#files.get(name);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        this.#files.delete(name);
        return previous !== undefined;
      }
      // Reported once, not at every rescan; the objects of the last good read stay.
      if (previous === undefined || previous.text !== undefined) this.#report({ file, message: `cannot read: ${(error as Error).message}` });
      this.#files.set(name, { text: undefined, objects: previous?.objects ?? [] });
      return false;
    }
    if (previous?.text === text) return false;
    const parsed = parseManifest(file, text);
    for (const problem of parsed.problems) this.#report(problem);
    if (parsed.syntaxError && previous !== undefined && previous.objects.length > 0) {
      this.#report({ file, message: `not valid YAML: keeping the ${previous.objects.length} objects of its last good version` });
      this.#files.set(name, { text, objects: previous.objects });
      return false;
    }
    this.#files.set(name, { text, objects: parsed.objects });
    return true;
  }

  /** Replaces every kind in the store with the objects of all files; a later file wins a duplicate. */
  #publish(): void {
    this.#scanned = true;
    const byKind = new Map<Kind, Map<string, { object: AnyObject; file: string }>>();
    const duplicates = new Set<string>();
    for (const [name, state] of this.#files) {
      for (const { kind, object, document } of state.objects) {
        const objects = byKind.get(kind) ?? new Map();
        byKind.set(kind, objects);
        const key = objectKey(object.metadata);
        const earlier = objects.get(key);
        if (earlier) {
          const problem = `${kind} ${key} is also in ${earlier.file}; this one is used`;
          duplicates.add(`${name}\0${document}\0${problem}`);
          if (!this.#reportedDuplicates.has(`${name}\0${document}\0${problem}`)) {
            this.#report({ file: join(this.dir, name), document, message: problem });
          }
        }
        objects.set(key, { object, file: name });
      }
    }
    this.#reportedDuplicates = duplicates;
    const overlay = this.options.overlay ?? statusOverlayOf(this.store);
    for (const kind of MANIFEST_KINDS) {
      const objects = [...(byKind.get(kind)?.values() ?? [])].map(({ object }) => (overlay ? overlay(kind, object as KindMap[typeof kind]) : object));
      this.store.replace(kind, objects as KindMap[typeof kind][]);
    }
  }
}

/**
 * Loads the directory into the store (every kind is synced when this resolves, even if the
 * directory could not be read: see `onProblem`), then watches it. Never rejects.
 */
export async function startManifestSource(dir: string, store: MemoryStore, options: ManifestSourceOptions = {}): Promise<ManifestSource> {
  const source = new DirectorySource(dir, store, options);
  // Watching first: a change during the first scan then leads to another scan.
  source.startWatching();
  await source.rescan();
  return source;
}
