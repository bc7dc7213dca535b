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

async function waitUntilServing(endpoint: string, child: ChildProcess, output: () => string): Promise<void> {
  const client = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  const deadline = Date.now() + 30_000;
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
    throw new Error(`DynamoDB Local did not answer within 30 s:\n${output()}`);
  } finally {
    client.destroy();
  }
}

/**
 * Starts DynamoDB Local on a free loopback port.
 * With `dataDirectory` the tables live in files there and survive a restart; without, in memory.
 */
export async function startDynamoDbLocal(options: { dataDirectory?: string }): Promise<DynamoDbLocal> {
  const java = javaCommand();
  const emulator = emulatorDirectory();
  const port = await freePort();
  const storage = options.dataDirectory ? ['-dbPath', options.dataDirectory] : ['-inMemory'];
  if (options.dataDirectory) mkdirSync(options.dataDirectory, { recursive: true });

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
    { stdio: ['ignore', 'pipe', 'pipe'], cwd: options.dataDirectory ?? tmpdir() },
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

  const endpoint = `http://127.0.0.1:${port}`;
  try {
    await Promise.race([waitUntilServing(endpoint, child, () => output), spawnFailure]);
  } catch (error) {
    process.off('exit', killOnExit);
    child.kill('SIGKILL');
    throw error;
  }

  return {
    endpoint,
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
