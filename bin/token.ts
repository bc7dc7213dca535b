// `npm run token`: mints a local-issuer token for any tenant and role, valid against `npm start`.
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadLocalIssuer } from '../local/issuer.ts';
import { defaultDataDirectory } from '../local/stack.ts';

const usage = `Usage: npm run token -- [--tenant <id>] [--role admin|member] [--ttl <seconds>] [--data <dir>]
  --data defaults to $LOCAL_DATA_DIR, else .data/ (where npm start keeps the issuer key)
Prints a bearer token for the local stack (default: tenant demo, role admin, 24 h).`;

async function main() {
  const { values } = parseArgs({
    options: {
      tenant: { type: 'string', default: 'demo' },
      role: { type: 'string', default: 'admin' },
      ttl: { type: 'string', default: String(24 * 3600) },
      data: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(usage);
    return;
  }
  if (values.role !== 'admin' && values.role !== 'member')
    throw new Error(`--role must be admin or member, not "${values.role}"`);
  const ttlSeconds = Number(values.ttl);
  if (!Number.isInteger(ttlSeconds) || ttlSeconds <= 0)
    throw new Error(`--ttl must be a positive number of seconds`);
  const issuer = await loadLocalIssuer(join(values.data ?? defaultDataDirectory(), 'local-issuer.json'));
  console.log(await issuer.mint({ tenantId: values.tenant, role: values.role, ttlSeconds }));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  console.error(usage);
  process.exit(1);
});
