import { strict as assert } from 'node:assert';
import {
  formatReference,
  formatRegistryLocation,
  parseReference,
  parseRegistryLocation,
  repositoryAt,
  type Reference,
  type RegistryLocation,
} from '../../../src/core/registry/reference';

const digest = `sha256:${'ab'.repeat(32)}`;

function ok(text: string, options?: { requireTarget?: boolean }): Reference {
  const r = parseReference(text, options);
  if (!r.ok) assert.fail(`expected '${text}' to parse: ${r.error}`);
  return r.value;
}

function err(text: string, options?: { requireTarget?: boolean }): string {
  const r = parseReference(text, options);
  if (r.ok) assert.fail(`expected '${text}' to fail, got ${JSON.stringify(r.value)}`);
  return r.error;
}

function location(text: string): RegistryLocation {
  const r = parseRegistryLocation(text);
  if (!r.ok) assert.fail(`expected '${text}' to parse: ${r.error}`);
  return r.value;
}

describe('registry references', () => {
  it('reads the three SPEC forms', () => {
    assert.deepEqual(ok('local:aios/dms:1.3.0'), { registry: { kind: 'local' }, repository: 'aios/dms', tag: '1.3.0' });
    assert.deepEqual(ok('oci://127.0.0.1:5000/aios/dms:production'), {
      registry: { kind: 'oci', authority: '127.0.0.1:5000' },
      repository: 'aios/dms',
      tag: 'production',
    });
    assert.deepEqual(ok(`oci://registry.example.com/aios/dms@${digest}`), {
      registry: { kind: 'oci', authority: 'registry.example.com' },
      repository: 'aios/dms',
      digest,
    });
  });

  it('takes a tag and a digest together, a bracketed IPv6 host and upper-case hosts', () => {
    assert.deepEqual(ok(`oci://[::1]:5000/a/b:v1@${digest}`), { registry: { kind: 'oci', authority: '[::1]:5000' }, repository: 'a/b', tag: 'v1', digest });
    assert.equal((ok('oci://Registry.Example.COM/x:1').registry as { authority: string }).authority, 'registry.example.com');
  });

  it('round-trips through formatReference', () => {
    for (const text of ['local:aios/dms:1.3.0', 'oci://localhost:5000/a/b-c/d__e:v1.2.3-rc.1', `oci://h/r@${digest}`, `local:r:t@${digest}`]) {
      assert.equal(formatReference(ok(text)), text);
    }
  });

  it('accepts a bare repository only when asked to', () => {
    assert.deepEqual(ok('local:aios/dms', { requireTarget: false }), { registry: { kind: 'local' }, repository: 'aios/dms' });
    assert.match(err('local:aios/dms'), /names no version: add ':<tag>'/);
  });

  it('refuses credentials in the reference and says where they belong', () => {
    const e = err('oci://user:secret@host:5000/a:1');
    assert.match(e, /carries credentials/);
    assert.match(e, /secret storage/);
  });

  it('explains each malformed part', () => {
    assert.match(err('docker://host/a:1'), /scheme 'docker:\/\/'/);
    assert.match(err('aios/dms:1.0'), /not a release reference: write/);
    assert.match(err('local:Aios/DMS:1'), /'Aios\/DMS' .* not a valid repository name/);
    assert.match(err('local:a:-bad'), /'-bad' .* not a valid tag/);
    assert.match(err('local:a@sha256:abc'), /not a digest/);
    assert.match(err('oci://host:99999/a:1'), /port 99999/);
    assert.match(err('oci:///a:1'), /names no registry host/);
    assert.match(err('oci://ho_st/a:1'), /not a host\[:port\]/);
    assert.match(err('local::1'), /names no repository/);
    assert.match(err('local:a//b:1'), /not a valid repository name/);
  });

  it('reads registry locations with and without a namespace', () => {
    assert.deepEqual(location('local'), { kind: 'local' });
    assert.deepEqual(location('oci://127.0.0.1:5000'), { kind: 'oci', authority: '127.0.0.1:5000' });
    const withNamespace = location('oci://reg.example:443/team/models/');
    assert.deepEqual(withNamespace, { kind: 'oci', authority: 'reg.example:443', namespace: 'team/models' });
    assert.equal(repositoryAt(withNamespace, 'aios/dms'), 'team/models/aios/dms');
    assert.equal(repositoryAt({ kind: 'local' }, 'aios/dms'), 'aios/dms');
    assert.equal(formatRegistryLocation(withNamespace), 'oci://reg.example:443/team/models');
    const bad = parseRegistryLocation('s3://bucket');
    assert.ok(!bad.ok && /write 'local'/.test(bad.error));
  });
});
