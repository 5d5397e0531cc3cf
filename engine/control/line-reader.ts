/**
 * Splits a byte stream into lines of at most `limit` octets. A longer line is reported once as too
 * long and skipped up to its end, so a client that sends garbage gets an error and the next line
 * is read as usual.
 */
export type Line = { ok: true; text: string } | { ok: false; error: string };

export class LineReader {
  #pending: Buffer[] = [];
  #pendingBytes = 0;
  /** Inside a line already reported as too long: drop bytes until its newline. */
  #skipping = false;

  constructor(readonly limit: number) {}

  push(chunk: Buffer): Line[] {
    const lines: Line[] = [];
    let start = 0;
    for (let newline = chunk.indexOf(0x0a, start); newline !== -1; newline = chunk.indexOf(0x0a, start)) {
      const part = chunk.subarray(start, newline);
      start = newline + 1;
      if (this.#skipping) {
        this.#skipping = false;
        continue;
      }
      if (this.#pendingBytes + part.length > this.limit) {
        this.#reset();
        lines.push(this.#tooLong());
        continue;
      }
      const text = Buffer.concat([...this.#pending, part]).toString('utf8');
      this.#reset();
      lines.push({ ok: true, text });
    }
    const rest = chunk.subarray(start);
    if (this.#skipping || rest.length === 0) return lines;
    if (this.#pendingBytes + rest.length > this.limit) {
      this.#reset();
      this.#skipping = true;
      lines.push(this.#tooLong());
      return lines;
    }
    this.#pending.push(Buffer.from(rest));
    this.#pendingBytes += rest.length;
    return lines;
  }

  #reset(): void {
    this.#pending = [];
    this.#pendingBytes = 0;
  }

  #tooLong(): Line {
    return { ok: false, error: `request longer than ${this.limit} octets` };
  }
}
