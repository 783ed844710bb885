import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { noCredentials } from '../../../src/core/registry/credentials/credentials';
import { sha256Digest } from '../../../src/core/registry/digest';
import { fetchRelease } from '../../../src/core/release/fetch';
import { loadTrustedKeys } from '../../../src/core/release/keys';
import { openRegistry, registryLocationOf } from '../../../src/core/release/openRegistry';
import { TrustStore } from '../../../src/core/release/trustStore';
import { skipBecause } from '../skipBecause';
import { haveRegistry, haveSkopeo, noRegistry, noSkopeo, RegistryServer } from '../registry/distribution/registryServer';
import { release, releaseWorkspace } from './harness';

describe('releases to an OCI Distribution registry (docker-registry on loopback)', function () {
  this.timeout(120_000);
  let server: RegistryServer | undefined;

  before(async function () {
    if (!haveRegistry) skipBecause(this, noRegistry);
    server = await RegistryServer.start();
  });
  after(async () => {
    await server?.stop();
  });

  it('releases, verifies and re-releases unchanged with the same code as the embedded registry; skopeo reads the artifact', async function () {
    const location = registryLocationOf(`oci://${server!.host}/fleet`);
    const ws = await releaseWorkspace();
    const registry = openRegistry(location, ws.dir, { credentials: noCredentials });
    const remote = { ...ws, registry, location };
    const report = await release(remote);
    assert.equal(report.released, true, JSON.stringify(report.gates));
    assert.equal(report.reference, `oci://${server!.host}/fleet/aios/cabin-occupancy:1.1.0`);
    const verified = await fetchRelease({
      registry,
      reference: { registry: location, repository: 'fleet/aios/cabin-occupancy', tag: 'dev' },
      trusted: await loadTrustedKeys(ws.publicKeyFile),
      trustStore: new TrustStore(join(ws.dir, 'trust.json')),
      now: new Date(),
    });
    assert.deepEqual(verified.problems, []);
    assert.equal(verified.verified, true);
    const again = await release(remote);
    assert.equal(again.unchanged, true);
    assert.equal(again.bytesUploaded, 0);
    if (!haveSkopeo) skipBecause(this, noSkopeo);
    const raw = execFileSync('skopeo', ['inspect', '--raw', '--tls-verify=false', `docker://${server!.host}/fleet/aios/cabin-occupancy:1.1.0`]);
    assert.equal(sha256Digest(raw), report.digest);
  });
});
