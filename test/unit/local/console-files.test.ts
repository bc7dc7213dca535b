// The local gateway's console serving: files with their types, index.html for client routes, nothing outside dist.
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleBuildReason, serveConsoleFile } from '../../../local/console.ts';

let root: string;
let dist: string;
let server: Server;
let base: string;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'console-files-'));
  dist = join(root, 'console', 'dist');
  mkdirSync(join(dist, 'assets'), { recursive: true });
  writeFileSync(join(dist, 'index.html'), '<!doctype html><title>console</title>');
  writeFileSync(join(dist, 'assets', 'index-abc123.js'), 'console.log(1)');
  writeFileSync(join(dist, 'assets', 'index-abc123.css'), 'body{}');
  writeFileSync(join(root, 'secret.txt'), 'not for the browser');
  server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    void serveConsoleFile(dist, url.pathname, request.method ?? 'GET', response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(root, { recursive: true, force: true });
});

const get = async (path: string, method = 'GET') => {
  const response = await fetch(`${base}${path}`, { method });
  return {
    status: response.status,
    type: response.headers.get('content-type'),
    cache: response.headers.get('cache-control'),
    body: await response.text(),
  };
};

describe('serveConsoleFile', () => {
  it('serves files with their content types, hashed assets as immutable', async () => {
    const script = await get('/assets/index-abc123.js');
    expect(script).toMatchObject({
      status: 200,
      type: 'text/javascript; charset=utf-8',
      body: 'console.log(1)',
    });
    expect(script.cache).toContain('immutable');
    expect((await get('/assets/index-abc123.css')).type).toBe('text/css; charset=utf-8');
    const index = await get('/');
    expect(index).toMatchObject({ status: 200, type: 'text/html; charset=utf-8', cache: 'no-cache' });
  });

  it('answers client routes with index.html, but a missing asset with 404', async () => {
    const route = await get('/personalities/marcel/voice');
    expect(route.status).toBe(200);
    expect(route.body).toContain('<title>console</title>');
    expect((await get('/assets/gone-123.js')).status).toBe(404);
  });

  it('never serves a file outside the build folder', async () => {
    for (const path of ['/../../secret.txt', '/%2e%2e/%2e%2e/secret.txt', '/..%2f..%2fsecret.txt']) {
      const answer = await get(path);
      expect(answer.body).not.toContain('not for the browser');
    }
  });

  it('answers HEAD without a body', async () => {
    const head = await get('/', 'HEAD');
    expect(head).toMatchObject({ status: 200, body: '' });
  });

  it('says how to build when nothing is built', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'console-empty-'));
    const local = createServer((request, response) => void serveConsoleFile(empty, '/', 'GET', response));
    await new Promise<void>((resolve) => local.listen(0, '127.0.0.1', resolve));
    const address = local.address();
    const response = await fetch(
      `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/`,
    );
    expect(response.status).toBe(503);
    expect(await response.text()).toContain('npm run build');
    await new Promise((resolve) => local.close(resolve));
    rmSync(empty, { recursive: true, force: true });
  });
});

describe('consoleBuildReason', () => {
  it('asks for a build when dist is missing, or older than a source file', () => {
    const repo = mkdtempSync(join(tmpdir(), 'console-stale-'));
    mkdirSync(join(repo, 'console', 'src'), { recursive: true });
    writeFileSync(join(repo, 'console', 'src', 'main.tsx'), 'export {};');
    expect(consoleBuildReason(repo)).toBe('console/dist is missing');

    mkdirSync(join(repo, 'console', 'dist'), { recursive: true });
    writeFileSync(join(repo, 'console', 'dist', 'index.html'), '');
    const past = new Date(Date.now() - 60_000);
    utimesSync(join(repo, 'console', 'src', 'main.tsx'), past, past);
    utimesSync(join(repo, 'console', 'src'), past, past);
    utimesSync(join(repo, 'console'), past, past);
    expect(consoleBuildReason(repo)).toBeUndefined();

    writeFileSync(join(repo, 'console', 'src', 'main.tsx'), 'export const changed = true;');
    expect(consoleBuildReason(repo)).toBe('console/src changed since the last build');
    rmSync(repo, { recursive: true, force: true });
  });
});
