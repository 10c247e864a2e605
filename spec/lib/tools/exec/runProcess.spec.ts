import { expect } from 'chai';
import fc from 'fast-check';
import { from, type Observable } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { runProcess, TIMEOUT_EXIT_CODE, type RunEvent } from '../../../../lib/tools/exec/runProcess.js';
import { nodeSpawner, type SpawnEvent } from '../../../../lib/tools/exec/spawner.js';
import { eventsOf, testEnv, witness } from './support.js';

const stdin = { write: async () => true };
const request = { argv: ['cmd'], cwd: '/', env: {}, stdin: 'null' as const };
const bytes = (text: string) => Buffer.from(text, 'utf8');

describe('runProcess', () => {
  describe('with a scripted spawner', () => {
    let testScheduler: TestScheduler;
    let kills: number;
    const kill = () => void (kills += 1);
    const spawned: SpawnEvent = { type: 'spawned', pid: 42, stdin, kill };
    const started: RunEvent = { type: 'started', pid: 42, stdin, kill };
    beforeEach(() => {
      kills = 0;
      testScheduler = new TestScheduler((actual, expected) => {
        expect(actual).to.deep.equal(expected);
      });
    });

    it('forwards output as it arrives and reports the exit when the pipes close', () => {
      testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
        const child = cold<SpawnEvent>('s-o-e-|', {
          s: spawned,
          o: { type: 'output', stream: 'stdout', bytes: bytes('hi\n') },
          e: { type: 'exit', code: 3, signal: null },
        });
        expectObservable(runProcess(request, { spawner: () => child })).toBe('s-o---(x|)', {
          s: started,
          o: { type: 'output', stream: 'stdout', text: 'hi\n' },
          x: { type: 'exited', exitCode: 3, signal: null, timedOut: false, durationMs: 4 },
        });
        expectSubscriptions(child.subscriptions).toBe('^-----!');
      });
    });

    it('keeps reading after exit until the pipes close, within the drain time', () => {
      testScheduler.run(({ cold, expectObservable }) => {
        const child = cold<SpawnEvent>('s-e-o|', {
          s: spawned,
          e: { type: 'exit', code: 0, signal: null },
          o: { type: 'output', stream: 'stderr', bytes: bytes('late') },
        });
        expectObservable(runProcess(request, { spawner: () => child, drainTimeoutMs: 10 })).toBe('s---o(x|)', {
          s: started,
          o: { type: 'output', stream: 'stderr', text: 'late' },
          x: { type: 'exited', exitCode: 0, signal: null, timedOut: false, durationMs: 2 },
        });
      });
    });

    it('stops reading at the drain time when something still holds the pipes, which kills it', () => {
      testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
        const child = cold<SpawnEvent>('s-e----', { s: spawned, e: { type: 'exit', code: 0, signal: null } });
        expectObservable(runProcess(request, { spawner: () => child, drainTimeoutMs: 3 })).toBe('s----(x|)', {
          s: started,
          x: { type: 'exited', exitCode: 0, signal: null, timedOut: false, durationMs: 2 },
        });
        expectSubscriptions(child.subscriptions).toBe('^----!');
      });
    });

    it('kills the command at its timeout and reports exit code 124', () => {
      testScheduler.run(({ cold, expectObservable }) => {
        const child = cold<SpawnEvent>('s 9ms e|', { s: spawned, e: { type: 'exit', code: null, signal: 'SIGKILL' } });
        expectObservable(runProcess({ ...request, timeoutMs: 5 }, { spawner: () => child })).toBe('s 10ms (x|)', {
          s: started,
          x: { type: 'exited', exitCode: TIMEOUT_EXIT_CODE, signal: 'SIGKILL', timedOut: true, durationMs: 10 },
        });
      });
      expect(kills).to.equal(1);
    });

    it('does not time out a command that already exited', () => {
      testScheduler.run(({ cold, expectObservable }) => {
        const child = cold<SpawnEvent>('s-e 9ms |', { s: spawned, e: { type: 'exit', code: 0, signal: null } });
        expectObservable(runProcess({ ...request, timeoutMs: 5 }, { spawner: () => child })).toBe('s 11ms (x|)', {
          s: started,
          x: { type: 'exited', exitCode: 0, signal: null, timedOut: false, durationMs: 2 },
        });
      });
      expect(kills).to.equal(0);
    });

    it('lets go of the process when unsubscribed', () => {
      testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
        const child = cold<SpawnEvent>('s------', { s: spawned });
        expectObservable(runProcess(request, { spawner: () => child }), '^--!').toBe('s--', { s: started });
        expectSubscriptions(child.subscriptions).toBe('^--!');
      });
    });

    it('errors when the command cannot start', () => {
      testScheduler.run(({ cold, expectObservable }) => {
        const failure = new Error('spawn nope ENOENT');
        expectObservable(runProcess(request, { spawner: () => cold('#', undefined, failure) })).toBe('#', undefined, failure);
      });
    });

    it('decodes UTF-8 the same however the bytes are chunked', () => {
      fc.assert(
        fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), fc.array(fc.nat(), { maxLength: 8 }), (text, cuts) => {
          const encoded = bytes(text);
          const points = [...new Set(cuts.map((cut) => cut % (encoded.length + 1)))].sort((a, b) => a - b);
          const chunks = [0, ...points].map((start, i, all) => encoded.subarray(start, all[i + 1] ?? encoded.length));
          const events: SpawnEvent[] = [
            spawned,
            ...chunks.map((chunk): SpawnEvent => ({ type: 'output', stream: 'stdout', bytes: chunk })),
            { type: 'exit', code: 0, signal: null },
          ];
          let decoded = '';
          runProcess(request, { spawner: () => from(events) }).subscribe((event) => {
            if (event.type === 'output') decoded += event.text;
          });
          expect(decoded).to.equal(text);
        }),
      );
    });
  });

  describe('with real processes', () => {
    const run = (script: string, extra: { timeoutMs?: number; stdin?: 'pipe' | 'null' } = {}, drainTimeoutMs?: number): Observable<RunEvent> =>
      runProcess(
        { argv: ['sh', '-c', script], cwd: '/', env: testEnv(), stdin: extra.stdin ?? 'null', timeoutMs: extra.timeoutMs ?? null },
        { spawner: nodeSpawner, ...(drainTimeoutMs === undefined ? {} : { drainTimeoutMs }) },
      );
    const texts = (events: RunEvent[]) => events.flatMap((event) => (event.type === 'output' ? [event.text] : []));
    const exited = (events: RunEvent[]) => events.find((event) => event.type === 'exited');

    it('delivers output written before a wait while the command is still waiting', async () => {
      const seen: string[] = [];
      const events = await new Promise<RunEvent[]>((done, fail) => {
        const all: RunEvent[] = [];
        let input: ((text: string) => Promise<boolean>) | undefined;
        run('printf a; read line; printf "b:%s" "$line"', { stdin: 'pipe' }).subscribe({
          next: (event) => {
            all.push(event);
            if (event.type === 'started') input = (text) => event.stdin.write(text);
            if (event.type === 'output') {
              seen.push(event.text);
              // The command blocks on `read` until we answer, so this 'a' came before the wait ended.
              if (event.text === 'a') void input?.('go\n');
            }
          },
          error: fail,
          complete: () => done(all),
        });
      });
      expect(seen).to.deep.equal(['a', 'b:go']);
      expect(exited(events)).to.include({ exitCode: 0, timedOut: false });
    });

    it('keeps every byte, in order, around a sleep', async () => {
      const events = await eventsOf(run('printf a; sleep 0.2; printf b'));
      expect(texts(events).join('')).to.equal('ab');
      expect(texts(events)[0]).to.equal('a');
      expect(events.at(-1)?.type).to.equal('exited');
    });

    it('labels stdout and stderr', async () => {
      const events = await eventsOf(run('echo out; echo err >&2'));
      const by = (stream: string) => events.flatMap((event) => (event.type === 'output' && event.stream === stream ? [event.text] : [])).join('');
      expect(by('stdout')).to.equal('out\n');
      expect(by('stderr')).to.equal('err\n');
    });

    it('delivers every byte of a large output', async () => {
      const events = await eventsOf(run("head -c 3000000 /dev/zero | tr '\\0' x"));
      const all = texts(events).join('');
      expect(all.length).to.equal(3_000_000);
      expect(/^x+$/.test(all)).to.equal(true);
    });

    it('reports death by signal as 128 + the signal number', async () => {
      expect(exited(await eventsOf(run('kill -TERM $$')))).to.include({ exitCode: 143, signal: 'SIGTERM' });
    });

    it('kills the whole process tree at the timeout', async () => {
      const holder = witness();
      try {
        const script = `exec 3>${holder.path}; sleep 30 & setsid sleep 30 & echo ready >&3; echo ready; wait`;
        const events = await eventsOf(run(script, { timeoutMs: 1000 }));
        expect(exited(events)).to.include({ exitCode: TIMEOUT_EXIT_CODE, timedOut: true });
        expect(holder.wasReady, 'the command had started its children before the timeout').to.equal(true);
        expect(texts(events).join('')).to.equal('ready\n');
        await holder.released;
      } finally {
        holder.dispose();
      }
    });

    it('kills the whole process tree, setsid children included, when unsubscribed', async () => {
      const holder = witness();
      try {
        await new Promise<void>((done, fail) => {
          const subscription = run(`exec 3>${holder.path}; sleep 30 & setsid sleep 30 & echo ready; wait`).subscribe({
            next: (event) => {
              if (event.type === 'output' && event.text.includes('ready')) {
                subscription.unsubscribe();
                done();
              }
            },
            error: fail,
          });
        });
        await holder.released;
      } finally {
        holder.dispose();
      }
    });

    it('ends a run whose background child holds the pipes open, after the drain time, killing the child', async () => {
      const holder = witness();
      try {
        const events = await eventsOf(run(`exec 3>${holder.path}; sleep 30 & echo done >&3; echo done`, {}, 100));
        expect(holder.wasReady).to.equal(true);
        expect(texts(events).join('')).to.equal('done\n');
        expect(exited(events)).to.include({ exitCode: 0 });
        await holder.released;
      } finally {
        holder.dispose();
      }
    });

    it('errors when the program does not exist', async () => {
      const failure = await eventsOf(runProcess({ argv: ['/nonexistent/program'], cwd: '/', env: testEnv(), stdin: 'null' }, { spawner: nodeSpawner })).then(
        () => null,
        (error: Error) => error,
      );
      expect(failure?.message).to.match(/ENOENT/);
    });
  });
});
