/**
 * A tiny static server for the webview tests: serves the built bundles from dist/ and in-memory pages,
 * on 127.0.0.1 with a random port. Pages are served over http (not file://) so the CSP, fetches and
 * module loading behave as in a webview.
 */
import { createServer, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';

export const REPO_ROOT = resolve(__dirname, '../../..');

const TYPES: Record<string, string> = {
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.map': 'application/json',
  '.html': 'text/html; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.ttf': 'font/ttf',
  '.woff2': 'font/woff2',
};

export interface StaticServer {
  readonly origin: string;
  /** Serve `html` at `path` (e.g. `/designer.html`). */
  setPage(path: string, html: string): void;
  close(): Promise<void>;
}

export async function startServer(): Promise<StaticServer> {
  const pages = new Map<string, string>();
  const server: Server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      if (url.pathname === '/favicon.ico') {
        res.writeHead(204).end();
        return;
      }
      const page = pages.get(url.pathname);
      if (page !== undefined) {
        res.writeHead(200, { 'content-type': TYPES['.html']!, 'cache-control': 'no-store' });
        res.end(page);
        return;
      }
      // Only dist/ and media/ are served: the page must not depend on sources.
      const rel = normalize(decodeURIComponent(url.pathname)).replace(/^[/\\]+/, '');
      if (!/^(dist|media)[/\\]/.test(rel)) {
        res.writeHead(404).end();
        return;
      }
      try {
        const body = await readFile(join(REPO_ROOT, rel));
        res.writeHead(200, { 'content-type': TYPES[extname(rel)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
        res.end(body);
      } catch {
        res.writeHead(404).end();
      }
    })();
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('test server has no port');
  return {
    origin: `http://127.0.0.1:${address.port}`,
    setPage: (path, html) => pages.set(path, html),
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}
