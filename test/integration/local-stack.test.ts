// `npm start` and `npm run token` as a newcomer runs them: the printed token works, data outlives a restart,
// Ctrl-C stops cleanly, and a busy port or a missing Java runtime is explained.
import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parseBuffer } from 'music-metadata';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../local/ports.ts';
import { REPOSITORY_ROOT } from '../../local/stack.ts';

const execFileAsync = promisify(execFile);

interface Started {
  child: ChildProcess;
  output: () => string;
  url: string;
  token: string;
}

/**
 * A newcomer's shell: no provider keys and none of the settings the test run's own stack exported into this
 * process, only what finds programs and a home.
 */
function newcomerEnvironment(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const kept: NodeJS.ProcessEnv = {};
  for (const name of ['PATH', 'HOME', 'USER', 'LANG', 'TERM', 'JAVA_HOME', 'TMPDIR']) {
    if (process.env[name] !== undefined) kept[name] = process.env[name];
  }
  return { ...kept, ...extra };
}

const nodeArgs = (script: string, args: string[]) => [
  '--import',
  'tsx',
  join(REPOSITORY_ROOT, script),
  ...args,
];

function start(args: string[], env: NodeJS.ProcessEnv = newcomerEnvironment()): Promise<Started> {
  const child = spawn(process.execPath, nodeArgs('bin/local.ts', args), { cwd: REPOSITORY_ROOT, env });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no start within 60 s:\n${output}`)), 60_000);
    const check = () => {
      const url = /is running at (http:\/\/\S+)/.exec(output)?.[1];
      const token = /^export TOKEN=(\S+)$/m.exec(output)?.[1];
      if (url && token) {
        clearTimeout(timer);
        resolve({ child, output: () => output, url, token });
      }
    };
    child.stdout?.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(Object.assign(new Error(`exited with ${code}:\n${output}`), { output, code }));
    });
  });
}

function stop(started: Started, signal: NodeJS.Signals = 'SIGINT'): Promise<number | null> {
  return new Promise((resolve) => {
    if (started.child.exitCode !== null) return resolve(started.child.exitCode);
    started.child.once('exit', (code) => resolve(code));
    started.child.kill(signal);
  });
}

async function get(url: string, token?: string) {
  const response = await fetch(url, token ? { headers: { authorization: `Bearer ${token}` } } : {});
  return { status: response.status, body: (await response.json()) as any };
}

// Each start is a cold start of Java, s3rver and the gateway in a child process: slower than a test's usual budget.
describe('npm start', { timeout: 180_000 }, () => {
  let dataDirectory: string;
  let port: number;
  const running: Started[] = [];

  beforeAll(async () => {
    dataDirectory = mkdtempSync(join(tmpdir(), 'voice-start-'));
    port = await freePort();
  });

  afterAll(async () => {
    for (const started of running) await stop(started, 'SIGKILL');
    rmSync(dataDirectory, { recursive: true, force: true });
  });

  it('serves health and the built-ins with the printed token, keeps data across a restart, stops on Ctrl-C', async () => {
    const first = await start(['--port', String(port), '--data', dataDirectory, '--quiet']);
    running.push(first);

    expect(first.url).toBe(`http://127.0.0.1:${port}`);
    expect((await get(`${first.url}/api/health`)).status).toBe(200);
    const listed = await get(`${first.url}/api/admin/ai-personalities`, first.token);
    expect(listed.status).toBe(200);
    expect(listed.body.personalities.map((p: { name: string }) => p.name)).toEqual([
      'Marcel',
      'Shanté',
      'Zac',
    ]);
    const created = await fetch(`${first.url}/api/admin/ai-personalities`, {
      method: 'POST',
      headers: { authorization: `Bearer ${first.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Survivor' }),
    }).then((response) => response.json() as Promise<{ id: string }>);

    // A second stack on the same port is refused with a message saying what to do.
    const clash = spawnSync(
      process.execPath,
      nodeArgs('bin/local.ts', ['--port', String(port), '--memory', '--data', dataDirectory]),
      {
        cwd: REPOSITORY_ROOT,
        encoding: 'utf8',
        timeout: 30_000,
      },
    );
    expect(clash.status).toBe(1);
    expect(clash.stderr).toContain(`Port ${port} is already in use`);
    expect(clash.stderr).toContain(`PORT=${port + 1} npm start`);

    expect(await stop(first)).toBe(0);
    expect(first.output()).toContain('Stopped.');
    await expect(fetch(`${first.url}/api/health`)).rejects.toThrow();

    const second = await start(['--port', String(port), '--data', dataDirectory, '--quiet']);
    running.push(second);
    const again = await get(`${second.url}/api/admin/ai-personalities/${created.id}`, second.token);
    expect(again.status).toBe(200);
    expect(again.body.name).toBe('Survivor');
    // The first start's token stays valid: the issuer key lives with the data.
    expect((await get(`${second.url}/api/admin/ai-personalities`, first.token)).status).toBe(200);

    // `npm run token` mints for any tenant and role against the same issuer. Run without blocking: a blocked event
    // loop misses the gateway closing an idle keep-alive connection, and the next request would be sent into it.
    const minted = await execFileAsync(
      process.execPath,
      nodeArgs('bin/token.ts', ['--tenant', 'acme', '--role', 'member', '--data', dataDirectory]),
      { cwd: REPOSITORY_ROOT, encoding: 'utf8' },
    );
    const memberToken = minted.stdout.trim();
    expect((await get(`${second.url}/api/admin/ai-personalities`, memberToken)).status).toBe(403);
    expect((await get(`${second.url}/api/personalities`, memberToken)).status).toBe(200);

    expect(await stop(second, 'SIGTERM')).toBe(0);
  });

  it('runs the README walkthrough as written', async () => {
    const readme = readFileSync(join(REPOSITORY_ROOT, 'README.md'), 'utf8');
    const block = /<!-- walkthrough:start -->\s*```sh\n([\s\S]*?)```\s*<!-- walkthrough:end -->/.exec(
      readme,
    )?.[1];
    expect(block).toContain('API=http://localhost:3000');
    const walkthroughData = mkdtempSync(join(tmpdir(), 'voice-walkthrough-'));
    const scratch = mkdtempSync(join(tmpdir(), 'voice-walkthrough-files-'));
    // No provider keys at all: the stack speaks with its offline voice, as it does for a newcomer.
    const env = newcomerEnvironment({ LOCAL_DATA_DIR: walkthroughData, TMPDIR: scratch });
    const stack = await start(['--port', '0', '--quiet'], env);
    running.push(stack);

    // Only the address changes: the stack listens on a free port instead of 3000.
    const script = block!.replace('API=http://localhost:3000', `API=${stack.url}`);
    const result = spawnSync('bash', ['-e', '-c', script], {
      cwd: REPOSITORY_ROOT,
      env,
      encoding: 'utf8',
      timeout: 60_000,
    });

    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    for (const expected of [
      '"status":"ok"',
      '"openapi":"3.1.0"',
      '"name":"Marcel"',
      'created nova-',
      'etag: "1"',
      '"version":2',
      'version_conflict',
      'traits.humor_style',
      '"based_on":"marcel"',
      'builtin_personality',
      '"code":"forbidden"',
      'personality_not_found',
      '"provider":"local"',
      '"fell_back":true',
      '"cached":true',
      '"model_provider":"offline"',
      '"spoke":true',
      '"api_key":"vap_',
      '"group_by":"provider"',
      '"cached_share"',
      'is on the free plan',
      '"reason":"plan_no_voice"',
      'is on the professional plan',
      'event: text',
      'event: audio',
      'event: done',
      '204',
    ]) {
      expect(result.stdout.toLowerCase(), expected).toContain(expected.toLowerCase());
    }
    const speech = await parseBuffer(
      readFileSync(join(scratch, 'shante.mp3')),
      { mimeType: 'audio/mpeg' },
      { duration: true },
    );
    expect(speech.format.duration).toBeGreaterThan(2);
    await stop(stack);
    rmSync(walkthroughData, { recursive: true, force: true });
    rmSync(scratch, { recursive: true, force: true });
  });

  it('names the Java runtime to install when none is found', () => {
    // Node is started by its absolute path, so an empty PATH hides only java.
    const emptyPath = mkdtempSync(join(tmpdir(), 'voice-no-java-'));
    const env = newcomerEnvironment({ JAVA_HOME: '/nonexistent', PATH: emptyPath });

    const result = spawnSync(
      process.execPath,
      nodeArgs('bin/local.ts', ['--port', '0', '--memory', '--data', dataDirectory]),
      {
        cwd: REPOSITORY_ROOT,
        env,
        encoding: 'utf8',
        timeout: 30_000,
      },
    );

    expect(result.status).toBe(1);
    expect(result.stderr).toContain('DynamoDB Local needs a Java runtime');
    expect(result.stderr).toContain('default-jre-headless');
  });

  it('refuses a bad token request with the usage', () => {
    const result = spawnSync(
      process.execPath,
      nodeArgs('bin/token.ts', ['--tenant', 'Not A Tenant', '--data', dataDirectory]),
      {
        cwd: REPOSITORY_ROOT,
        encoding: 'utf8',
      },
    );

    expect(result.status).toBe(1);
    expect(result.stderr).toContain('Invalid tenant id');
  });
});
