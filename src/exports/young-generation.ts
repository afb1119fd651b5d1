import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

type Collect = (options: { type: 'minor'; execution: 'sync' }) => void;

let collect: Collect | undefined;

/**
 * Collects V8's young generation now. An export moves its whole table
 * through the database socket, and every socket read is a new buffer outside
 * the JavaScript heap that is freed only when the young generation is next
 * collected; with V8's default young generation (16 MB semi-spaces, which
 * webhook throughput needs) tens of MB of read buffers waited for that at
 * once, and the young generation's pages all became resident. Collected
 * every megabyte instead, an export of all 200,000 demo orders peaks about
 * 12 MB above the idle server rather than 40 (bench:reports). A young
 * collection costs about a millisecond.
 *
 * `gc` is not exposed without `--expose-gc` at start; setting the flag
 * later exposes it to contexts made afterwards, so one is made for it.
 */
export function collectYoungGeneration(): void {
  if (!collect) {
    setFlagsFromString('--expose-gc');
    collect = runInNewContext('gc') as Collect;
  }
  collect({ type: 'minor', execution: 'sync' });
}

/** Calls collectYoungGeneration once every `everyBytes` of data passed through. */
export class YoungGenerationPacer {
  private sinceLast = 0;

  constructor(
    private readonly everyBytes: number,
    private readonly collect: () => void = collectYoungGeneration,
  ) {}

  passed(bytes: number): void {
    this.sinceLast += bytes;
    if (this.sinceLast < this.everyBytes) return;
    this.sinceLast = 0;
    this.collect();
  }
}
