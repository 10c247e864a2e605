// Entry point: connects to the app-server on the page's own host and mounts the views.

import { distinctUntilChanged, map, take } from 'rxjs';
import { App, REPLAY_PROVIDER } from './app.js';
import { mountRequests, PendingRequests } from './approvals.js';
import { mountComposer } from './composer.js';
import { h, replaceChildren } from './dom.js';
import { RpcClient, type ConnectionState } from './rpc.js';
import { mountThreadHeader } from './threadActions.js';
import { mountThreadList } from './threadList.js';
import { TranscriptView } from './threadView.js';

const byId = (id: string): HTMLElement => {
  const element = document.getElementById(id);
  if (!element) throw new Error(`index.html lacks #${id}`);
  return element;
};

const byTestId = (id: string): HTMLElement => {
  const element = document.querySelector<HTMLElement>(`[data-testid="${id}"]`);
  if (!element) throw new Error(`index.html lacks [data-testid=${id}]`);
  return element;
};

const connectionText = (c: ConnectionState): string => {
  switch (c.state) {
    case 'ready':
      return 'connected';
    case 'connecting':
      return c.attempt === 0 ? 'connecting…' : `reconnecting (attempt ${c.attempt})…`;
    case 'reconnecting':
      return `disconnected — retrying in ${(c.inMs / 1000).toFixed(1)} s`;
  }
};

const HASH_PREFIX = '#thread=';

function main(): void {
  const protocol = location.protocol === 'https:' ? 'wss' : 'ws';
  const rpc = new RpcClient({ url: `${protocol}://${location.host}` });
  const app = new App(rpc);
  const pending = new PendingRequests(rpc);
  const connected$ = rpc.connection$.pipe(
    map((c) => c.state === 'ready'),
    distinctUntilChanged(),
  );

  // Header: connection and the offline-model notice.
  const status = byTestId('connection-status');
  rpc.connection$.subscribe((c) => {
    status.textContent = connectionText(c);
    status.dataset.state = c.state;
  });
  const offline = byTestId('offline-banner');
  app.state$.subscribe(() => {
    offline.hidden = app.provider !== REPLAY_PROVIDER;
  });

  // Error toast.
  const toast = byTestId('error-toast');
  let toastTimer: ReturnType<typeof setTimeout> | undefined;
  toast.addEventListener('click', () => (toast.hidden = true));
  app.errors$.subscribe((message) => {
    toast.textContent = message;
    toast.hidden = false;
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => (toast.hidden = true), 8000);
  });

  mountThreadList(byId('thread-list'), rpc, app);

  // The thread pane: header, transcript, pending requests, composer.
  const header = h('header', { class: 'thread-header', 'data-testid': 'thread-header' });
  const transcript = h('section', { class: 'transcript', 'data-testid': 'transcript', 'aria-label': 'Transcript', tabindex: 0 });
  const requests = h('section', { class: 'requests', 'data-testid': 'pending-requests', 'aria-label': 'Waiting for you', 'aria-live': 'assertive', hidden: true });
  const composer = h('div', { class: 'composer-slot' });
  replaceChildren(byId('thread-view'), header, transcript, requests, composer);

  mountThreadHeader(header, app);
  const transcriptView = new TranscriptView(transcript);
  app.state$
    .pipe(
      map((s) => s.open),
      distinctUntilChanged(),
    )
    .subscribe((open) => {
      if (!open) transcriptView.render(null, 'Start a new thread, or open one from the list.');
      else if (open.view) transcriptView.render(open.view);
      else transcriptView.render(null, open.archived ? 'This thread is archived. Unarchive it to read and continue it.' : 'Loading…');
    });
  mountRequests(requests, {
    pending,
    openThreadId$: app.state$.pipe(
      map((s) => s.open?.thread.id ?? null),
      distinctUntilChanged(),
    ),
    findItem: (itemId) => {
      for (const turn of app.state.open?.view?.turns ?? []) {
        const item = turn.items.find((i) => i.id === itemId);
        if (item) return item;
      }
      return undefined;
    },
    openThread: (threadId) => void app.openThreadById(threadId),
  });
  mountComposer(composer, app, connected$);

  // The open thread lives in the URL, so a reload comes back to it.
  const initial = location.hash.startsWith(HASH_PREFIX) ? decodeURIComponent(location.hash.slice(HASH_PREFIX.length)) : null;
  if (initial) rpc.ready$.pipe(take(1)).subscribe(() => void app.openThreadById(initial));
  app.state$
    .pipe(
      map((s) => s.open?.thread.id ?? null),
      distinctUntilChanged(),
    )
    .subscribe((id) => {
      const hash = id ? `${HASH_PREFIX}${id}` : '';
      if (location.hash !== hash) history.replaceState(null, '', hash || location.pathname + location.search);
    });

  rpc.start();
  // For tests and debugging in the console.
  (window as unknown as { rxagent: unknown }).rxagent = { rpc, app, pending };
}

main();
