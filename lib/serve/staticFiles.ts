import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { extname, isAbsolute, join, relative, sep } from 'node:path';

// The plain-HTTP side of `rxagent serve`: the browser client's static files, from one folder.

/** Content types by file extension; anything else is `application/octet-stream`. */
export const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.htm': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.cjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.wasm': 'application/wasm',
};

/**
 * The content type served for a file name.
 *
 * @example
 * contentTypeOf('app.js'); // 'text/javascript; charset=utf-8'
 */
export const contentTypeOf = (name: string): string => CONTENT_TYPES[extname(name).toLowerCase()] ?? 'application/octet-stream';

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** The page served at `/` when the client has not been built (no `index.html` in the web root). */
export const notBuiltPage = (root: string, host: string | undefined): string => `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>rxagent serve</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 3rem auto; line-height: 1.5">
<h1>rxagent serve</h1>
<p>The browser client was not built: there is no <code>index.html</code> in <code>${escapeHtml(root)}</code>.
Run <code>npm run build</code> (it builds the client into <code>dist/web/</code>), then reload this page.</p>
<p>The app-server is running: a websocket client can connect to <code>ws://${escapeHtml(host ?? '127.0.0.1')}/</code>.</p>
</body>
</html>
`;

const COMMON_HEADERS = { 'Cache-Control': 'no-cache', 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'no-referrer' } as const;

const sendText = (req: IncomingMessage, res: ServerResponse, status: number, type: string, body: string, headers: Record<string, string> = {}): void => {
  const bytes = Buffer.from(body, 'utf8');
  res.writeHead(status, { ...COMMON_HEADERS, 'Content-Type': type, 'Content-Length': String(bytes.length), ...headers });
  res.end(req.method === 'HEAD' ? undefined : bytes);
};

const notFound = (req: IncomingMessage, res: ServerResponse): void => sendText(req, res, 404, 'text/plain; charset=utf-8', 'Not found\n');

const inside = (root: string, path: string): boolean => {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
};

/** A regular file at `path` whose real location is inside `realRoot`, or undefined. */
const fileAt = async (realRoot: string, path: string): Promise<{ path: string; size: number } | undefined> => {
  try {
    let real = await realpath(path);
    if (!inside(realRoot, real)) return undefined;
    let info = await stat(real);
    if (info.isDirectory()) {
      real = await realpath(join(real, 'index.html'));
      if (!inside(realRoot, real)) return undefined;
      info = await stat(real);
    }
    return info.isFile() ? { path: real, size: info.size } : undefined;
  } catch {
    return undefined;
  }
};

/**
 * Serves the files of `root` over HTTP: `GET`/`HEAD` only (else 405); `/` is `index.html` (a
 * folder path its `index.html`); other paths are files by path with the content type of their
 * extension. Paths with `..` or hidden (`.`-prefixed) segments, NUL bytes, or leading outside
 * the folder (also through symlinks) get 404, as does anything missing. Without
 * `root/index.html`, `/` answers a short page saying the client was not built.
 *
 * @example
 * const listener = await listenWebSocket({ port: 4500, requestHandler: staticFiles('dist/web') });
 */
export const staticFiles = (root: string): RequestListener => {
  let realRoot: Promise<string | undefined> | undefined;
  const rootReal = (): Promise<string | undefined> => (realRoot ??= realpath(root).catch(() => undefined)).then((r) => {
    // Look again next time while the folder is missing (the client may be built meanwhile).
    if (r === undefined) realRoot = undefined;
    return r;
  });

  const serve = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendText(req, res, 405, 'text/plain; charset=utf-8', 'Method not allowed\n', { Allow: 'GET, HEAD' });
      return;
    }
    let pathname: string;
    try {
      pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
    } catch {
      sendText(req, res, 400, 'text/plain; charset=utf-8', 'Bad request\n');
      return;
    }
    const segments = pathname.split('/').filter((s) => s !== '');
    if (pathname.includes('\0') || segments.some((s) => s.startsWith('.') || s.includes('\\'))) {
      notFound(req, res);
      return;
    }
    const isIndex = segments.length === 0 || (segments.length === 1 && segments[0] === 'index.html');
    const real = await rootReal();
    const file = real === undefined ? undefined : await fileAt(real, join(real, ...segments));
    if (!file) {
      if (isIndex) sendText(req, res, 200, 'text/html; charset=utf-8', notBuiltPage(root, req.headers.host));
      else notFound(req, res);
      return;
    }
    res.writeHead(200, { ...COMMON_HEADERS, 'Content-Type': contentTypeOf(file.path), 'Content-Length': String(file.size) });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    const stream = createReadStream(file.path);
    stream.on('error', () => res.destroy());
    stream.pipe(res);
  };

  return (req, res) => {
    serve(req, res).catch(() => {
      if (!res.headersSent) sendText(req, res, 500, 'text/plain; charset=utf-8', 'Internal server error\n');
      else res.destroy();
    });
  };
};
