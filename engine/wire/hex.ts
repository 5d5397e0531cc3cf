/** Hex text of octets (docs/wire-model.md, "Text forms"): lowercase, no separators, "" when empty. */
import { WireEncodeError } from './errors.ts';

const DIGITS = Array.from({ length: 256 }, (_, octet) => octet.toString(16).padStart(2, '0'));

/** Lowercase hex of `bytes[start, end)`. */
export function toHex(bytes: Uint8Array, start = 0, end = bytes.length): string {
  let text = '';
  for (let i = start; i < end; i++) text += DIGITS[bytes[i]];
  return text;
}

/** Octets of a hex text (either case); throws WireEncodeError on anything else. */
export function fromHex(text: string, what: string): Uint8Array {
  if (typeof text !== 'string' || text.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(text)) {
    throw new WireEncodeError(`${what}: not hex text: ${JSON.stringify(text)}`);
  }
  const bytes = new Uint8Array(text.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(text.slice(2 * i, 2 * i + 2), 16);
  return bytes;
}
