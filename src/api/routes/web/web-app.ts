// The web UI's files (web/, built by Vite into dist/web by `npm run build`): its shell page and
// its hashed assets. The build's few files are read into memory once, with their gzip and brotli
// forms, and answered from that map by name — no path from a request ever reaches the file
// system. GET /assets/:file is public (code and styles, no data); the shell is served by the
// sign-in routes (sign-in.ts) to a signed-in browser only.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { GatelogError } from '../../../errors.js';

interface Asset {
  type: string;
  body: Buffer;
  gzip: Buffer | null;
  br: Buffer | null;
  etag: string;
}

const TYPES: Readonly<Record<string, string>> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json; charset=utf-8',
};

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The built web UI, ready to answer. */
export interface WebApp {
  /** The shell page for a signed-in caller (their name in a meta tag the app shows). */
  shell(callerName: string): string;
}

/**
 * Where `npm run build` puts the web UI: dist/web beside the compiled server (dist/api/routes/web →
 * dist/web), or, when the server runs from the sources (tests), the repository's dist/web.
 */
export function defaultWebRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, 'package.json'))) return join(dir, 'dist', 'web');
    dir = dirname(dir);
  }
  return join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'web');
}

/** Reads the built UI; null when it has not been built (the sign-in page says how to build it). */
export function loadWebApp(root: string): { app: WebApp; assets: Map<string, Asset> } | null {
  const indexPath = join(root, 'index.html');
  if (!existsSync(indexPath)) return null;
  const index = readFileSync(indexPath, 'utf8');
  const assets = new Map<string, Asset>();
  const assetDir = join(root, 'assets');
  if (existsSync(assetDir)) {
    for (const name of readdirSync(assetDir)) {
      const path = join(assetDir, name);
      if (!statSync(path).isFile()) continue;
      const ext = name.slice(name.lastIndexOf('.'));
      const type = TYPES[ext];
      if (!type) continue;
      const body = readFileSync(path);
      const text = type.startsWith('text/') || type.startsWith('image/svg') || type.startsWith('application/json');
      assets.set(name, {
        type,
        body,
        gzip: text ? gzipSync(body, { level: 9 }) : null,
        br: text ? brotliCompressSync(body) : null,
        // Vite names assets by their content hash, so the name is a strong validator.
        etag: `"${name}"`,
      });
    }
  }
  const marker = '<div id="root"></div>';
  if (!index.includes(marker)) throw new Error(`the web UI's ${indexPath} has no ${marker}`);
  const app: WebApp = {
    shell(callerName) {
      // No script is inlined (the Content-Security-Policy allows none): the name travels in a meta
      // tag, and the noscript text says who is signed in when scripts are off.
      const head = `<meta name="gatelog-caller" content="${escapeHtml(callerName)}">\n`;
      const body = `<div id="root"></div>\n<noscript><p>Signed in as ${escapeHtml(callerName)}. The web UI needs JavaScript; the API is described in <a href="/openapi.json">/openapi.json</a>.</p></noscript>`;
      return index.replace('</head>', `${head}</head>`).replace(marker, body);
    },
  };
  return { app, assets };
}

function accepts(request: FastifyRequest, encoding: string): boolean {
  const h = request.headers['accept-encoding'];
  return typeof h === 'string' && h.split(',').some((p) => p.trim().split(';')[0] === encoding);
}

/** GET /assets/:file — the UI's hashed scripts and styles, cached for a year. */
export function registerWebAssets(app: FastifyInstance, assets: ReadonlyMap<string, Asset> | null): void {
  app.get('/assets/:file', async (request: FastifyRequest, reply: FastifyReply) => {
    const { file } = request.params as { file: string };
    const asset = assets?.get(file);
    if (!asset) throw new GatelogError('Request_ResourceNotFound', `The web UI has no file '${file.slice(0, 200)}'${assets ? '' : ' (the web UI is not built: npm run build)'}.`);
    void reply.header('cache-control', 'public, max-age=31536000, immutable').header('etag', asset.etag).header('vary', 'accept-encoding').type(asset.type);
    if (request.headers['if-none-match'] === asset.etag) return reply.code(304).send();
    if (asset.br && accepts(request, 'br')) return reply.header('content-encoding', 'br').send(asset.br);
    if (asset.gzip && accepts(request, 'gzip')) return reply.header('content-encoding', 'gzip').send(asset.gzip);
    return reply.send(asset.body);
  });
}
