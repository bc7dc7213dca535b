// Runs s3rver as the local S3, with the product's buckets created on start.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { unlink } from 'node:fs/promises';
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

/** The part of s3rver's filesystem store (`server.store`, untyped) that `keepFolders` replaces. */
interface FilesystemStore {
  getResourcePath(bucket: string, key: string, resource: string): string;
  deleteObject(bucket: string, key: string): Promise<void>;
}

/**
 * s3rver removes a folder as soon as a delete leaves it empty. An upload into that folder which has just created
 * it, but not yet opened its file, then fails on a stream nobody listens to, and the whole process ends: several
 * samples uploaded at once, one rejected and deleted while the next arrives. Deletes here leave the folders; they
 * hold no keys, so listings do not change.
 */
function keepFolders(server: S3rver): void {
  const store = (server as unknown as { store: FilesystemStore }).store;
  store.deleteObject = async (bucket, key) => {
    await Promise.all(
      ['object', 'object.md5', 'metadata.json'].map((resource) =>
        unlink(store.getResourcePath(bucket, key, resource)).catch((error: NodeJS.ErrnoException) => {
          if (error.code !== 'ENOENT') throw error;
        }),
      ),
    );
  };
}

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
  keepFolders(server);
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
