import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

// Callbacks given to page.evaluate / waitForFunction run in the page. This project compiles
// without the DOM library, so the browser globals they use are declared loosely here.
declare const document: any;
declare const location: any;
declare const window: any;

// Drives the browser client against a real `rxagent serve`: Debian's chromium through
// playwright-core, the server with a private CODEX_HOME, a private project folder as its cwd and
// no credentials, so its model is the offline `replay` demo.

/** The bundled CLI (dist/bundle/cli.js), seen from dist/spec/browser/. */
const CLI = fileURLToPath(new URL('../../bundle/cli.js', import.meta.url));
/** Where failure screenshots and server logs go (gitignored). */
export const ARTIFACTS = fileURLToPath(new URL('../../../spec-artifacts/browser/', import.meta.url));

export const CHROMIUM = process.env.RXAGENT_CHROMIUM ?? '/usr/bin/chromium';

/**
 * Whether the browser specs can run. Without chromium they are skipped with a message, except on
 * CI (`CI=true`), where a missing browser is a failure.
 */
export const browserAvailable = (): boolean => {
  if (existsSync(CHROMIUM)) return true;
  if (process.env.CI === 'true') throw new Error(`${CHROMIUM} is missing: CI must run the browser specs (apt-get install chromium)`);
  return false;
};

export const SKIP_MESSAGE = `browser specs skipped: ${CHROMIUM} not found (apt-get install chromium; on CI they run)`;

/** A running `rxagent serve`. */
export class Serve {
  private stderrText = '';
  private stdoutText = '';
  readonly exited: Promise<void>;

  private constructor(
    readonly child: ChildProcessWithoutNullStreams,
    readonly codexHome: string,
    readonly cwd: string,
  ) {
    child.stderr.setEncoding('utf8');
    child.stdout.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => (this.stderrText += chunk));
    child.stdout.on('data', (chunk: string) => (this.stdoutText += chunk));
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
  }

  /**
   * Starts `rxagent serve --listen ws://127.0.0.1:<port>` (0: any free port) and waits for its
   * `listening on: ws://…` line. The environment holds no credentials: only PATH, HOME and
   * CODEX_HOME (both the private home).
   */
  static async start(options: { codexHome?: string; cwd?: string; port?: number } = {}): Promise<Serve> {
    const codexHome = options.codexHome ?? mkdtempSync(join(tmpdir(), 'rxagent-browser-home-'));
    const cwd = options.cwd ?? realpathSync(mkdtempSync(join(tmpdir(), 'rxagent-browser-project-')));
    const child = spawn(process.execPath, [CLI, 'serve', '--listen', `ws://127.0.0.1:${options.port ?? 0}`], {
      cwd,
      env: { PATH: process.env.PATH, HOME: codexHome, CODEX_HOME: codexHome, RXAGENT_LOG: 'info' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const serve = new Serve(child, codexHome, cwd);
    await serve.listening();
    return serve;
  }

  private port_ = 0;

  get port(): number {
    return this.port_;
  }

  /** The page the browser opens. */
  get url(): string {
    return `http://127.0.0.1:${this.port_}/`;
  }

  get log(): string {
    return `--- stdout\n${this.stdoutText}\n--- stderr\n${this.stderrText}`;
  }

  private async listening(): Promise<void> {
    const pattern = /listening on: ws:\/\/[^\s:]+:(\d+)/;
    for (;;) {
      const match = pattern.exec(this.stderrText);
      if (match) {
        this.port_ = Number(match[1]);
        return;
      }
      await new Promise<void>((resolve, reject) => {
        const onData = (): void => {
          this.child.off('exit', onExit);
          resolve();
        };
        const onExit = (): void => reject(new Error(`rxagent serve exited before listening:\n${this.log}`));
        this.child.stderr.once('data', onData);
        this.child.once('exit', onExit);
      });
    }
  }

  /** SIGTERM, then SIGKILL after 3 s; resolves once the process is gone. */
  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      this.child.kill('SIGTERM');
      const kill = setTimeout(() => this.child.kill('SIGKILL'), 3000);
      await this.exited;
      clearTimeout(kill);
    }
  }

  /** Stops the server and removes its home and project folders. */
  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.codexHome, { recursive: true, force: true });
    rmSync(this.cwd, { recursive: true, force: true });
  }
}

/** A headless chromium with a fresh profile, and one page in it. */
export class Browser {
  private constructor(
    readonly context: BrowserContext,
    readonly page: Page,
    private readonly profile: string,
    readonly consoleLines: string[],
  ) {}

  static async launch(): Promise<Browser> {
    const profile = mkdtempSync(join(tmpdir(), 'rxagent-chromium-'));
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
      viewport: { width: 1366, height: 900 },
      locale: 'en-US',
      timezoneId: 'UTC',
    });
    const page = context.pages()[0] ?? (await context.newPage());
    // Playwright's waits fail before mocha's timeout, with a message that says what was awaited.
    page.setDefaultTimeout(15_000);
    const consoleLines: string[] = [];
    page.on('console', (message) => consoleLines.push(`${message.type()}: ${message.text()}`));
    page.on('pageerror', (error) => consoleLines.push(`pageerror: ${error.message}`));
    return new Browser(context, page, profile, consoleLines);
  }

  async close(): Promise<void> {
    await this.context.close();
    rmSync(this.profile, { recursive: true, force: true });
  }
}

/** Saves a screenshot, the page's console and the server's output under spec-artifacts/browser/. */
export const saveFailureArtifacts = async (title: string, browser: Browser | undefined, serve: Serve | undefined): Promise<void> => {
  mkdirSync(ARTIFACTS, { recursive: true });
  const slug = title.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '').slice(0, 100);
  if (browser) {
    await browser.page.screenshot({ path: join(ARTIFACTS, `${slug}.png`), fullPage: true }).catch(() => undefined);
    writeFileSync(join(ARTIFACTS, `${slug}.console.txt`), browser.consoleLines.join('\n'));
  }
  if (serve) writeFileSync(join(ARTIFACTS, `${slug}.server.txt`), serve.log);
};

// ---- page helpers -------------------------------------------------------------------------

export const testId = (id: string): string => `[data-testid="${id}"]`;

/** Opens the client and waits for the websocket session. */
export const openClient = async (page: Page, serve: Serve): Promise<void> => {
  await page.goto(serve.url);
  await waitConnected(page);
};

export const waitConnected = async (page: Page): Promise<void> => {
  await page.waitForSelector(`${testId('connection-status')}[data-state="ready"]`);
};

/** Clicks "New thread" and waits for an empty, usable composer. */
export const newThread = async (page: Page): Promise<void> => {
  const before: string | null = await page.evaluate(() => document.querySelector('[data-testid="thread-facts"]')?.textContent ?? null);
  await page.click(testId('new-thread'));
  await page.waitForFunction(
    (previous) => {
      const facts = document.querySelector('[data-testid="thread-facts"]');
      const input = document.querySelector('[data-testid="composer-input"]');
      return facts !== null && facts.textContent !== previous && input !== null && !input.disabled;
    },
    before,
  );
};

/** The turns shown, as `[{status, text}]`. */
export const turns = (page: Page): Promise<Array<{ status: string; text: string }>> =>
  page.$$eval('[data-testid="turn"]', (elements) => elements.map((e) => ({ status: e.getAttribute('data-status') ?? '', text: e.textContent ?? '' })));

/** Waits until `count` turns are shown and all of them have finished. */
export const waitTurnsDone = async (page: Page, count: number): Promise<void> => {
  await page.waitForFunction((n) => {
    const shown = [...document.querySelectorAll('[data-testid="turn"]')] as Array<{ dataset: Record<string, string> }>;
    return shown.length === n && shown.every((turn) => turn.dataset.status !== 'inProgress');
  }, count);
};

/** Types `text` in the composer and sends it with Enter (the keyboard path). */
export const sendMessage = async (page: Page, text: string): Promise<void> => {
  const input = page.locator(testId('composer-input'));
  await input.fill(text);
  await input.press('Enter');
};

/** The id the open thread has in the URL (`#thread=<id>`). */
export const openThreadId = async (page: Page): Promise<string> => {
  await page.waitForFunction(() => location.hash.startsWith('#thread='));
  return page.evaluate(() => decodeURIComponent(location.hash.slice('#thread='.length)));
};

/** Writes `count` listable rollouts (a meta line and a first user message) into `codexHome`. */
export const seedThreads = (codexHome: string, count: number, baseSeconds: number): Array<{ id: string; preview: string; path: string }> => {
  const seeded: Array<{ id: string; preview: string; path: string }> = [];
  for (let i = 0; i < count; i++) {
    const seconds = baseSeconds + i * 60;
    const iso = new Date(seconds * 1000).toISOString();
    const stamp = iso.slice(0, 19).replaceAll(':', '-');
    const id = `01a20f8b-0000-7000-8000-${String(i + 1).padStart(12, '0')}`;
    const dir = join(codexHome, 'sessions', stamp.slice(0, 4), stamp.slice(5, 7), stamp.slice(8, 10));
    mkdirSync(dir, { recursive: true });
    const preview = `Seeded thread ${String(i + 1).padStart(2, '0')}`;
    const lines = [
      { timestamp: iso, type: 'session_meta', payload: { id, timestamp: iso, cwd: '/tmp', originator: 'spec', cli_version: '0.101.0', source: 'vscode', model_provider: 'replay' } },
      { timestamp: iso, type: 'response_item', payload: { type: 'message', role: 'user', content: [{ type: 'input_text', text: preview }] } },
      { timestamp: iso, type: 'event_msg', payload: { type: 'user_message', message: preview, images: [] } },
    ];
    const path = join(dir, `rollout-${stamp}-${id}.jsonl`);
    writeFileSync(path, lines.map((line) => JSON.stringify(line)).join('\n') + '\n');
    seeded.push({ id, preview, path });
  }
  return seeded;
};
