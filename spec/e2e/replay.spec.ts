import { expect } from 'chai';
import { appendFileSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import type { Thread } from '../../lib/protocol/index.js';
import { type Bindings, copyBindings, newBindings, placeholderMismatches } from '../reducers/placeholderMatch.js';
import { modelRequests, pinnedThreads, rolloutJson, rolloutLines, scenarios, transcript, type TranscriptEntry } from '../reducers/referenceFixtures.js';
import { referenceValidator } from '../support/schemaValidator.js';
import { ServerProcess } from '../support/serverProcess.js';

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the bundled `rxagent replay …` to its end. */
const runReplay = async (args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<Run> => {
  const proc = ServerProcess.start(['replay', ...args], { env });
  const chunks: string[] = [];
  proc.child.stdout.setEncoding('utf8');
  proc.child.stdout.on('data', (chunk: string) => chunks.push(chunk));
  const drained = new Promise((resolve) => proc.child.stdout.once('end', resolve));
  const [{ code }] = await Promise.all([proc.exited, drained]);
  await proc.stop();
  return { code, stdout: chunks.join(''), stderr: proc.stderr };
};

const succeeded = async (args: readonly string[], env?: NodeJS.ProcessEnv): Promise<string> => {
  const run = await runReplay(args, env);
  expect(run.code, run.stderr).to.equal(0);
  return run.stdout;
};

interface Notification {
  readonly method: string;
  readonly params: Record<string, unknown> & { threadId?: string; turnId?: string };
}

const jsonLines = <T>(text: string): T[] =>
  text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as T);

const REBUILT_ITEMS = new Set(['userMessage', 'agentMessage', 'reasoning', 'plan']);

/**
 * What a replay can reproduce of a notification stream: completed items of the kinds a rollout
 * keeps (without the ids that are not persisted; a plan keeps its `<turn>-plan`), turn ends,
 * compactions and usage (whose turn is not persisted when a rollback reported it).
 */
const replayable = (notifications: readonly Notification[]): unknown[] =>
  notifications.flatMap(({ method, params }): unknown[] => {
    switch (method) {
      case 'item/completed': {
        const item = params.item as { type: string; id: string };
        if (!REBUILT_ITEMS.has(item.type)) return [];
        const { id, ...rest } = item;
        return [{ method, turnId: params.turnId, item: item.type === 'plan' ? { id, ...rest } : rest }];
      }
      case 'turn/completed':
        return [{ method, turn: params.turn }];
      case 'thread/compacted':
        return [{ method, turnId: params.turnId }];
      case 'thread/tokenUsage/updated':
        return [{ method, tokenUsage: params.tokenUsage }];
      default:
        return [];
    }
  });

const THREAD_METHODS = new Set(['thread/read', 'thread/resume', 'thread/rollback', 'thread/fork']);

/** The thread's last result with turns, if no turn was started on it afterwards: the state of the saved file. */
const finalThreadResult = (entries: readonly TranscriptEntry[], placeholder: string): Thread | undefined => {
  const requests = new Map(entries.filter((e) => e.dir === 'send' && e.type === 'request').map((e) => [e.id, e]));
  const index = entries.findLastIndex((e) => {
    if (e.dir !== 'recv' || e.type !== 'response' || !THREAD_METHODS.has(e.method ?? '')) return false;
    const thread = e.result?.thread as Thread | undefined;
    const withTurns = e.method !== 'thread/read' || requests.get(e.id)?.params?.includeTurns === true;
    return thread?.id === placeholder && withTurns;
  });
  if (index === -1) return undefined;
  const laterTurn = entries.slice(index).some((e) => e.dir === 'send' && e.method === 'turn/start' && e.params?.threadId === placeholder);
  return laterTurn ? undefined : (entries[index]?.result?.thread as Thread);
};

const pinBindings = (pinned: ReadonlyMap<string, string>): Bindings => {
  const bindings = newBindings();
  for (const [placeholder, path] of pinned) {
    const meta = rolloutLines(path).find((line) => line.type === 'session_meta')?.payload as { id: string };
    bindings.byPlaceholder.set(placeholder, meta.id);
    bindings.byValue.set(meta.id, placeholder);
  }
  return bindings;
};

interface RawLine {
  readonly type: string;
  readonly payload: { type?: string; role?: string };
}

const isAssistantMessage = (line: RawLine): boolean => line.type === 'response_item' && line.payload.type === 'message' && line.payload.role === 'assistant';
const isRollback = (line: RawLine): boolean => line.type === 'event_msg' && line.payload.type === 'thread_rolled_back';

describe('rxagent replay (e2e)', () => {
  for (const scenario of scenarios()) {
    const pinned = pinnedThreads(scenario);
    const entries = transcript(scenario);
    for (const [placeholder, path] of pinned) {
      const name = `${scenario} ${placeholder} (${basename(path)})`;

      describe(name, () => {
        const recorded = finalThreadResult(entries, placeholder);
        const live = entries.filter(
          (e): e is TranscriptEntry & Notification => e.dir === 'recv' && e.type === 'notification' && e.params?.threadId === placeholder,
        );

        const readTurns = async (): Promise<Thread> => {
          const { thread } = JSON.parse(await succeeded([path])) as { thread: Thread };
          expect(JSON.parse(await succeeded([path, '--turns']))).to.deep.equal({ thread });
          expect(thread.path).to.equal(path);
          return thread;
        };

        if (recorded !== undefined) {
          it('--turns (the default) prints {thread} as the last thread/read, resume or rollback of the saved file returned it', async () => {
            expect(placeholderMismatches(recorded, await readTurns(), pinBindings(pinned))).to.deep.equal([]);
          });
        } else {
          // Turns were started after the last result with turns: no recorded result shows the whole file.
          it('--turns (the default) prints {thread} ending with every turn the client saw end', async () => {
            const ids = (await readTurns()).turns.map((turn) => turn.id);
            const ended = live.flatMap((n) => (n.method === 'turn/completed' ? [(n.params.turn as { id: string }).id] : []));
            expect(ended.length).to.be.greaterThan(0);
            expect(placeholderMismatches(ended, ids.slice(ids.length - ended.length), pinBindings(pinned))).to.deep.equal([]);
          });
        }

        it('--notifications prints valid v2 notifications ending with what the client saw of this thread, in order', async () => {
          const sent = jsonLines<Notification>(await succeeded([path, '--notifications']));
          const validate = referenceValidator('ServerNotification');
          for (const notification of sent) expect(validate(notification), JSON.stringify(notification)).to.equal(true);
          const expected = replayable(live);
          expect(expected.length).to.be.greaterThan(0);
          const actual = replayable(sent);
          // A fork's file starts with its source's turns, which the client saw on the source thread.
          expect(actual.length).to.be.at.least(expected.length);
          const tail = actual.slice(actual.length - expected.length);
          expect(placeholderMismatches(expected, tail, copyBindings(pinBindings(pinned)))).to.deep.equal([]);
          const started = sent.filter((n) => n.method === 'turn/started').length;
          const completed = sent.filter((n) => n.method === 'turn/completed').length;
          expect(started).to.equal(completed);
        });

        it('--history prints the next request input: the last request sent, then the answer to it', async () => {
          const history = JSON.parse(await succeeded([path, '--history'])) as RawLine['payload'][];
          const lines = rolloutJson(path) as RawLine[];
          const lastAnswer = lines.findLastIndex(isAssistantMessage);
          if (lines.slice(lastAnswer).some(isRollback)) {
            // Every turn was rolled back: only the context recorded before the first turn is left.
            expect(history.some((item) => item.role === 'assistant')).to.equal(false);
            const firstTurn = lines.findIndex((line) => line.type === 'event_msg' && line.payload.type === 'task_started');
            expect(history).to.deep.equal(lines.slice(0, firstTurn).flatMap((line) => (line.type === 'response_item' ? [line.payload] : [])));
            return;
          }
          expect(history[history.length - 1]).to.deep.equal(lines[lastAnswer]?.payload);
          const requests = modelRequests(scenario).filter(
            (request) => request.label !== 'compaction' && (request.body as { prompt_cache_key?: string }).prompt_cache_key === placeholder,
          );
          const last = requests[requests.length - 1];
          if (last === undefined) return; // a fork that was never sent to the model
          expect(placeholderMismatches(last.body.input, history.slice(0, last.body.input.length), newBindings())).to.deep.equal([]);
        });
      });
    }
  }

  describe('by thread id', () => {
    const [placeholder, path] = [...pinnedThreads('turn-basic')][0] as [string, string];
    const codexHome = dirname(dirname(dirname(dirname(dirname(path)))));
    const id = (rolloutLines(path)[0]?.payload as { id: string }).id;
    let home: string;
    before(() => {
      home = mkdtempSync(join(tmpdir(), 'rxagent-replay-home-'));
    });
    after(() => rmSync(home, { recursive: true, force: true }));

    it(`finds ${placeholder} under CODEX_HOME/sessions`, async () => {
      expect(await succeeded([id, '--notifications'], { CODEX_HOME: codexHome })).to.equal(await succeeded([path, '--notifications']));
    });

    it('finds an archived thread under CODEX_HOME/archived_sessions', async () => {
      mkdirSync(join(home, 'archived_sessions'), { recursive: true });
      const archived = join(home, 'archived_sessions', basename(path));
      copyFileSync(path, archived);
      const { thread } = JSON.parse(await succeeded([id], { CODEX_HOME: home })) as { thread: Thread };
      expect(thread.id).to.equal(id);
      expect(thread.path).to.equal(archived);
    });

    it('fails with exit code 1 for an id with no rollout', async () => {
      const run = await runReplay(['01a20f8b-0000-7000-8000-000000000000'], { CODEX_HOME: home });
      expect(run.code).to.equal(1);
      expect(run.stderr).to.contain('no rollout for thread 01a20f8b-0000-7000-8000-000000000000 under');
      expect(run.stdout).to.equal('');
    });
  });

  describe('--follow', () => {
    let dir: string;
    before(() => {
      dir = mkdtempSync(join(tmpdir(), 'rxagent-replay-follow-'));
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    for (const scenario of ['turn-basic', 'thread-rollback']) {
      it(`${scenario}: prints, for a rollout written while it runs, what a replay of the whole file prints, and ends when the file is archived`, async () => {
        const [source] = [...pinnedThreads(scenario).values()] as [string];
        const whole = await succeeded([source, '--notifications']);
        const text = readFileSync(source, 'utf8');
        // Three quarters of the lines: enough for a notification to be printed before the rest comes
        // (an item is printed once later lines cannot change it).
        const lines = text.split('\n');
        const cut = lines.slice(0, Math.floor(((lines.length - 1) * 3) / 4)).join('\n').length + 1;
        const path = join(dir, `${scenario}.jsonl`);
        writeFileSync(path, text.slice(0, cut));
        const proc = ServerProcess.start(['replay', path, '--notifications', '--follow']);
        let stdout = '';
        let waiting: (() => void) | undefined;
        proc.child.stdout.setEncoding('utf8');
        proc.child.stdout.on('data', (chunk: string) => {
          stdout += chunk;
          waiting?.();
        });
        const printed = async (lines: number): Promise<void> => {
          while (stdout.split('\n').length <= lines) await new Promise<void>((resolve) => (waiting = resolve));
        };
        await printed(1);
        appendFileSync(path, text.slice(cut));
        await printed(whole.split('\n').length - 1);
        renameSync(path, `${path}.archived`);
        const { code } = await proc.exited;
        expect(code, proc.stderr).to.equal(0);
        expect(stdout).to.equal(whole);
      });
    }

    it('ends quietly when its reader goes away (`| head`)', async () => {
      const [source] = [...pinnedThreads('turn-basic').values()] as [string];
      const [meta, ...rest] = readFileSync(source, 'utf8').trimEnd().split('\n');
      // Far more notifications than a pipe holds, so writes go on after the reader is gone.
      const path = join(dir, 'long.jsonl');
      writeFileSync(path, `${[meta, ...Array.from({ length: 300 }, () => rest).flat()].join('\n')}\n`);
      const proc = ServerProcess.start(['replay', path, '--notifications']);
      await new Promise((resolve) => proc.child.stdout.once('data', resolve));
      proc.child.stdout.destroy();
      const { code } = await proc.exited;
      expect(code, proc.stderr).to.equal(0);
      expect(proc.stderr).to.not.contain('EPIPE');
    });

    it('goes with --notifications only', async () => {
      const run = await runReplay(['a.jsonl', '--follow']);
      expect(run.code).to.equal(2);
      expect(run.stderr).to.contain('--follow goes with --notifications');
    });
  });

  describe('errors', () => {
    let dir: string;
    const file = (name: string, content: string): string => {
      const path = join(dir, name);
      writeFileSync(path, content);
      return path;
    };
    before(() => {
      dir = mkdtempSync(join(tmpdir(), 'rxagent-replay-errors-'));
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    const failsWith = async (args: readonly string[], code: number, message: string): Promise<void> => {
      const run = await runReplay(args);
      expect(run.code, run.stderr).to.equal(code);
      expect(run.stderr).to.contain(message);
      expect(run.stdout).to.equal('');
    };

    it('a missing file: exit 1, named on stderr', async () => {
      await failsWith([join(dir, 'missing.jsonl')], 1, `rxagent replay: rollout file not found: ${join(dir, 'missing.jsonl')}`);
    });

    it('a directory: exit 1', async () => {
      await failsWith([dir, '--history'], 1, `rollout path is not a regular file: ${dir}`);
    });

    for (const mode of ['--turns', '--notifications', '--history']) {
      it(`an empty file (${mode}): exit 1, nothing on stdout`, async () => {
        await failsWith([file('empty.jsonl', '\n\n'), mode], 1, 'empty.jsonl is empty (empty session file)');
      });

      it(`a file that is not a rollout (${mode}): exit 1, nothing on stdout`, async () => {
        const path = file('other.jsonl', '{"dir":"send","type":"request"}\n{"timestamp":"2026-02-12T19:27:11.532Z","type":"event_msg","payload":{"type":"agent_message","message":"hi"}}\n');
        await failsWith([path, mode], 1, 'other.jsonl is not a rollout: it has no session_meta line (failed to parse thread ID from rollout file)');
      });
    }

    it('bad arguments: exit 2 with the usage', async () => {
      await failsWith([], 2, 'missing the rollout file or thread id');
      await failsWith(['a.jsonl', '--turns', '--history'], 2, 'choose one of --turns, --notifications, --history');
      await failsWith(['a.jsonl', '--json'], 2, "Unknown option '--json'");
    });
  });
});
