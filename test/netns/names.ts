/**
 * Names for everything a run creates. Every name starts with the run prefix `pt-<pid>-`, so two runs
 * on one machine never collide and a leftover from a run that died can be told apart from a live one.
 */

/** Prefix of every namespace this process creates. */
export const RUN_PREFIX = `pt-${process.pid}-`;

let counter = 0;

/** A namespace name unique to this run, e.g. `pt-4242-bird-3`. */
export function namespaceName(label: string): string {
  counter += 1;
  return `${RUN_PREFIX}${label}-${counter}`;
}

/**
 * An interface name unique to this run. Linux caps interface names at 15 octets (IFNAMSIZ 16 with
 * the NUL), so this one is `p<pid base 36><counter base 36><suffix>` rather than a readable label.
 */
export function interfaceName(suffix: string): string {
  counter += 1;
  const name = `p${process.pid.toString(36)}${counter.toString(36)}${suffix}`;
  if (name.length > 15) throw new Error(`interface name ${name} longer than 15 octets`);
  return name;
}

/** The pid that created a namespace, read back from its name, or undefined for a foreign name. */
export function ownerPid(namespace: string): number | undefined {
  const match = /^pt-(\d+)-/.exec(namespace);
  return match ? Number(match[1]) : undefined;
}
