// What a function's bundle loads at cold start: its entry and the chunks that entry imports, never a provider's SDK
// or an audio decoder, which wait in chunks of their own until first used; and what it ships at all.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { allModules, loadedAtStart } from '../../bench/bundles.ts';
import { bundleHandler } from '../../lib/voice-function.ts';

const PROVIDER_SDKS =
  /node_modules\/(@elevenlabs\/elevenlabs-js|@google-cloud\/text-to-speech|google-gax|openai)\//;
const DECODERS =
  /node_modules\/(mpg123-decoder|ogg-opus-decoder|@wasm-audio-decoders\/[^/]+|wasm-media-encoders)\//;

const folders: string[] = [];
afterAll(() => folders.forEach((folder) => rmSync(folder, { recursive: true, force: true })));

function bundle(entry: string): string {
  const folder = mkdtempSync(join(tmpdir(), 'voice-bundle-'));
  folders.push(folder);
  bundleHandler(entry, folder);
  return folder;
}

/** The source files (from the source maps) of `index.mjs` and what it imports statically, and of the other chunks. */
function sources(folder: string): { atStart: string[]; onUse: string[] } {
  const atStart = loadedAtStart(folder);
  const mapped = (list: string[]) =>
    list.flatMap(
      (file) => (JSON.parse(readFileSync(`${file}.map`, 'utf8')) as { sources: string[] }).sources,
    );
  return {
    atStart: mapped(atStart),
    onUse: mapped(allModules(folder).filter((file) => !atStart.includes(file))),
  };
}

describe('Lambda bundles', () => {
  it('load no provider SDK at cold start in a function that speaks; each waits in a chunk until used', () => {
    const { atStart, onUse } = sources(bundle('functions/voice/handlers/generate-speech.ts'));

    expect(atStart.filter((source) => PROVIDER_SDKS.test(source))).toEqual([]);
    expect(atStart.some((source) => source.endsWith('functions/voice/voice-service.ts'))).toBe(true);
    for (const sdk of ['@elevenlabs/elevenlabs-js', '@google-cloud/text-to-speech', 'openai'])
      expect(onUse.some((source) => source.includes(`node_modules/${sdk}/`))).toBe(true);
  });

  it('load every chunk of a speaking function, as Node will when a provider is first used', () => {
    const folder = bundle('functions/voice/handlers/generate-speech.ts');
    const modules = allModules(folder).map((file) => pathToFileURL(file).href);
    // A process of its own, with no configuration: importing must not need any, only calling the handler does.
    const loaded = spawnSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        'for (const url of process.argv.slice(1)) await import(url); console.log(process.argv.length - 1);',
        ...modules,
      ],
      { encoding: 'utf8', env: { PATH: process.env.PATH ?? '' }, timeout: 60_000 },
    );

    expect(loaded.stderr).toBe('');
    expect(Number(loaded.stdout.trim())).toBe(modules.length);
    expect(modules.length).toBeGreaterThan(10);
  });

  it('ship no provider SDK at all in a function that never speaks, though its modules name one lazily', () => {
    // mark-ready reaches the training steps, whose other steps import the provider registry.
    const { atStart, onUse } = sources(bundle('functions/training/tasks/mark-ready.ts'));

    expect([...atStart, ...onUse].filter((source) => PROVIDER_SDKS.test(source))).toEqual([]);
    expect(atStart.some((source) => source.endsWith('functions/training/training-steps.ts'))).toBe(true);
  });

  it('load no audio decoder at cold start in the sample validator, though it decodes every format', () => {
    const { atStart, onUse } = sources(bundle('functions/training/handlers/validate-sample.ts'));

    expect(atStart.filter((source) => DECODERS.test(source))).toEqual([]);
    expect(atStart.filter((source) => PROVIDER_SDKS.test(source))).toEqual([]);
    for (const decoder of ['mpg123-decoder', 'ogg-opus-decoder', '@wasm-audio-decoders/flac'])
      expect(onUse.some((source) => source.includes(`node_modules/${decoder}/`))).toBe(true);
  });
});
