// Runs DynamoDB Local (AWS's own engine, the jar shipped by amplify-dynamodb-simulator) as a child Java process.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { freePort } from './ports.ts';

export class MissingJavaError extends Error {
  override name = 'MissingJavaError';
  constructor(detail: string) {
    super(
      [
        `DynamoDB Local needs a Java runtime (11 or newer), and none could be started (${detail}).`,
        'Install one, then run npm start again:',
        '  Debian/Ubuntu: sudo apt-get install -y default-jre-headless',
        '  macOS:         brew install openjdk',
        '  Windows:       winget install EclipseAdoptium.Temurin.21.JRE',
        'or point JAVA_HOME at an existing one.',
      ].join('\n'),
    );
  }
}

export interface DynamoDbLocal {
  endpoint: string;
  stop(): Promise<void>;
  /**
   * Stops the Java process and, after `downtimeMs`, starts it again on the same port and data; for fault tests.
   * Tables kept in memory would be gone, so this needs a data directory.
   */
  restart(options?: { downtimeMs?: number }): Promise<void>;
}

function javaCommand(): string {
  const fromHome = process.env.JAVA_HOME ? join(process.env.JAVA_HOME, 'bin', 'java') : undefined;
  const java = fromHome && existsSync(fromHome) ? fromHome : 'java';
  const probe = spawnSync(java, ['-version'], { encoding: 'utf8' });
  if (probe.error) throw new MissingJavaError(`"${java}": ${probe.error.message}`);
  if (probe.status !== 0) throw new MissingJavaError(`"${java} -version" exited with ${probe.status}`);
  return java;
}

function emulatorDirectory(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('amplify-dynamodb-simulator/package.json')), 'emulator');
}

/** Java boots DynamoDB Local in a few seconds on an idle machine, and in well over 30 s on a busy two-core one. */
const START_TIMEOUT_MS = 60_000;

async function waitUntilServing(endpoint: string, child: ChildProcess, output: () => string): Promise<void> {
  const client = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  const deadline = Date.now() + START_TIMEOUT_MS;
  try {
    while (Date.now() < deadline) {
      if (child.exitCode !== null) {
        throw new Error(`DynamoDB Local exited with code ${child.exitCode}:\n${output()}`);
      }
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }));
        return;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    throw new Error(`DynamoDB Local did not answer within ${START_TIMEOUT_MS / 1000} s:\n${output()}`);
  } finally {
    client.destroy();
  }
}

interface RunningJava {
  stop(): Promise<void>;
}

/** Spawns the Java process on `port` and waits until it answers. */
async function launch(
  java: string,
  emulator: string,
  port: number,
  dataDirectory: string | undefined,
): Promise<RunningJava> {
  const storage = dataDirectory ? ['-dbPath', dataDirectory] : ['-inMemory'];
  // -sharedDb: one database whatever the caller's access key and region, as one AWS table is.
  const child = spawn(
    java,
    [
      '-Xms64m',
      '-Xmx512m',
      `-Djava.library.path=${join(emulator, 'DynamoDBLocal_lib')}`,
      '-jar',
      join(emulator, 'DynamoDBLocal.jar'),
      ...storage,
      '-sharedDb',
      '-port',
      String(port),
    ],
    // It writes a metadata file into its working directory: keep that beside the data, never in the repository.
    { stdio: ['ignore', 'pipe', 'pipe'], cwd: dataDirectory ?? tmpdir() },
  );
  // Java outlives a parent that exits without stopping it; this takes it down on any orderly exit.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  let output = '';
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const spawnFailure = new Promise<never>((_, reject) =>
    child.once('error', (error) => reject(new MissingJavaError(error.message))),
  );

  try {
    await Promise.race([waitUntilServing(`http://127.0.0.1:${port}`, child, () => output), spawnFailure]);
  } catch (error) {
    process.off('exit', killOnExit);
    child.kill('SIGKILL');
    throw error;
  }

  return {
    stop: async () => {
      process.off('exit', killOnExit);
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/**
 * Starts DynamoDB Local on a free loopback port.
 * With `dataDirectory` the tables live in files there and survive a restart; without, in memory.
 */
export async function startDynamoDbLocal(options: { dataDirectory?: string }): Promise<DynamoDbLocal> {
  const java = javaCommand();
  const emulator = emulatorDirectory();
  const port = await freePort();
  const { dataDirectory } = options;
  if (dataDirectory) mkdirSync(dataDirectory, { recursive: true });
  let running = await launch(java, emulator, port, dataDirectory);

  return {
    endpoint: `http://127.0.0.1:${port}`,
    stop: () => running.stop(),
    restart: async ({ downtimeMs = 0 } = {}) => {
      if (!dataDirectory)
        throw new Error('DynamoDB Local keeps its tables in memory: a restart would lose them.');
      await running.stop();
      await new Promise((resolve) => setTimeout(resolve, downtimeMs));
      running = await launch(java, emulator, port, dataDirectory);
    },
  };
}
