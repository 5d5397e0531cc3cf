/** The capture tooling's own few reads of the wire: framing, End-of-RIB, and the peer's OPEN. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { countMessages, endOfRibFamily, frame } from './framing.ts';
import { KEEPALIVE, type OfferedCapabilities, buildOpen, negotiatedContext, readCapabilities } from './open-message.ts';

const MARKER = 'ff'.repeat(16);
const hex = (text: string) => Buffer.from(text.replace(/\s+/g, ''), 'hex');

const END_OF_RIB_IPV4 = hex(`${MARKER} 0017 02 0000 0000`);
const END_OF_RIB_IPV6 = hex(`${MARKER} 001d 02 0000 0006 800f03 0002 01`);
/** The same marker with the Extended Length bit set, as ExaBGP sends it. */
const END_OF_RIB_IPV6_EXTENDED = hex(`${MARKER} 001e 02 0000 0007 900f0003 0002 01`);

test('End-of-RIB markers are told by family', () => {
  assert.equal(endOfRibFamily(END_OF_RIB_IPV4), 'ipv4-unicast');
  assert.equal(endOfRibFamily(END_OF_RIB_IPV6), 'ipv6-unicast');
  assert.equal(endOfRibFamily(END_OF_RIB_IPV6_EXTENDED), 'ipv6-unicast');
  assert.equal(endOfRibFamily(KEEPALIVE), undefined);
});

test('framing cuts whole messages and stops at a partial one or a broken marker', () => {
  const stream = Buffer.concat([KEEPALIVE, END_OF_RIB_IPV4, END_OF_RIB_IPV6]);
  assert.deepEqual(frame(stream), {
    messages: [
      { offset: 0, length: 19, type: 4 },
      { offset: 19, length: 23, type: 2 },
      { offset: 42, length: 29, type: 2 },
    ],
    consumed: 71,
  });
  assert.equal(frame(stream.subarray(0, 60)).consumed, 42);
  const broken = Buffer.from(stream);
  broken[19 + 3] = 0;
  assert.deepEqual(frame(broken), { messages: [{ offset: 0, length: 19, type: 4 }], consumed: 19, badMarkerAt: 19 });
  assert.deepEqual(countMessages(stream), { keepalive: 1, 'end-of-rib': 2 });
});

test('the peer OPEN of a 2-octet AS speaker', () => {
  const open = buildOpen({
    asn: 65002,
    bgpId: '192.0.2.254',
    holdTime: 90,
    capabilities: { families: ['ipv4-unicast', 'ipv6-unicast'], routeRefresh: true, addPath: [{ family: 'ipv6-unicast', mode: 'both' }] },
  });
  assert.equal(open.toString('hex'), hex(`${MARKER} 0033 01 04 fdea 005a c00002fe 16 02 14 0104 00010001 0104 00020001 0200 4504 00020103`).toString('hex'));
});

test('the peer OPEN of a 4-octet AS speaker carries AS_TRANS (RFC 6793 section 9)', () => {
  const open = buildOpen({ asn: 4_200_000_002, bgpId: '192.0.2.254', holdTime: 90, capabilities: { families: [], fourOctetAs: true } });
  assert.equal(open.toString('hex'), hex(`${MARKER} 0025 01 04 5ba0 005a c00002fe 08 02 06 4104 fa56ea02`).toString('hex'));
  assert.throws(() => buildOpen({ asn: 4_200_000_002, bgpId: '192.0.2.254', holdTime: 90, capabilities: { families: [] } }));
});

test('the negotiated context needs both sides', () => {
  // A daemon OPEN: 4-octet AS, extended message, ADD-PATH send for IPv4 and receive for IPv6.
  const daemon = hex(`${MARKER} 0033 01 04 5ba0 00f0 c00002c9 16 02 14 4104 fa56ea01 0600 4508 00010102 00020101 0200`);
  assert.deepEqual(readCapabilities(daemon).map((c) => c.code), [65, 6, 69, 2]);
  const ours: OfferedCapabilities = {
    families: [],
    fourOctetAs: true,
    extendedMessage: true,
    addPath: [
      { family: 'ipv4-unicast', mode: 'both' },
      { family: 'ipv6-unicast', mode: 'both' },
    ],
  };
  assert.deepEqual(negotiatedContext(ours, daemon), {
    fourOctetAs: true,
    addPath: ['ipv4-unicast'],
    extendedMessage: true,
  });
  assert.deepEqual(negotiatedContext({ families: [] }, daemon), { fourOctetAs: false, addPath: [], extendedMessage: false });
});
