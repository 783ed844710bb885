import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { checkBytes, sha256Digest, verifyingStream } from '../../../src/core/registry/digest';
import { isRegistryError } from '../../../src/core/registry/registry';

async function drain(chunks: Buffer[], digest: string, size: number | undefined): Promise<Buffer> {
  const out: Buffer[] = [];
  await pipeline(Readable.from(chunks), verifyingStream(digest, size, 'blob'), async function* (source: AsyncIterable<Buffer>) {
    for await (const chunk of source) out.push(chunk);
  });
  return Buffer.concat(out);
}

describe('registry digests', () => {
  const bytes = Buffer.from('model weights '.repeat(1000));
  const digest = sha256Digest(bytes);

  it('computes the same digest as a plain sha256', () => {
    assert.equal(digest, `sha256:${createHash('sha256').update(bytes).digest('hex')}`);
  });

  it('passes verified bytes through unchanged, in chunks', async () => {
    const got = await drain([bytes.subarray(0, 100), bytes.subarray(100)], digest, bytes.length);
    assert.ok(got.equals(bytes));
  });

  it('errors with digestMismatch on one flipped byte, a short read and a long read', async () => {
    const flipped = Buffer.from(bytes);
    flipped[5] = (flipped[5] ?? 0) ^ 1;
    await assert.rejects(drain([flipped], digest, bytes.length), (e) => isRegistryError(e, 'digestMismatch') && /does not match its digest/.test(e.message));
    await assert.rejects(drain([bytes.subarray(1)], digest, bytes.length), (e) => isRegistryError(e, 'digestMismatch') && /truncated/.test(e.message));
    await assert.rejects(drain([bytes, Buffer.from('x')], digest, bytes.length), (e) => isRegistryError(e, 'digestMismatch') && /longer/.test(e.message));
  });

  it('checks whole byte arrays', () => {
    checkBytes(bytes, digest, 'manifest');
    assert.throws(() => checkBytes(Buffer.from('other'), digest, 'manifest'), (e) => isRegistryError(e, 'digestMismatch'));
    assert.throws(() => checkBytes(bytes, 'md5:abc', 'manifest'), (e) => isRegistryError(e, 'invalid'));
  });
});
