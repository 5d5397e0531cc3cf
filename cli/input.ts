/** Reading a command's input: a file or standard input, raw or as hex text. */
import { readFile } from 'node:fs/promises';

export async function readInput(path: string | undefined): Promise<Buffer> {
  if (path !== undefined && path !== '-') return readFile(path);
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Hex text to bytes; white space (and a `0x` prefix per token) is ignored. */
export function parseHexText(text: string): Uint8Array {
  const digits = text.replace(/0x/gi, '').replace(/\s+/g, '');
  if (digits.length % 2 !== 0 || /[^0-9a-f]/i.test(digits)) {
    throw new Error('input is not hex text (odd number of digits or a non-hex character)');
  }
  return Uint8Array.from(Buffer.from(digits, 'hex'));
}
