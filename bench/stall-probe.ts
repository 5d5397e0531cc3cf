/** The main thread's longest stall: the widest gap between the ticks of a 1 ms timer. */

/** Starts watching; `stop` answers the longest gap between two ticks (or since the last one), in ms. */
export function stallProbe(): { stop: () => number } {
  let last = performance.now();
  let longest = 0;
  const ticker = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
  }, 1);
  return {
    stop: () => {
      clearInterval(ticker);
      return Math.max(longest, performance.now() - last);
    },
  };
}
