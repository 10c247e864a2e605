import { expect } from 'chai';
import { PassThrough, Writable } from 'node:stream';
import { firstValueFrom, lastValueFrom } from 'rxjs';
import { filter, toArray } from 'rxjs/operators';
import type { Connection, OversizedMessage } from '../../../lib/transport/connection.js';
import { stdioConnection, type StdioOptions } from '../../../lib/transport/stdio.js';

/** A stdout that accepts writes only when told to; records every chunk and whether the caller ignored backpressure. */
class SlowWritable extends Writable {
  readonly chunks: string[] = [];
  /** Writes made while `write()` had already said to wait for 'drain'. */
  ignoredBackpressure = 0;
  private pending: (() => void)[] = [];
  private flowing = false;

  constructor(highWaterMark = 64) {
    super({ highWaterMark, decodeStrings: false });
  }

  override write(chunk: unknown, ...rest: unknown[]): boolean {
    if (this.writableNeedDrain) this.ignoredBackpressure++;
    return (super.write as (...args: unknown[]) => boolean)(chunk, ...rest);
  }

  override _write(chunk: unknown, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.chunks.push(String(chunk));
    if (this.flowing) callback();
    else this.pending.push(callback);
  }

  /** The reader catches up and keeps up from now on. */
  flow(): void {
    this.flowing = true;
    for (const callback of this.pending.splice(0)) callback();
  }

  get text(): string {
    return this.chunks.join('');
  }
}

describe('stdio transport', () => {
  let input: PassThrough;
  let output: SlowWritable;
  let logs: string[];
  let connection: Connection | undefined;

  const open = (options: StdioOptions = {}): Connection => {
    const c = stdioConnection(input, output, { log: (line) => logs.push(line), ...options });
    connection = c;
    return c;
  };
  const readAll = (c: Connection): Promise<string[]> => lastValueFrom(c.inbound$.pipe(toArray()));

  beforeEach(() => {
    input = new PassThrough();
    output = new SlowWritable();
    logs = [];
    connection = undefined;
  });
  afterEach(() => {
    connection?.close();
    input.destroy();
    output.destroy();
  });

  describe('inbound framing', () => {
    it('is connection 0 of kind stdio', () => {
      const c = open();
      expect([c.id, c.kind]).to.deep.equal([0, 'stdio']);
    });

    it('delivers one message per line, whatever the chunking', async () => {
      const messages = readAll(open());
      input.write('{"id":1,');
      input.write('"method":"a"}\n{"id":2}\n{"id"');
      input.write(':3}\n');
      input.end();
      expect(await messages).to.deep.equal(['{"id":1,"method":"a"}', '{"id":2}', '{"id":3}']);
    });

    it('strips a trailing \\r and ignores empty and blank lines', async () => {
      const messages = readAll(open());
      input.end('{"id":1}\r\n\r\n\n   \n{"id":2}\r\n');
      expect(await messages).to.deep.equal(['{"id":1}', '{"id":2}']);
    });

    it('delivers a partial last line at EOF', async () => {
      const messages = readAll(open());
      input.write('{"id":1}\n{"id":');
      input.end('2}');
      expect(await messages).to.deep.equal(['{"id":1}', '{"id":2}']);
    });

    it('reads nothing before inbound$ is subscribed, and loses nothing either', async () => {
      const c = open();
      input.end('{"id":1}\n');
      expect(await readAll(c)).to.deep.equal(['{"id":1}']);
    });

    it('skips an oversized line, reports it on oversized$ and in the log, and reads on', async () => {
      const c = open({ maxLineBytes: 16 });
      const reported = lastValueFrom(c.oversized$.pipe(toArray()));
      const messages = readAll(c);
      input.write('{"id":1}\n{"id":2,"pad":"');
      input.write('x'.repeat(100));
      input.end('"}\n{"id":3}\n');
      expect(await messages).to.deep.equal(['{"id":1}', '{"id":3}']);
      expect(await reported).to.deep.equal([{ bytes: 117, limit: 16 } satisfies OversizedMessage]);
      expect(logs.join('\n')).to.match(/skipped an inbound line of 117 bytes \(limit 16\)/);
    });

    it('completes inbound$ at EOF and keeps stdout open for the answers', async () => {
      const c = open();
      let closed = false;
      c.closed$.subscribe(() => (closed = true));
      const messages = readAll(c);
      input.end();
      expect(await messages).to.deep.equal([]);
      expect(closed).to.equal(false);
      output.flow();
      c.send('{"id":1,"result":{}}');
      expect(output.text).to.equal('{"id":1,"result":{}}\n');
    });

    it('treats a read error as EOF, with a log line', async () => {
      const messages = readAll(open());
      input.write('{"id":1}\n');
      input.destroy(new Error('EIO'));
      expect(await messages).to.deep.equal(['{"id":1}']);
      expect(logs.join('\n')).to.match(/reading stdin failed: EIO/);
    });
  });

  describe('outbound', () => {
    it('writes each message followed by a newline, in order', () => {
      output.flow();
      const c = open();
      c.send('{"id":1,"result":{}}');
      c.send('{"method":"x"}');
      expect(output.text).to.equal('{"id":1,"result":{}}\n{"method":"x"}\n');
    });

    it('waits for drain when stdout is slow, saturates at capacity, and catches up in order', async () => {
      const c = open({ capacity: 8 });
      const saturated = firstValueFrom(c.saturated$.pipe(filter(Boolean)));
      const sent = Array.from({ length: 20 }, (_, i) => JSON.stringify({ method: 'n', params: { i, pad: 'x'.repeat(40) } }));
      for (const message of sent) c.send(message);
      await saturated;
      expect(c.saturated).to.equal(true);
      // Only what fits before the first `false` has been handed over; the rest waits in the queue.
      expect(output.chunks.length).to.be.lessThan(3);
      const recovered = firstValueFrom(c.saturated$.pipe(filter((s) => !s)));
      output.flow();
      await recovered;
      const closed = firstValueFrom(c.closed$);
      c.close();
      await closed;
      expect(output.text).to.equal(sent.map((m) => m + '\n').join(''));
      expect(output.ignoredBackpressure).to.equal(0);
    });

    it('never disconnects, but drops what exceeds the overflow and says so on the log', async () => {
      output = new SlowWritable(1);
      const c = open({ capacity: 2, overflow: 1 });
      for (const i of [1, 2, 3, 4, 5, 6]) c.send(`{"id":${i}}`);
      expect(logs.join('\n')).to.match(/outbound queue full \(3 messages\)/);
      expect(c.closeReason).to.equal(undefined);
      const recovered = firstValueFrom(c.saturated$.pipe(filter((s) => !s)));
      output.flow();
      await recovered;
      const closed = firstValueFrom(c.closed$);
      c.close();
      await closed;
      expect(output.text).to.equal('{"id":1}\n{"id":2}\n{"id":3}\n{"id":4}\n');
      expect(logs.join('\n')).to.match(/2 message\(s\) were dropped/);
    });
  });

  describe('close', () => {
    it('flushes what was sent, ends stdout, then emits closed$; later sends are ignored', async () => {
      const c = open();
      c.send('{"id":1}');
      c.send('{"id":2}');
      const closed = firstValueFrom(c.closed$);
      const inboundDone = readAll(c);
      c.close('peer closed');
      c.send('{"id":3}');
      output.flow();
      await closed;
      expect(output.writableFinished).to.equal(true);
      expect(output.text).to.equal('{"id":1}\n{"id":2}\n');
      expect(c.closeReason).to.equal('peer closed');
      expect(await inboundDone).to.deep.equal([]);
    });

    it('emits closed$ when stdout fails (EPIPE), without crashing', async () => {
      output.flow();
      const c = open();
      const closed = firstValueFrom(c.closed$);
      output.destroy(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
      await closed;
      expect(c.closeReason).to.match(/EPIPE/);
      expect(c.saturated).to.equal(false);
      c.send('{"id":1}');
    });
  });
});
