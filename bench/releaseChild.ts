/**
 * One push or pull of the release benchmark in a fresh process, so its peak RSS is its own.
 * `push HOST REPO TAG FILE DIGEST SIZE CONFIG_JSON MANIFEST_JSON` | `pull HOST REPO TAG OUT`.
 * Prints one JSON line: {bytesSent, maxRssMb}, then exits.
 */
import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { noCredentials } from '../src/core/registry/credentials/credentials';
import { OciRegistry } from '../src/core/registry/distribution/client';
import { bytesBlob, fileBlob } from '../src/core/registry/distribution/fileBlob';
import { imageManifestSchema, parseJson } from '../src/core/registry/oci';

async function main(): Promise<void> {
  const [op, host = '', repo = '', tag = '', ...rest] = process.argv.slice(2);
  const registry = new OciRegistry({ host, credentials: noCredentials });
  if (op === 'push') {
    const [file = '', digest = '', size = '0', config = '', manifest = ''] = rest;
    const layer = await fileBlob(file, { digest, size: Number(size) });
    const configBytes = new TextEncoder().encode(config);
    await registry.pushBlob(repo, bytesBlob(configBytes));
    await registry.pushBlob(repo, layer);
    await registry.pushManifest(repo, tag, new TextEncoder().encode(manifest), 'application/vnd.oci.image.manifest.v1+json');
  } else if (op === 'pull') {
    const [out = ''] = rest;
    const fetched = await registry.getManifest(repo, tag);
    const parsed = parseJson(fetched.bytes, imageManifestSchema);
    if (!parsed.ok) throw new Error(parsed.error);
    for (const layer of parsed.value.layers) await pipeline(await registry.openBlob(repo, layer), createWriteStream(out));
  } else throw new Error(`unknown op ${op}`);
  console.log(JSON.stringify({ bytesSent: registry.transport.bytesSent, maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024) }));
  // Exit now rather than when fetch's idle keep-alive connections time out (about half a second later).
  process.exit(0);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
});
