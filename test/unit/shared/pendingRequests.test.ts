import { strict as assert } from 'node:assert';
import { PendingRequests, RequestCancelled, RequestTimedOut } from '../../../src/shared/pendingRequests';

/** A fake channel: records what was sent, answers when the test says so. */
function channel<R, P = never>(options: ConstructorParameters<typeof PendingRequests<R, P>>[0] = {}) {
  const sent: number[] = [];
  const abandoned: Array<[number, string]> = [];
  const pending = new PendingRequests<R, P>({ ...options, onAbandon: (id, why) => abandoned.push([id, why]) });
  return { pending, sent, abandoned, ask: (opts = {}) => pending.request((id) => sent.push(id), opts) };
}

describe('PendingRequests (request/response over any message channel)', () => {
  it('matches out-of-order answers to their requests by id', async () => {
    const { pending, sent, ask } = channel<string>();
    const a = ask();
    const b = ask();
    const c = ask();
    assert.equal(new Set(sent).size, 3, 'every request gets its own id');
    assert.ok(pending.resolve(sent[2]!, 'third'));
    assert.ok(pending.resolve(sent[0]!, 'first'));
    assert.ok(pending.reject(sent[1]!, new Error('second failed')));
    assert.equal(await a, 'first');
    await assert.rejects(b, /second failed/);
    assert.equal(await c, 'third');
    assert.equal(pending.size, 0);
  });

  it('ignores answers for unknown, already answered or never-sent ids', async () => {
    const { pending, sent, ask } = channel<number>();
    const a = ask();
    assert.equal(pending.resolve(9999, 1), false);
    assert.equal(pending.reject(9999, new Error('x')), false);
    assert.equal(pending.progress(9999, undefined as never), false);
    assert.ok(pending.resolve(sent[0]!, 7));
    assert.equal(pending.resolve(sent[0]!, 8), false, 'a second answer is dropped');
    assert.equal(await a, 7);
  });

  it('times out with a clear error and tells the other side to stop', async () => {
    const { pending, sent, abandoned, ask } = channel<number>();
    const started = Date.now();
    await assert.rejects(ask({ timeoutMs: 30 }), (e: unknown) => e instanceof RequestTimedOut && e.name === 'TimeoutError' && /no answer within 0 s/.test(e.message));
    assert.ok(Date.now() - started >= 25, 'not before the timeout');
    assert.deepEqual(abandoned, [[sent[0], 'timeout']]);
    assert.equal(pending.resolve(sent[0]!, 1), false, 'a late answer is dropped');
    const custom = new PendingRequests<number>({ timeoutError: (ms) => new Error(`reader silent for ${ms} ms`) });
    await assert.rejects(custom.request(() => undefined, { timeoutMs: 10 }), /reader silent for 10 ms/);
  });

  it('rejects with AbortError on abort, before and after sending, and tells the other side', async () => {
    const { pending, sent, abandoned, ask } = channel<number>();
    const already = new AbortController();
    already.abort();
    await assert.rejects(ask({ signal: already.signal }), (e: unknown) => e instanceof RequestCancelled && e.name === 'AbortError');
    assert.equal(sent.length, 0, 'an aborted request is never sent');
    const later = new AbortController();
    const a = ask({ signal: later.signal, timeoutMs: 10_000 });
    later.abort();
    await assert.rejects(a, RequestCancelled);
    assert.deepEqual(abandoned, [[sent[0], 'cancelled']]);
    assert.equal(pending.size, 0, 'the timer and entry are gone');
  });

  it('cancel() rejects one request with the given error', async () => {
    const { pending, sent, ask } = channel<number>();
    const a = ask();
    const b = ask();
    assert.ok(pending.cancel(sent[0]!, new RequestCancelled('superseded')));
    assert.equal(pending.cancel(sent[0]!), false);
    await assert.rejects(a, /superseded/);
    pending.resolve(sent[1]!, 2);
    assert.equal(await b, 2);
  });

  it('delivers progress messages before the answer, only to their own request', async () => {
    const { pending, sent, ask } = channel<string, number>();
    const seenA: number[] = [];
    const seenB: number[] = [];
    const a = ask({ onProgress: (n: number) => seenA.push(n) });
    const b = ask({ onProgress: (n: number) => seenB.push(n) });
    pending.progress(sent[0]!, 1);
    pending.progress(sent[1]!, 10);
    pending.progress(sent[0]!, 2);
    pending.resolve(sent[0]!, 'done');
    assert.equal(pending.progress(sent[0]!, 3), false, 'no progress after the answer');
    assert.equal(await a, 'done');
    assert.deepEqual(seenA, [1, 2]);
    assert.deepEqual(seenB, [10]);
    pending.resolve(sent[1]!, 'b');
    await b;
  });

  it('fails everything pending when the other side crashes, and keeps working afterwards', async () => {
    const { pending, sent, ask } = channel<number>();
    const all = [ask({ timeoutMs: 10_000 }), ask(), ask()];
    pending.failAll(new Error('worker crashed'));
    for (const p of all) await assert.rejects(p, /worker crashed/);
    assert.equal(pending.size, 0);
    const next = ask();
    pending.resolve(sent[3]!, 4);
    assert.equal(await next, 4);
  });

  it('dispose fails what is pending and refuses new requests without sending them', async () => {
    const { pending, sent, ask } = channel<number>();
    const a = ask({ timeoutMs: 10_000 });
    pending.dispose(new Error('view closed'));
    await assert.rejects(a, /view closed/);
    await assert.rejects(ask(), /view closed/);
    assert.equal(sent.length, 1);
    assert.ok(pending.disposed);
    const custom = new PendingRequests<number>({ disposedError: () => new Error('closed, reopen it') });
    custom.dispose(new Error('x'));
    await assert.rejects(custom.request(() => undefined), /closed, reopen it/);
  });

  it('a send that throws rejects its request and leaves nothing pending', async () => {
    const pending = new PendingRequests<number>();
    await assert.rejects(pending.request(() => { throw new Error('channel closed'); }, { timeoutMs: 10_000 }), /channel closed/);
    assert.equal(pending.size, 0);
  });

  it('uses a shared id source when given one', async () => {
    let next = 100;
    const ids = () => next++;
    const a = new PendingRequests<number>({ nextId: ids });
    const b = new PendingRequests<number>({ nextId: ids });
    const seen: number[] = [];
    const pa = a.request((id) => seen.push(id));
    const pb = b.request((id) => seen.push(id));
    assert.deepEqual(seen, [100, 101]);
    assert.equal(a.resolve(101, 1), false, 'ids of the other tracker are unknown here');
    a.resolve(100, 1);
    b.resolve(101, 2);
    assert.deepEqual([await pa, await pb], [1, 2]);
  });
});
