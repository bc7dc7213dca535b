// `npm start`: the whole product on this machine, offline: local AWS stand-ins and the API on one port.
import { parseArgs } from 'node:util';
import { relative } from 'node:path';
import { buildConsole, consoleBuildReason } from '../local/console.ts';
import { MissingJavaError } from '../local/dynamodb-local.ts';
import { PortInUseError } from '../local/ports.ts';
import { REPOSITORY_ROOT, startLocalStack } from '../local/stack.ts';

const usage = `Usage: npm start [-- --memory] [-- --data <dir>] [-- --port <n>] [-- --quiet]
  --memory      keep tables and objects only until the stack stops
  --data <dir>  where tables, objects and the local issuer key live (default $LOCAL_DATA_DIR or .data/)
  --port <n>    gateway port (default $PORT or 3000)
  --quiet       do not print a line per request`;

// The SDK's multi-line notice on Node 20 would bury the banner; the banner says it in one line instead.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const nodeMajor = Number(process.versions.node.split('.')[0]);

async function main() {
  const { values } = parseArgs({
    options: {
      memory: { type: 'boolean', default: false },
      data: { type: 'string' },
      port: { type: 'string' },
      quiet: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(usage);
    return;
  }
  const port = Number(values.port ?? process.env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`Invalid port: ${values.port ?? process.env.PORT}`);

  const started = Date.now();
  const rebuild = consoleBuildReason(REPOSITORY_ROOT);
  if (rebuild) {
    console.log(`Building the console (${rebuild})…`);
    // Without a console the API still works; the console URL then says how to build it.
    await buildConsole(REPOSITORY_ROOT).catch((error: unknown) =>
      console.error(
        `The console could not be built; the API still starts.\n${error instanceof Error ? error.message : error}`,
      ),
    );
  }
  console.log('Starting the local stack (DynamoDB Local, s3rver, gateway)…');
  const stack = await startLocalStack({
    port,
    memory: values.memory,
    ...(values.data ? { dataDirectory: values.data } : {}),
    ...(values.quiet
      ? {}
      : {
          onRequest: ({ method, path, status, ms }) =>
            console.log(`${new Date().toISOString()} ${method} ${path} → ${status} (${ms.toFixed(1)} ms)`),
        }),
  });
  const token = await stack.issuer.mint({ tenantId: 'demo', role: 'admin' });
  const where = stack.memory
    ? 'in memory (gone when you stop)'
    : `${relative(process.cwd(), stack.dataDirectory) || '.'}/`;

  console.log(`
Voice for AI personalities is running at ${stack.url}  (started in ${((Date.now() - started) / 1000).toFixed(1)} s)

  Console:  ${stack.consoleUrl}  (signed in as the admin of "demo"; switch tenants in the top bar)
  Health:   curl ${stack.url}/api/health
  OpenAPI:  ${stack.url}/api/openapi.json
  Data:     ${where}

Dev token for tenant "demo", role admin (valid 24 h):

export TOKEN=${token}

  curl -H "Authorization: Bearer $TOKEN" ${stack.url}/api/admin/ai-personalities

Another tenant or role:  npm run token -- --tenant acme --role member
Stop with Ctrl-C.
`);
  if (nodeMajor < 22) {
    console.log(
      `Note: Node ${process.versions.node} runs this stack, but Node 22 or newer is recommended (AWS SDK releases after January 2027 need it).\n`,
    );
  }

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping the local stack…`);
    await stack.stop();
    console.log(stack.memory ? 'Stopped. The in-memory data is gone.' : `Stopped. Data kept in ${where}`);
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGHUP', () => void shutdown('SIGHUP'));
}

main().catch((error: unknown) => {
  if (error instanceof PortInUseError || error instanceof MissingJavaError)
    console.error(`\n${error.message}\n`);
  else
    console.error('\nThe local stack could not start:', error instanceof Error ? error.message : error, '\n');
  process.exit(1);
});
