/**
 * Output kept by a running command: the first and last halves of `capacity` UTF-16 code units,
 * with a count of what fell out of the middle. Memory stays bounded however much a command
 * prints, and what is kept is what people read first: how it started and how it ended.
 *
 * @example
 * const out = new HeadTailText(8);
 * out.push('abcdefghijkl');
 * out.toString(); // 'abcd\n…4 chars truncated…\nijkl'
 */
export class HeadTailText {
  private head = '';
  private tail: string[] = [];
  private tailLength = 0;
  private dropped = 0;
  private readonly headCapacity: number;
  private readonly tailCapacity: number;

  constructor(readonly capacity: number) {
    this.headCapacity = Math.ceil(capacity / 2);
    this.tailCapacity = capacity - this.headCapacity;
  }

  /** Code units pushed so far, kept or not. */
  get totalLength(): number {
    return this.head.length + this.tailLength + this.dropped;
  }

  /** Code units dropped from the middle. */
  get omitted(): number {
    return this.dropped;
  }

  push(text: string): void {
    let rest = text;
    if (this.head.length < this.headCapacity) {
      const room = this.headCapacity - this.head.length;
      this.head += rest.slice(0, room);
      rest = rest.slice(room);
    }
    if (rest === '') return;
    this.tail.push(rest);
    this.tailLength += rest.length;
    while (this.tailLength > this.tailCapacity) {
      const first = this.tail[0]!;
      const excess = this.tailLength - this.tailCapacity;
      if (first.length <= excess) {
        this.tail.shift();
        this.tailLength -= first.length;
        this.dropped += first.length;
      } else {
        this.tail[0] = first.slice(excess);
        this.tailLength -= excess;
        this.dropped += excess;
      }
    }
  }

  /** Everything pushed when nothing was dropped; else head, a marker naming the gap, and tail. */
  toString(): string {
    const tail = this.tail.join('');
    if (this.dropped === 0) return this.head + tail;
    // The cuts may have split a surrogate pair; the halves left behind are noise, not text.
    const head = this.head.replace(/[\uD800-\uDBFF]$/, '');
    return `${head}\n…${this.dropped} chars truncated…\n${tail.replace(/^[\uDC00-\uDFFF]/, '')}`;
  }
}
