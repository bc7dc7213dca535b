// Builds the console once before the browser tests, so the `npm start` of each test file finds it up to date.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildConsole, consoleBuildReason } from '../../local/console.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export default async function setup() {
  const reason = consoleBuildReason(ROOT);
  if (reason) {
    console.log(`Building the console (${reason})…`);
    await buildConsole(ROOT);
  }
}
