import { expect } from 'chai';
import { mkdtempSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  Browser,
  browserAvailable,
  newThread,
  openClient,
  openThreadId,
  saveFailureArtifacts,
  seedThreads,
  sendMessage,
  Serve,
  SKIP_MESSAGE,
  testId,
  turns,
  waitConnected,
  waitTurnsDone,
} from './harness.js';

// Callbacks given to page.evaluate / waitForFunction run in the page. This project compiles
// without the DOM library, so the browser globals they use are declared loosely here.
declare const document: any;
declare const location: any;
declare const window: any;

// The browser client (web/) against a real `rxagent serve` without credentials: the offline
// `replay` model answers from its bundled scripts (a plain answer, a command that needs approval,
// a file edit, a plan). Every wait is on a DOM condition.

describe('browser client (rxagent serve, offline replay model)', function () {
  this.timeout(90_000);
  let serve: Serve | undefined;
  let browser: Browser | undefined;

  before(function () {
    if (!browserAvailable()) {
      console.log(`      ${SKIP_MESSAGE}`);
      this.skip();
    }
  });

  beforeEach(async () => {
    serve = await Serve.start();
    browser = await Browser.launch();
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await saveFailureArtifacts(this.currentTest.fullTitle(), browser, serve);
    await browser?.close();
    await serve?.dispose();
    browser = undefined;
    serve = undefined;
  });

  const page = () => browser!.page;

  it('says the model is the offline demo and streams a plain answer with its reasoning (Enter sends)', async () => {
    await openClient(page(), serve!);
    await newThread(page());
    await page().waitForSelector(`${testId('offline-banner')}:visible`);
    expect(await page().textContent(testId('offline-banner'))).to.equal('Offline demo model — no API key configured');

    await sendMessage(page(), 'Hello there');
    await page().locator(testId('user-message'), { hasText: 'Hello there' }).waitFor();
    await page().locator(testId('agent-message'), { hasText: 'replay' }).waitFor();
    await waitTurnsDone(page(), 1);
    expect(await page().textContent(testId('reasoning'))).to.contain('Answering offline');
    expect(await page().getAttribute(testId('turn'), 'data-status')).to.equal('completed');
    // The box is cleared and keeps the focus for the next message.
    expect(await page().inputValue(testId('composer-input'))).to.equal('');
  });

  it('asks before running a command, and shows its output once accepted from the keyboard', async () => {
    await openClient(page(), serve!);
    await newThread(page());
    await sendMessage(page(), 'Please run a command');

    const approval = page().locator(testId('approval'));
    await approval.waitFor();
    expect(await approval.getAttribute('data-kind')).to.equal('command');
    expect(await approval.locator(testId('approval-command')).textContent()).to.contain('ls -la');

    // Keyboard: the approval buttons are reachable and work with Enter.
    await approval.locator(testId('approve-accept')).focus();
    await page().keyboard.press('Enter');

    await approval.waitFor({ state: 'detached' });
    await page().waitForSelector(`${testId('command')}[data-status="completed"] ${testId('command-output')}`);
    expect(await page().textContent(testId('command-output'))).to.match(/total \d+/);
    await page().locator(testId('agent-message'), { hasText: 'ran after your approval' }).waitFor();
    await waitTurnsDone(page(), 1);
  });

  it('shows a declined command as declined', async () => {
    await openClient(page(), serve!);
    await newThread(page());
    await sendMessage(page(), 'Run a command');
    await page().click(`${testId('approval')} ${testId('approve-decline')}`);
    await page().waitForSelector(`${testId('command')}[data-status="declined"]`);
    await page().locator(testId('agent-message'), { hasText: 'did not run the command' }).waitFor();
    await waitTurnsDone(page(), 1);
  });

  it('steers a running turn, then interrupts it', async () => {
    await openClient(page(), serve!);
    await newThread(page());
    await sendMessage(page(), 'Run a command');
    // The turn runs while the command waits for approval.
    await page().waitForSelector(testId('approval'));
    await page().locator(testId('send'), { hasText: 'Steer' }).waitFor();
    await sendMessage(page(), 'Also say hello');
    await page().waitForFunction(() => (document.querySelector('[data-testid="composer-input"]') as { value: string }).value === '');
    expect(await page().isHidden(testId('error-toast'))).to.equal(true);

    await page().click(testId('interrupt'));
    await page().waitForSelector(`${testId('turn')}[data-status="interrupted"]`);
    await page().waitForSelector(testId('approval'), { state: 'detached' });
    await page().locator(testId('send'), { hasText: 'Send' }).waitFor();
    await page().waitForSelector(testId('interrupt'), { state: 'hidden' });
  });

  it('shows a file edit with its diff and the turn diff', async () => {
    await openClient(page(), serve!);
    await newThread(page());
    await sendMessage(page(), 'Edit a file for me');
    const change = page().locator(`${testId('file-change')}[data-status="completed"]`);
    const approval = page().locator(testId('approval'));
    // Whether the patch needs approval depends on the sandbox policy; accept it if asked.
    await Promise.race([
      change.waitFor(),
      approval.waitFor().then(async () => {
        expect(await approval.getAttribute('data-kind')).to.equal('fileChange');
        expect(await approval.locator(testId('approval-paths')).textContent()).to.contain('rxagent-demo.md');
        await approval.locator(testId('approve-accept')).click();
      }),
    ]);
    await change.waitFor();
    expect(await change.textContent()).to.contain('rxagent-demo.md');
    expect(await change.locator(testId('file-diff')).textContent()).to.contain('+# Hello from rxagent');
    await waitTurnsDone(page(), 1);
    await page().click(`${testId('turn-diff-block')} summary`);
    expect(await page().textContent(testId('turn-diff'))).to.contain('Hello from rxagent');
  });

  it('proposes a plan in plan mode, then leaves plan mode for the next turn', async () => {
    await openClient(page(), serve!);
    await newThread(page());
    await page().check(testId('plan-mode'));
    await sendMessage(page(), 'What would you suggest?');
    const plan = page().locator(testId('plan'));
    await plan.waitFor();
    await waitTurnsDone(page(), 1);
    const planText = plan.locator(testId('plan-text'));
    expect(await planText.locator('.plan-heading').textContent()).to.equal('Add a short demo note to the project');
    expect(await planText.locator('.plan-step').count()).to.equal(3);
    // The proposed plan is not repeated in the agent's message.
    expect(await page().textContent(testId('agent-message'))).not.to.contain('<proposed_plan>');

    await page().uncheck(testId('plan-mode'));
    await sendMessage(page(), 'What would you suggest?');
    await waitTurnsDone(page(), 2);
    expect(await page().locator(testId('plan')).count()).to.equal(1);
    const second = (await turns(page()))[1]!;
    expect(second.text).to.contain('I am the offline');
  });

  it('rolls back the last turn, and the rollback survives a reload', async () => {
    await openClient(page(), serve!);
    await newThread(page());
    await sendMessage(page(), 'Hello one');
    await waitTurnsDone(page(), 1);
    await sendMessage(page(), 'Hello two');
    await waitTurnsDone(page(), 2);

    await page().fill(testId('rollback-count'), '1');
    await page().click(testId('rollback'));
    await waitTurnsDone(page(), 1);
    expect((await turns(page()))[0]!.text).to.contain('Hello one');

    await page().reload();
    await waitConnected(page());
    await waitTurnsDone(page(), 1);
    expect((await turns(page()))[0]!.text).to.contain('Hello one');
    // The thread is usable after the rollback.
    await sendMessage(page(), 'Hello three');
    await waitTurnsDone(page(), 2);
  });

  it('archives and unarchives a thread, and finds it in the list after a reload', async () => {
    await openClient(page(), serve!);
    await newThread(page());
    await sendMessage(page(), 'Remember me');
    await waitTurnsDone(page(), 1);
    const id = await openThreadId(page());
    const item = page().locator(`${testId('thread-item')}[data-thread-id="${id}"]`);
    await item.waitFor();
    expect(await item.textContent()).to.contain('Remember me');

    await page().click(testId('archive'));
    await page().waitForSelector(testId('archived-badge'));
    await item.waitFor({ state: 'detached' });
    await page().check(testId('show-archived'));
    await item.waitFor();

    await page().click(testId('unarchive'));
    await page().waitForSelector(testId('archived-badge'), { state: 'detached' });
    await page().uncheck(testId('show-archived'));
    await item.waitFor();

    // A fresh page: the thread is listed, and opening it shows its history.
    await page().goto(serve!.url);
    await waitConnected(page());
    await item.click();
    await waitTurnsDone(page(), 1);
    expect((await turns(page()))[0]!.text).to.contain('Remember me');
  });

  it('renames, forks and compacts a thread', async () => {
    await openClient(page(), serve!);
    await newThread(page());
    await sendMessage(page(), 'Hello fork');
    await waitTurnsDone(page(), 1);
    const original = await openThreadId(page());

    await page().click(testId('rename'));
    await page().fill(testId('rename-input'), 'My renamed thread');
    await page().press(testId('rename-input'), 'Enter');
    await page().locator(testId('thread-title'), { hasText: 'My renamed thread' }).waitFor();
    await page().locator(`${testId('thread-item')}[data-thread-id="${original}"]`, { hasText: 'My renamed thread' }).waitFor();

    await page().click(testId('fork'));
    await page().waitForFunction((id) => location.hash.startsWith('#thread=') && !location.hash.endsWith(id), original);
    await waitTurnsDone(page(), 1);
    expect((await turns(page()))[0]!.text).to.contain('Hello fork');

    await page().click(testId('compact'));
    await page().waitForSelector(testId('context-compaction'));
    await waitTurnsDone(page(), 2);
  });

  it('answers a request_user_input question with an option or the Other text', async () => {
    await openClient(page(), serve!);
    await newThread(page());
    const threadId = await openThreadId(page());
    // The demo model never asks; a question is put on the client's server-request stream as the
    // server would send it, and the answer is captured where it would go on the wire.
    await page().evaluate((thread) => {
      const w = window as unknown as { rxagent: { rpc: any }; answers: unknown[] };
      w.answers = [];
      const rpc = w.rxagent.rpc;
      rpc.respond = (request: unknown, result: unknown) => w.answers.push({ request, result });
      const session = rpc.connection$.value.session;
      const question = (id: string) => ({
        id,
        header: 'Confirm',
        question: `Question ${id}?`,
        isOther: true,
        isSecret: false,
        options: [
          { label: 'Yes (Recommended)', description: 'Proceed' },
          { label: 'No', description: 'Stop' },
        ],
      });
      rpc.serverRequests$.next({
        id: 41,
        method: 'item/tool/requestUserInput',
        params: { threadId: thread, turnId: 't1', itemId: 'call1', questions: [question('first'), question('second')] },
        session,
      });
    }, threadId);
    const request = page().locator(testId('user-input-request'));
    await request.waitFor();
    await request.locator(`${testId('user-input-question')}[data-question-id="first"] ${testId('user-input-option')}`, { hasText: 'Yes' }).click();
    await request.locator(`${testId('user-input-question')}[data-question-id="second"] ${testId('user-input-other')}`).fill('Somewhere else');
    await request.locator(testId('user-input-submit')).click();
    await request.waitFor({ state: 'detached' });
    const answers = await page().evaluate(() => (window as unknown as { answers: Array<{ result: unknown }> }).answers.map((a) => a.result));
    expect(answers).to.deep.equal([{ answers: { first: { answers: ['Yes (Recommended)'] }, second: { answers: ['Somewhere else'] } } }]);
  });

  it('pages the thread list with a cursor and sorts it by update time', async () => {
    // 25 threads on disk before the server starts: one page of 20, then 5 more.
    await serve!.dispose();
    const home = mkdtempSync(join(tmpdir(), 'rxagent-browser-home-'));
    const seeded = seedThreads(home, 25, 1_795_478_400);
    // The oldest thread was updated last.
    const now = Date.now() / 1000;
    seeded.forEach((thread, i) => utimesSync(thread.path, now - 1000 + i, now - 1000 + i));
    utimesSync(seeded[0]!.path, now, now);
    serve = await Serve.start({ codexHome: home });

    await openClient(page(), serve);
    const items = page().locator(testId('thread-item'));
    await page().waitForFunction(() => document.querySelectorAll('[data-testid="thread-item"]').length === 20);
    expect(await items.first().textContent()).to.contain('Seeded thread 25');
    await page().click(testId('load-more'));
    await page().waitForFunction(() => document.querySelectorAll('[data-testid="thread-item"]').length === 25);
    expect(await items.last().textContent()).to.contain('Seeded thread 01');
    await page().waitForSelector(testId('load-more'), { state: 'detached' });

    await page().selectOption(testId('sort-key'), 'updated_at');
    await page().waitForFunction(() => document.querySelector('[data-testid="thread-item"]')?.textContent?.includes('Seeded thread 01') ?? false);
    expect(await items.nth(1).textContent()).to.contain('Seeded thread 25');
  });

  it('reconnects after the server restarts and shows the open thread again', async () => {
    await openClient(page(), serve!);
    await newThread(page());
    await sendMessage(page(), 'Hello before the restart');
    await waitTurnsDone(page(), 1);
    const { codexHome, cwd, port } = serve!;

    await serve!.stop();
    await page().waitForSelector(`${testId('connection-status')}:not([data-state="ready"])`);
    serve = await Serve.start({ codexHome, cwd, port });
    await waitConnected(page());
    await waitTurnsDone(page(), 1);
    expect((await turns(page()))[0]!.text).to.contain('Hello before the restart');

    // The thread is subscribed again: a new turn streams.
    await sendMessage(page(), 'Hello after the restart');
    await waitTurnsDone(page(), 2);
    expect((await turns(page()))[1]!.text).to.contain('I am the offline');
  });
});
