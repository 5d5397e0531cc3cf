/** Links between namespaces: a veth pair between two namespaces, or from a namespace to a bridge. */
import { run } from './exec.ts';
import { interfaceName } from './names.ts';

/** One end of a link as asked for: the namespace and its addresses in CIDR form. */
export interface EndSpec {
  namespace: string;
  /** e.g. `198.51.100.1/30` */
  ipv4?: string;
  /** e.g. `2001:db8:1::1/64` */
  ipv6?: string;
  /** A fixed MAC address, which also fixes the IPv6 link-local address (RFC 4291 appendix A). */
  mac?: string;
}

/** One end of a link as made. Addresses are given without their prefix length. */
export interface LinkEnd {
  namespace: string;
  interface: string;
  ipv4?: string;
  ipv6?: string;
}

export interface Link {
  a: LinkEnd;
  b: LinkEnd;
}

/** A veth pair between two namespaces, both ends up and addressed. */
export async function createVethLink(a: EndSpec, b: EndSpec): Promise<Link> {
  const nameA = interfaceName('a');
  const nameB = interfaceName('b');
  await run('ip', ['link', 'add', nameA, 'netns', a.namespace, 'type', 'veth', 'peer', 'name', nameB, 'netns', b.namespace]);
  return { a: await configureEnd(a, nameA), b: await configureEnd(b, nameB) };
}

/** A bridge inside a namespace, up, with optional addresses of its own. */
export async function createBridge(spec: EndSpec): Promise<LinkEnd> {
  const name = interfaceName('br');
  await run('ip', ['-n', spec.namespace, 'link', 'add', name, 'type', 'bridge']);
  return configureEnd(spec, name);
}

/** A veth pair from a namespace to a bridge: the namespace's end is addressed, the other is a bridge port. */
export async function attachToBridge(bridge: LinkEnd, spec: EndSpec): Promise<LinkEnd> {
  const inside = interfaceName('a');
  const port = interfaceName('p');
  await run('ip', ['link', 'add', inside, 'netns', spec.namespace, 'type', 'veth', 'peer', 'name', port, 'netns', bridge.namespace]);
  await run('ip', ['-n', bridge.namespace, 'link', 'set', port, 'master', bridge.interface, 'up']);
  return configureEnd(spec, inside);
}

async function configureEnd(spec: EndSpec, name: string): Promise<LinkEnd> {
  const ns = spec.namespace;
  if (spec.mac) await run('ip', ['-n', ns, 'link', 'set', name, 'address', spec.mac]);
  if (spec.ipv4) await run('ip', ['-n', ns, 'addr', 'add', spec.ipv4, 'dev', name]);
  // nodad: the address is usable at once rather than tentative (RFC 4862 section 5.4).
  if (spec.ipv6) await run('ip', ['-n', ns, '-6', 'addr', 'add', spec.ipv6, 'dev', name, 'nodad']);
  await run('ip', ['-n', ns, 'link', 'set', name, 'up']);
  return { namespace: ns, interface: name, ipv4: withoutLength(spec.ipv4), ipv6: withoutLength(spec.ipv6) };
}

function withoutLength(cidr: string | undefined): string | undefined {
  return cidr?.split('/')[0];
}
