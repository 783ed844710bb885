import { strict as assert } from 'node:assert';
import { noCredentials } from '../../../../src/core/registry/credentials/credentials';
import { defaultRetryPolicy, retryDelayMs } from '../../../../src/core/registry/distribution/backoff';
import { parseChallenges } from '../../../../src/core/registry/distribution/challenge';
import { OciRegistry } from '../../../../src/core/registry/distribution/client';
import { remoteRegistries } from '../../../../src/core/registry/distribution/open';
import { openRegistry } from '../../../../src/core/release/openRegistry';

describe('OCI client protocol pieces', () => {
  it('parses WWW-Authenticate challenges: quoted values with commas and escapes, several challenges', () => {
    assert.deepEqual(parseChallenges('Bearer realm="https://auth.example.com/token",service="registry.example.com",scope="repository:a/b:pull,push"'), [
      { scheme: 'bearer', params: { realm: 'https://auth.example.com/token', service: 'registry.example.com', scope: 'repository:a/b:pull,push' } },
    ]);
    assert.deepEqual(parseChallenges('Basic realm="say \\"hi\\"", Bearer realm=x'), [
      { scheme: 'basic', params: { realm: 'say "hi"' } },
      { scheme: 'bearer', params: { realm: 'x' } },
    ]);
    assert.deepEqual(parseChallenges(''), []);
  });

  it('backs off exponentially with jitter, capped, and honours Retry-After in seconds or as a date', () => {
    const policy = { ...defaultRetryPolicy, baseDelayMs: 100, maxDelayMs: 1000, maxRetryAfterMs: 30_000 };
    assert.equal(retryDelayMs(policy, 1, null, 0, () => 0), 50);
    assert.equal(retryDelayMs(policy, 1, null, 0, () => 1), 100);
    assert.equal(retryDelayMs(policy, 3, null, 0, () => 1), 400);
    assert.equal(retryDelayMs(policy, 10, null, 0, () => 1), 1000, 'capped');
    assert.equal(retryDelayMs(policy, 1, '7', 0, () => 0), 7000);
    const now = Date.parse('2026-12-07T16:00:00Z');
    assert.equal(retryDelayMs(policy, 1, 'Mon, 07 Dec 2026 16:00:05 GMT', now, () => 0), 5000);
    assert.equal(retryDelayMs(policy, 1, '3600', 0, () => 0), 30_000, 'a very long Retry-After is cut');
  });

  it('speaks HTTPS except to loopback hosts and hosts listed in AIOS_REGISTRY_PLAIN_HTTP', () => {
    const open = remoteRegistries({ credentials: noCredentials, env: { AIOS_REGISTRY_PLAIN_HTTP: 'lab-registry:5000, other' } });
    const base = (authority: string) => (open(authority) as OciRegistry).transport.base;
    assert.equal(base('registry.example.com'), 'https://registry.example.com');
    assert.equal(base('127.0.0.1:5000'), 'http://127.0.0.1:5000');
    assert.equal(base('localhost:5000'), 'http://localhost:5000');
    assert.equal(base('lab-registry:5000'), 'http://lab-registry:5000');
    assert.equal(base('lab-registry:5001'), 'https://lab-registry:5001');
    assert.equal(open('registry.example.com').display, 'oci://registry.example.com');
    const viaRelease = (authority: string) => (openRegistry({ kind: 'oci', authority }, '/nonexistent', { env: { AIOS_REGISTRY_PLAIN_HTTP: 'lab-registry:5000' } }) as OciRegistry).transport.base;
    assert.equal(viaRelease('lab-registry:5000'), 'http://lab-registry:5000', 'release, pull, verify and promote open registries the same way');
    assert.equal(viaRelease('registry.example.com'), 'https://registry.example.com');
  });
});
