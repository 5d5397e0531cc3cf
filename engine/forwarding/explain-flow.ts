/**
 * "Which node does this flow reach?": the flow's destination is matched to the longest prefix of
 * the forwarding view, and the flow is hashed over that prefix's next-hop group with one of the
 * ECMP policies (engine/ecmp/), as a router hashing the same way would send it.
 */
import { isIPv4 } from 'node:net';
import { packFlows, selectEcmp, type Flow, type HashFields, type PolicyName } from '../ecmp/index.ts';
import { addressBytes, prefixContains } from './prefix-match.ts';
import type { ForwardingEntry, ForwardingNextHop } from './forwarding-view.ts';

export interface ExplainOptions {
  policy: PolicyName;
  fields: HashFields;
  seed: number;
}

export interface FlowExplanation {
  flow: Flow;
  /** The longest prefix holding the destination. */
  prefix: string;
  nextHops: ForwardingNextHop[];
  /** The next hop the flow reaches. */
  chosen: ForwardingNextHop;
  policy: PolicyName;
  fields: HashFields;
}

export type Explained = { ok: true; value: FlowExplanation } | { ok: false; error: string };

export function explainFlow(view: readonly ForwardingEntry[], flow: Flow, options: ExplainOptions): Explained {
  const family = isIPv4(flow.dst) ? 'ipv4' : 'ipv6';
  const batch = packFlows(family, [flow]);
  if (!batch.ok) return batch;
  const destination = addressBytes(flow.dst);
  if (destination === undefined) return { ok: false, error: `${flow.dst} is not an IP address` };
  let match: ForwardingEntry | undefined;
  let matchLength = -1;
  for (const entry of view) {
    const length = prefixContains(entry.prefix, destination);
    if (length > matchLength) {
      match = entry;
      matchLength = length;
    }
  }
  if (match === undefined) return { ok: false, error: `no route to ${flow.dst}` };
  const { engine } = selectEcmp();
  const group = { nextHops: match.nextHops.map(({ address, weight }) => ({ name: address, weight })) };
  const table = engine.buildTable(group, { policy: options.policy });
  if (!table.ok) return table;
  const [index] = engine.selectBatch(table.value, batch.value, { fields: options.fields, seed: options.seed });
  return {
    ok: true,
    value: { flow, prefix: match.prefix, nextHops: match.nextHops, chosen: match.nextHops[index], policy: options.policy, fields: options.fields },
  };
}
