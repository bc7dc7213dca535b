// Browser tests of the console: one `npm start` per test file on a throwaway data folder, driven by headless Chromium.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import axe from 'axe-core';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const ARTIFACTS = join(ROOT, 'test', 'e2e', 'artifacts');
/** Debian's chromium package; CHROMIUM_PATH names another build. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** DynamoDB Local is a JVM: on a busy two-core machine the stack can take a minute to come up. */
const START_TIMEOUT_MS = 150_000;
const VIEWPORT_HEIGHT = 900;

export interface RunningConsole {
  /** The console's origin, e.g. http://127.0.0.1:41234 (no trailing slash). */
  url: string;
  browser: Browser;
  /** A new page in its own browser context at the given width, already at the console's root. */
  page(width?: number): Promise<Page>;
  stop(): Promise<void>;
}

/** Starts `npm start` on a free port (`--port 0`: the stack picks one and prints it) and waits for its banner. */
function startStack(
  dataDirectory: string,
): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  return new Promise((resolveStart, reject) => {
    // Its own process group, so stopping it also stops DynamoDB Local and tsx beneath npm.
    const child = spawn('npm', ['start', '--', '--port', '0', '--data', dataDirectory, '--quiet'], {
      cwd: ROOT,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, FORCE_COLOR: '0', LOG_LEVEL: 'ERROR' },
    });
    let output = '';
    const timer = setTimeout(() => {
      killGroup(child, 'SIGKILL');
      reject(new Error(`npm start did not come up in ${START_TIMEOUT_MS / 1000} s:\n${output.slice(-4000)}`));
    }, START_TIMEOUT_MS);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const running = /is running at (http:\/\/[\w.:-]+)/.exec(output);
      if (running?.[1]) {
        clearTimeout(timer);
        resolveStart({ child, url: running[1], output: () => output });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`npm start exited (${code}) before it was ready:\n${output.slice(-4000)}`));
    });
  });
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals) {
  if (child.pid === undefined || child.exitCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

function stopStack(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((done) => {
    const force = setTimeout(() => killGroup(child, 'SIGKILL'), 15_000);
    child.once('exit', () => {
      clearTimeout(force);
      done();
    });
    killGroup(child, 'SIGTERM');
  });
}

export async function startConsole(): Promise<RunningConsole> {
  const dataDirectory = mkdtempSync(join(tmpdir(), 'voice-e2e-'));
  const stack = await startStack(dataDirectory).catch((error: unknown) => {
    rmSync(dataDirectory, { recursive: true, force: true });
    throw error;
  });
  let browser: Browser;
  try {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      // Containers run as root, where Chromium's sandbox cannot start.
      args: ['--no-sandbox', '--disable-dev-shm-usage'],
    });
  } catch (error) {
    await stopStack(stack.child);
    rmSync(dataDirectory, { recursive: true, force: true });
    throw error;
  }
  const contexts: BrowserContext[] = [];

  return {
    url: stack.url,
    browser,
    page: async (width = 1280) => {
      const context = await browser.newContext({ viewport: { width, height: VIEWPORT_HEIGHT } });
      contexts.push(context);
      const page = await context.newPage();
      page.setDefaultTimeout(20_000);
      page.on('pageerror', (error) => console.error(`[browser] ${error.message}`));
      await page.goto(stack.url);
      return page;
    },
    stop: async () => {
      for (const context of contexts) await context.close().catch(() => undefined);
      await browser.close().catch(() => undefined);
      await stopStack(stack.child);
      rmSync(dataDirectory, { recursive: true, force: true });
    },
  };
}

interface AxeViolation {
  id: string;
  impact?: string | null;
  help: string;
  nodes: Array<{ target: unknown[] }>;
}

/** Runs axe-core in the page; fails on any serious or critical violation, listing each with where it is. */
export async function checkAccessibility(page: Page, name: string): Promise<void> {
  await page.addScriptTag({ content: axe.source });
  const violations = await page.evaluate(async () => {
    const result = await (window as unknown as { axe: typeof axe }).axe.run(document, {
      resultTypes: ['violations'],
    });
    return result.violations.map(({ id, impact, help, nodes }) => ({
      id,
      impact,
      help,
      nodes: nodes.map((node) => ({ target: node.target as unknown[] })),
    }));
  });
  const blocking = (violations as AxeViolation[]).filter(
    (violation) => violation.impact === 'serious' || violation.impact === 'critical',
  );
  if (blocking.length > 0) {
    const list = blocking
      .map(
        (violation) =>
          `- [${violation.impact}] ${violation.id}: ${violation.help}\n    ${violation.nodes
            .slice(0, 5)
            .map((node) => JSON.stringify(node.target))
            .join('\n    ')}`,
      )
      .join('\n');
    throw new Error(`Accessibility violations on ${name}:\n${list}`);
  }
}

/** Writes test/e2e/artifacts/<name>.png of the whole page (the folder is git-ignored). */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  // From the top: a full-page capture of a scrolled page draws the sticky top navigation mid-page.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}
