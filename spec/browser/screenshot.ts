import { mkdirSync, mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { Browser, newThread, openClient, sendMessage, Serve, testId, waitConnected, waitTurnsDone } from './harness.js';

// Takes the README's screenshot of the browser client: a thread of the offline demo with an
// approved command and its output, the agent's answer, and a plan from plan mode.
//
//   npm run build && node dist/spec/browser/screenshot.js docs/screenshot.png

const out = resolve(process.argv[2] ?? 'docs/screenshot.png');

const main = async (): Promise<void> => {
  // A small project for the demo's `ls -la` to list.
  const project = realpathSync(mkdtempSync(join(tmpdir(), 'rxagent-demo-project-')));
  mkdirSync(join(project, 'src'));
  writeFileSync(join(project, 'README.md'), '# demo\n');
  writeFileSync(join(project, 'package.json'), '{ "name": "demo", "version": "1.0.0" }\n');
  writeFileSync(join(project, 'src', 'index.ts'), 'export const answer = 42;\n');
  let serve = await Serve.start({ cwd: project });
  const browser = await Browser.launch();
  const page = browser.page;
  try {
    await page.setViewportSize({ width: 1440, height: 1080 });
    // An earlier conversation, so the thread list has some history; then the server restarts
    // (the page reconnects by itself) and the demo thread is started.
    await openClient(page, serve);
    await newThread(page);
    await sendMessage(page, 'Hello! What can you do?');
    await waitTurnsDone(page, 1);
    const { codexHome, cwd, port } = serve;
    await serve.stop();
    serve = await Serve.start({ codexHome, cwd, port });
    await waitConnected(page);

    await newThread(page);
    await sendMessage(page, 'Please run a command to see what is in this folder');
    await page.click(`${testId('approval')} ${testId('approve-accept')}`);
    await page.waitForSelector(`${testId('command')}[data-status="completed"] ${testId('command-output')}`);
    await waitTurnsDone(page, 1);
    await page.check(testId('plan-mode'));
    await sendMessage(page, 'What would you suggest next?');
    await page.waitForSelector(testId('plan'));
    await waitTurnsDone(page, 2);
    await page.locator(testId('thread-item')).nth(1).waitFor();
    await page.waitForSelector(testId('thread-list-loading'), { state: 'detached' });
    // The reasoning summaries are folded to leave room for the rest.
    await page.$$eval('[data-testid="reasoning"]', (blocks) => blocks.forEach((block) => block.removeAttribute('open')));
    await page.locator(testId('composer-input')).blur();
    await page.evaluate(() => {
      const transcript = (globalThis as unknown as { document: { querySelector(s: string): { scrollTop: number; scrollHeight: number } } }).document.querySelector(
        '[data-testid="transcript"]',
      );
      transcript.scrollTop = transcript.scrollHeight;
    });
    mkdirSync(dirname(out), { recursive: true });
    await page.screenshot({ path: out });
    process.stdout.write(`saved ${out}\n`);
  } finally {
    await browser.close();
    await serve.dispose();
  }
};

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error)?.stack ?? String(error)}\n`);
  process.exit(1);
});
