/**
 * Releases to a real OCI registry (issue 13 item 9): push of a ~500 MB model blob by our
 * client against `skopeo copy` of the same bytes (an OCI layout holding the same manifest)
 * into the same kind of registry (Debian's docker-registry on loopback, a fresh one per case
 * so neither side can mount from an earlier copy); the re-push of unchanged content (bytes
 * sent); and pull + verify into a file against `skopeo copy` to an OCI layout. Each case is
 * a fresh process, timed from spawn to exit, interleaved with its baseline.
 * Standalone: `node out/bench/release.bench.js` (RELEASE_BENCH_MB=50 for a quick run).
 */
import { execFile } from 'node:child_process';
import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, linkSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { RegistryServer } from '../test/unit/registry/distribution/registryServer';
import { formatTable, median, runChild, type BenchTable } from './harness';

export const name = 'release';

const sizeMb = Number(process.env['RELEASE_BENCH_MB'] ?? 500);
const rounds = Number(process.env['RELEASE_BENCH_ROUNDS'] ?? 5);
const goalRatio = 1.2;
const rePushGoal = 64 * 1024;

function timed(command: string, args: readonly string[]): Promise<number> {
  const t = performance.now();
  return new Promise((resolve, reject) => {
    execFile(command, [...args], { maxBuffer: 1 << 24 }, (error, _stdout, stderr) => (error ? reject(new Error(`${command} ${args.join(' ')}: ${stderr || error.message}`)) : resolve(performance.now() - t)));
  });
}

/** The child bundled and minified like the shipped CLI (`node esbuild.mjs --production`), so its start-up is the CLI's, not that of hundreds of transpiled modules. */
async function bundleChild(dir: string): Promise<string> {
  const esbuild = await import('esbuild');
  const outfile = join(dir, 'releaseChild.js');
  await esbuild.build({ entryPoints: [join(__dirname, '..', '..', 'bench', 'releaseChild.ts')], bundle: true, platform: 'node', format: 'cjs', target: 'es2022', minify: true, outfile, logLevel: 'warning' });
  return outfile;
}

async function timedChild<T>(script: string, args: readonly string[]): Promise<{ ms: number; result: T }> {
  const t = performance.now();
  const result = await runChild<T>(script, args);
  return { ms: performance.now() - t, result };
}

/** A file of pseudo-random bytes (AES-CTR of zeros: incompressible, fast), with its sha256. */
async function writeModel(path: string, bytes: number): Promise<{ digest: string; size: number; ms: number }> {
  const cipher = createCipheriv('aes-128-ctr', randomBytes(16), randomBytes(16));
  const out = createWriteStream(path);
  const block = Buffer.alloc(4 << 20);
  const hash = createHash('sha256');
  let hashMs = 0;
  for (let written = 0; written < bytes; written += block.length) {
    const chunk = cipher.update(block.subarray(0, Math.min(block.length, bytes - written)));
    const t = performance.now();
    hash.update(chunk);
    hashMs += performance.now() - t;
    if (!out.write(chunk)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return { digest: `sha256:${hash.digest('hex')}`, size: bytes, ms: hashMs };
}

function sha256(bytes: Uint8Array): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

/** An OCI image layout holding `manifest`, its config and the model (hard-linked, not copied). */
function writeLayout(dir: string, model: string, layer: { digest: string }, config: Buffer, manifest: Buffer): void {
  mkdirSync(join(dir, 'blobs', 'sha256'), { recursive: true });
  writeFileSync(join(dir, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
  writeFileSync(join(dir, 'blobs', 'sha256', sha256(config).slice(7)), config);
  writeFileSync(join(dir, 'blobs', 'sha256', sha256(manifest).slice(7)), manifest);
  linkSync(model, join(dir, 'blobs', 'sha256', layer.digest.slice(7)));
  writeFileSync(
    join(dir, 'index.json'),
    JSON.stringify({ schemaVersion: 2, manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: sha256(manifest), size: manifest.length, annotations: { 'org.opencontainers.image.ref.name': 'bench' } }] }),
  );
}

export async function run(): Promise<BenchTable[]> {
  if (!existsSync('/usr/bin/docker-registry') || !existsSync('/usr/bin/skopeo')) throw new Error('the release benchmark needs docker-registry and skopeo (apt-get install docker-registry skopeo)');
  const work = mkdtempSync(join(tmpdir(), 'aios-bench-release-'));
  try {
    const child = await bundleChild(work);
    const model = join(work, 'model.onnx');
    const layer = await writeModel(model, sizeMb * 1024 * 1024);
    const config = Buffer.from(JSON.stringify({ descriptor: { name: 'bench-model' }, config: { format: 'onnx' } }));
    const manifest = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        artifactType: 'application/vnd.cncf.model.manifest.v1+json',
        config: { mediaType: 'application/vnd.cncf.model.config.v1+json', digest: sha256(config), size: config.length },
        layers: [{ mediaType: 'application/vnd.cncf.model.weight.v1.raw', digest: layer.digest, size: layer.size, annotations: { 'org.opencontainers.image.title': 'model.onnx' } }],
      }),
    );
    const layout = join(work, 'layout');
    writeLayout(layout, model, layer, config, manifest);
    const pushArgs = (host: string, repo: string) => ['push', host, repo, '1.0.0', model, layer.digest, String(layer.size), config.toString(), manifest.toString()];

    const times = { ours: [] as number[], skopeo: [] as number[], rePush: [] as number[], oursPull: [] as number[], skopeoPull: [] as number[] };
    const rss = { push: [] as number[], pull: [] as number[] };
    let rePushBytes = 0;
    for (let round = 0; round < rounds; round++) {
      const servers = [await RegistryServer.start(), await RegistryServer.start()];
      try {
        const [forSkopeo, forUs] = round % 2 === 0 ? servers : [servers[1]!, servers[0]!];
        const pushSkopeo = () => timed('skopeo', ['copy', '--quiet', '--dest-tls-verify=false', '--preserve-digests', `oci:${layout}:bench`, `docker://${forSkopeo!.host}/bench/model:1.0.0`]);
        const pushOurs = () => timedChild<{ bytesSent: number; maxRssMb: number }>(child, pushArgs(forUs!.host, 'bench/model'));
        if (round % 2 === 0) {
          times.skopeo.push(await pushSkopeo());
          const ours = await pushOurs();
          times.ours.push(ours.ms);
          rss.push.push(ours.result.maxRssMb);
        } else {
          const ours = await pushOurs();
          times.ours.push(ours.ms);
          rss.push.push(ours.result.maxRssMb);
          times.skopeo.push(await pushSkopeo());
        }
        const again = await timedChild<{ bytesSent: number }>(child, pushArgs(forUs!.host, 'bench/model'));
        times.rePush.push(again.ms);
        rePushBytes = Math.max(rePushBytes, again.result.bytesSent);

        const ourOut = join(work, 'pulled.onnx');
        const skopeoOut = join(work, 'pulled-layout');
        const pullOurs = async () => {
          const pulled = await timedChild<{ maxRssMb: number }>(child, ['pull', forUs!.host, 'bench/model', '1.0.0', ourOut]);
          times.oursPull.push(pulled.ms);
          rss.pull.push(pulled.result.maxRssMb);
        };
        const pullSkopeo = async () => times.skopeoPull.push(await timed('skopeo', ['copy', '--quiet', '--src-tls-verify=false', '--preserve-digests', `docker://${forUs!.host}/bench/model:1.0.0`, `oci:${skopeoOut}:bench`]));
        if (round % 2 === 0) {
          await pullSkopeo();
          await pullOurs();
        } else {
          await pullOurs();
          await pullSkopeo();
        }
        rmSync(ourOut, { force: true });
        rmSync(skopeoOut, { recursive: true, force: true });
      } finally {
        for (const s of servers) await s.stop();
      }
    }
    const s = (v: number) => Number((v / 1000).toFixed(2));
    const mbps = (v: number) => Math.round(layer.size / 1048576 / (v / 1000));
    const pushRatio = median(times.ours) / median(times.skopeo);
    const pullRatio = median(times.oursPull) / median(times.skopeoPull);
    // Each round's own ratio (ours against skopeo run right beside it): less swayed by a slow round on a shared machine.
    const paired = (ours: readonly number[], theirs: readonly number[]) => median(ours.map((v, i) => v / (theirs[i] ?? v)));
    const pushPaired = paired(times.ours, times.skopeo);
    const pullPaired = paired(times.oursPull, times.skopeoPull);
    return [
      {
        title: `release: ${sizeMb} MiB model to Distribution 2.8 on loopback, median of ${rounds} (each case a fresh process, timed spawn to exit)`,
        columns: ['case', 'median s', 'MiB/s', 'ratio to skopeo', 'peak RSS MiB'],
        rows: [
          ['push: skopeo copy oci-layout -> registry (baseline)', s(median(times.skopeo)), mbps(median(times.skopeo)), 1, '-'],
          ['push: aios client (digest known from packing)', s(median(times.ours)), mbps(median(times.ours)), Number(pushRatio.toFixed(2)), median(rss.push)],
          ['re-push unchanged (aios)', s(median(times.rePush)), '-', '-', '-'],
          ['pull+verify: skopeo copy registry -> oci-layout (baseline)', s(median(times.skopeoPull)), mbps(median(times.skopeoPull)), 1, '-'],
          ['pull+verify: aios client -> file', s(median(times.oursPull)), mbps(median(times.oursPull)), Number(pullRatio.toFixed(2)), median(rss.pull)],
        ],
        notes: [
          `push goal <= ${goalRatio}x skopeo: ${pushRatio <= goalRatio ? 'met' : 'MISSED'} (${pushRatio.toFixed(2)}x)`,
          `pull + verify goal <= ${goalRatio}x skopeo: ${pullRatio <= goalRatio ? 'met' : 'MISSED'} (${pullRatio.toFixed(2)}x)`,
          `median of the per-round ratios (each round ours / skopeo beside it): push ${pushPaired.toFixed(2)}x, pull + verify ${pullPaired.toFixed(2)}x`,
          `re-push of unchanged content sent ${rePushBytes} bytes (goal < ${rePushGoal}): ${rePushBytes < rePushGoal ? 'met' : 'MISSED'}`,
          `every round, s: ${Object.entries(times)
            .map(([k, v]) => `${k} ${v.map((x) => (x / 1000).toFixed(2)).join('/')}`)
            .join('; ')}`,
          'our child process exits as soon as its work is done; left to itself Node would wait about 0.5 s more for fetch\'s idle keep-alive connections to close',
          `hashing the model while packing (not in the push time; skopeo reads the digest from the layout too): ${s(layer.ms)} s`,
        ],
      },
    ];
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (require.main === module) {
  run().then(
    (tables) => tables.forEach((t) => console.log(formatTable(t))),
    (e: unknown) => {
      console.error(e);
      process.exit(1);
    },
  );
}
