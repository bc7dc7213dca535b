// `npm run bench`: the targets of design §9 measured on the local stack with the provider simulators at fixed
// latencies, the Lambda bundles from `cdk synth`, and the figures written into bench/README.md.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { mapLimited } from '../functions/voice/sentence-speech.ts';
import { speechTestEnvironment } from '../test/integration/speech-environment.ts';
import { coldInit, readBundles, synthesize } from './bundles.ts';
import { measureCacheShares, measureHitLatency } from './cache.ts';
import { monthCost } from './cost.ts';
import { measureLoad } from './load.ts';
import { writeFigures, type RunResults } from './report.ts';
import { startBenchSimulators } from './simulators.ts';
import { startBenchStack } from './stack.ts';
import { describeMachine } from './support.ts';
import { measureOverhead, measureStreaming } from './turns.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const PHASES = ['turns', 'streaming', 'cache', 'load', 'bundles'] as const;
type Phase = (typeof PHASES)[number];

const usage = `Usage: npm run bench [-- --only turns,streaming,cache,load,bundles] [-- --synth-dir <dir>]
  --only <list>      run only these phases (the README is written only by a full run)
  --synth-dir <dir>  read the bundles from an earlier \`cdk synth -o <dir>\` instead of synthesising again`;

async function main() {
  const { values } = parseArgs({
    options: {
      only: { type: 'string' },
      'synth-dir': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return console.log(usage);
  const only = values.only ? (values.only.split(',') as Phase[]) : [...PHASES];
  const unknown = only.filter((phase) => !PHASES.includes(phase));
  if (unknown.length) throw new Error(`Unknown phase ${unknown.join(', ')}\n${usage}`);
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

  const began = Date.now();
  const results: RunResults = {
    machine: describeMachine(),
    date: new Date().toISOString().slice(0, 10),
    seconds: 0,
    phases: {},
  };
  const phase = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
    const started = Date.now();
    console.log(`▶ ${name}`);
    try {
      return await work();
    } finally {
      results.phases[name] = (Date.now() - started) / 1000;
      console.log(`  ${name}: ${results.phases[name]!.toFixed(1)} s`);
    }
  };

  // Synthesis is slow and needs no stack: it starts now, at a lower priority, and is awaited before the bundles.
  const synthDirectory = values['synth-dir'] ?? mkdtempSync(join(tmpdir(), 'voice-bench-synth-'));
  const abandon = new AbortController();
  const synth =
    only.includes('bundles') && !values['synth-dir']
      ? synthesize(ROOT, synthDirectory, abandon.signal)
      : Promise.resolve(undefined);
  synth.catch(() => undefined);
  // A failed run must not leave synthesis (and its esbuild processes) working on.
  process.once('exit', () => abandon.abort());
  process.once('SIGINT', () => process.exit(130));

  const stackPhases = only.filter((name) => name !== 'bundles');
  if (stackPhases.length) {
    const sims = await startBenchSimulators();
    const stack = await phase('start', () =>
      startBenchStack(
        speechTestEnvironment(sims.simulators.environment, {
          // One breaker shared by every benchmark: a slow moment must not reroute speech to another provider.
          TTS_CIRCUIT_THRESHOLD: '1000000',
          // Plans are not what is measured: no tenant meets a limit.
          DEFAULT_PLAN: 'enterprise',
        }),
      ),
    );
    try {
      if (only.includes('turns'))
        results.overhead = await phase('overhead', () => measureOverhead(stack, sims));
      if (only.includes('streaming'))
        results.streaming = await phase('streaming', () =>
          measureStreaming(stack, sims, [
            { characters: 100, runs: 3 },
            { characters: 500, runs: 3 },
            { characters: 1500, runs: 2 },
          ]),
        );
      if (only.includes('cache')) {
        results.hit = await phase('cache hits', () => measureHitLatency(stack, sims));
        results.shares = await phase('cache shares', () => measureCacheShares(stack, sims));
        results.cost = monthCost(results.shares.month);
      }
      if (only.includes('load')) results.load = await phase('load', () => measureLoad(stack, sims));
    } finally {
      await stack.stop();
      await sims.stop();
    }
  }

  if (only.includes('bundles')) {
    results.synthSeconds = await phase('synth (wait)', () => synth);
    results.bundles = await phase('cold init', async () => {
      const bundles = readBundles(synthDirectory);
      // Two imports at a time, one a core: each process is single-threaded, as a Lambda sandbox runs one.
      await mapLimited(bundles, Math.min(2, results.machine.cores), (bundle) => coldInit(bundle, 5));
      // For the profile of a miss: how much of the slowest imports is reading the source map.
      for (const group of [true, false]) {
        const kind = bundles.filter((bundle) => bundle.usesProviders === group);
        const slowest = kind.reduce((a, b) => ((a.initMs ?? 0) >= (b.initMs ?? 0) ? a : b), kind[0]!);
        if (slowest) await coldInit(slowest, 3, true);
      }
      return bundles.map(({ environment: _environment, ...bundle }) => bundle);
    });
    if (!values['synth-dir']) rmSync(synthDirectory, { recursive: true, force: true });
  }

  results.seconds = (Date.now() - began) / 1000;
  console.log(JSON.stringify(results, null, 2));
  if (only.length === PHASES.length) {
    await writeFigures(join(ROOT, 'bench', 'README.md'), results);
    console.log(`Figures written to bench/README.md (${results.seconds.toFixed(0)} s).`);
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
