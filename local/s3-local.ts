// Runs s3rver as the local S3, with the product's buckets created on start.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';

export interface S3Local {
  endpoint: string;
  server: S3rver;
  stop(): Promise<void>;
}

/** Browsers upload samples straight to the bucket from the console, as they do to S3 with its CORS rule. */
const corsConfiguration = `<CORSConfiguration>
  <CORSRule>
    <AllowedOrigin>*</AllowedOrigin>
    <AllowedMethod>GET</AllowedMethod>
    <AllowedMethod>POST</AllowedMethod>
    <AllowedMethod>PUT</AllowedMethod>
    <AllowedHeader>*</AllowedHeader>
    <ExposeHeader>ETag</ExposeHeader>
    <MaxAgeSeconds>3000</MaxAgeSeconds>
  </CORSRule>
</CORSConfiguration>`;

/**
 * Starts s3rver on a free loopback port. With `dataDirectory` objects are kept there;
 * without, in a temporary directory removed on stop.
 */
export async function startS3Local(options: { dataDirectory?: string; buckets: string[] }): Promise<S3Local> {
  const directory = options.dataDirectory ?? mkdtempSync(join(tmpdir(), 'voice-s3-'));
  mkdirSync(directory, { recursive: true });
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    directory,
    silent: true,
    vhostBuckets: false,
    configureBuckets: options.buckets.map((name) => ({ name, configs: [corsConfiguration] })),
  });
  const address = await server.run();
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    server,
    stop: async () => {
      await server.close();
      if (!options.dataDirectory) rmSync(directory, { recursive: true, force: true });
    },
  };
}
