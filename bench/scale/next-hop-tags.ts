/**
 * Small numbers for the next hops a receiver can see: tag i + 1 is injector i's own address, tag
 * injectors + i + 1 its second next hop (after a flap); 0 is a next hop of no injector. A receiver
 * keeps a tag per path held, which says both whose path it is and whether a flap has reached it.
 */
import { addressNumber, secondNextHop, sessionAddress } from './addresses.ts';

export class NextHopTags {
  readonly injectors: number;
  readonly #byAddress = new Map<number, number>();

  constructor(injectors: number) {
    if (injectors * 2 > 0xffff) throw new RangeError(`${injectors} injectors: tags are 16-bit`);
    this.injectors = injectors;
    for (let injector = 0; injector < injectors; injector++) {
      this.#byAddress.set(addressNumber(sessionAddress(injector)), this.tag(injector, false));
      this.#byAddress.set(addressNumber(secondNextHop(injector)), this.tag(injector, true));
    }
  }

  /** The tag of `injector`'s own address, or of its second next hop. */
  tag(injector: number, second: boolean): number {
    return (second ? this.injectors : 0) + injector + 1;
  }

  /** The tag of a next hop given as a 32-bit number. */
  of(address: number): number {
    return this.#byAddress.get(address) ?? 0;
  }

  /** Which injector a (non-zero) tag belongs to. */
  injectorOf(tag: number): number {
    return (tag - 1) % this.injectors;
  }
}
