// The console on the local stack: serving console/dist as static files, and building it when it is missing or stale.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { extname, isAbsolute, join, normalize, relative, sep } from 'node:path';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
};

/** The file a request path names inside `directory`, or undefined for a path that leaves it or names no file. */
function fileIn(directory: string, pathname: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0')) return undefined;
  const candidate = normalize(join(directory, decoded));
  const inside = relative(directory, candidate);
  if (inside === '..' || inside.startsWith(`..${sep}`) || isAbsolute(inside)) return undefined;
  try {
    return statSync(candidate).isFile() ? candidate : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Answers a GET or HEAD for the console: the file when there is one; index.html for any other path, so client-side
 * routes such as /personalities/new load the app; a 404 for a missing hashed asset, which no route can be.
 */
export async function serveConsoleFile(
  directory: string,
  pathname: string,
  method: string,
  response: ServerResponse,
): Promise<number> {
  const index = join(directory, 'index.html');
  if (!existsSync(index)) {
    response.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' });
    response.end('The console is not built yet: run `npm run build` (npm start builds it for you).\n');
    return 503;
  }
  const file = pathname === '/' ? index : fileIn(directory, pathname);
  if (!file && pathname.startsWith('/assets/')) {
    response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
    response.end('Not Found\n');
    return 404;
  }
  const served = file ?? index;
  const body = await readFile(served);
  response.writeHead(200, {
    'content-type': CONTENT_TYPES[extname(served).toLowerCase()] ?? 'application/octet-stream',
    'content-length': String(body.length),
    // Vite names assets by their content hash; index.html must be fetched again to learn new names.
    'cache-control': served.includes(`${sep}assets${sep}`)
      ? 'public, max-age=31536000, immutable'
      : 'no-cache',
    'x-content-type-options': 'nosniff',
  });
  response.end(method === 'HEAD' ? undefined : body);
  return 200;
}

/** Newest modification time of the files under `path` (a file or a folder), skipping node_modules. */
function newest(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let latest = stat.mtimeMs;
  for (const entry of readdirSync(path)) {
    if (entry === 'node_modules') continue;
    latest = Math.max(latest, newest(join(path, entry)));
  }
  return latest;
}

/** What the console's build reads: its sources, and the personality modules the editor's preview bundles. */
const SOURCES = [
  'console/src',
  'console/index.html',
  'console/vite.config.ts',
  'functions/personalities',
  'functions/providers/tts',
];

/** Why console/dist must be built again, or undefined when it is up to date. */
export function consoleBuildReason(root: string): string | undefined {
  const built = join(root, 'console', 'dist', 'index.html');
  if (!existsSync(built)) return 'console/dist is missing';
  const builtAt = statSync(built).mtimeMs;
  const changed = SOURCES.find((source) => newest(join(root, source)) > builtAt);
  return changed ? `${changed} changed since the last build` : undefined;
}

/** Runs `npm run build` in the repository; resolves with its output, rejects with it when the build fails. */
export function buildConsole(root: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', ['run', 'build', '--silent'], {
      cwd: root,
      env: { ...process.env, FORCE_COLOR: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve(output) : reject(new Error(`npm run build failed (exit ${code}):\n${output}`)),
    );
  });
}
