import { strict as assert } from 'node:assert';
import { gunzipSync } from 'node:zlib';
import { buildModelPayload } from '../../../src/core/graphview/buildPayload';
import { renderGraphHtml } from '../../../src/core/graphview/exportHtml';
import { graphPayloadSchema } from '../../../src/protocol/graphPayload';
import { fromColumns } from '../../../src/protocol/graphRows';
import { hostileModel, hostileNames } from './testModels';

describe('hostile names in the graph payload and page', () => {
  it('keeps names, op types, domains and doc strings byte for byte (no escaping, no loss)', async () => {
    const payload = await buildModelPayload(hostileModel(), { title: hostileNames.script });
    const parsed = graphPayloadSchema.safeParse(JSON.parse(JSON.stringify(payload)));
    assert.ok(parsed.success);
    const rows = fromColumns(parsed.data.graphs[0]!);
    const names = rows.nodes.map((n) => n.name);
    for (const name of [hostileNames.img, hostileNames.control, hostileNames.json]) assert.ok(names.includes(name), name);
    assert.ok(rows.tensors.some((t) => t.name === hostileNames.script));
    assert.ok(rows.tensors.some((t) => t.name === hostileNames.entity && t.initializer));
    const custom = rows.nodes.find((n) => n.name === 'custom')!;
    assert.equal(custom.op, '<b>Bold</b>');
    assert.equal(custom.domain, 'evil.<i>');
    assert.equal(rows.nodes.find((n) => n.name === hostileNames.img)!.doc, '<img src=y onerror=alert(4)>\nsecond line');
    assert.equal(parsed.data.model.doc, '<script>alert("doc")</script>');
  });

  it('puts no hostile string into the page markup: data travels compressed in an inert element', async () => {
    const payload = await buildModelPayload(hostileModel(), { title: hostileNames.script });
    const html = renderGraphHtml({ payload, weights: {}, appScript: 'void 0;', workerScript: 'void 0;', nonce: 'bm9uY2U=' });
    for (const hostile of ['<img src=x', '</script><script>alert', 'onerror', '<svg', '<b>Bold']) assert.ok(!html.includes(hostile), `page contains ${hostile}`);
    assert.match(html, /<title>&#60;\/script&#62;&#60;script&#62;alert\(2\)&#60;\/script&#62; · AIOS model graph<\/title>/);
    const data = /<script type="application\/octet-stream" id="aios-graph-data" data-encoding="gzip\+base64">([A-Za-z0-9+/=]+)<\/script>/.exec(html);
    assert.ok(data, 'data element');
    const decoded = JSON.parse(gunzipSync(Buffer.from(data[1]!, 'base64')).toString('utf8')) as { payload: unknown };
    assert.deepEqual(decoded.payload, JSON.parse(JSON.stringify(payload)));
  });

  it('allows nothing external in the page CSP and refuses a bundle that would end its script element', async () => {
    const payload = await buildModelPayload(hostileModel(), { title: 'x' });
    const html = renderGraphHtml({ payload, weights: {}, appScript: 'void 0;', workerScript: 'void 0;', nonce: 'bm9uY2U=' });
    const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1] ?? '';
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'nonce-bm9uY2U='/);
    assert.match(csp, /connect-src 'none'/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|https?:|\*/);
    assert.throws(() => renderGraphHtml({ payload, weights: {}, appScript: 'a="</script>"', workerScript: '', nonce: 'n' }), /cannot be inlined/);
  });
});
