import { strict as assert } from 'node:assert';
import { contentSecurityPolicy, pageHtml } from '../../../src/core/webview/pageHtml';

function cspOf(html: string): string {
  return /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1] ?? '';
}

describe('pageHtml (one CSP/nonce page for every webview)', () => {
  it('gives every page a fresh random nonce, used by each script and the CSP', () => {
    const one = pageHtml({ title: 't', scripts: [{ src: 'https://file+.vscode-resource.x/app.js' }, { inline: 'void 0;' }] });
    const two = pageHtml({ title: 't', scripts: [{ inline: 'void 0;' }] });
    const nonce = /script-src 'nonce-([A-Za-z0-9+/=]+)'/.exec(cspOf(one))?.[1];
    assert.ok(nonce && nonce.length >= 24, 'a base64 nonce of 18 random bytes');
    assert.notEqual(nonce, /script-src 'nonce-([A-Za-z0-9+/=]+)'/.exec(cspOf(two))?.[1]);
    assert.equal(one.split(`nonce="${nonce}"`).length - 1, 2, 'both scripts carry the nonce');
    assert.doesNotMatch(one, /<script(?![^>]*nonce=)(?![^>]*type=)[^>]*>/, 'no executable script without the nonce');
  });

  it('a standalone page may load nothing; a VS Code page only from its resource origin', () => {
    const standalone = contentSecurityPolicy('n', undefined, true);
    assert.match(standalone, /default-src 'none'/);
    assert.match(standalone, /font-src 'none'/);
    assert.match(standalone, /connect-src 'none'/);
    assert.match(standalone, /worker-src blob:/);
    assert.doesNotMatch(standalone, /unsafe-inline|unsafe-eval|https?:|\*/);
    const webview = contentSecurityPolicy('n', 'https://*.vscode-cdn.net', false);
    assert.match(webview, /style-src 'nonce-n' https:\/\/\*\.vscode-cdn\.net/);
    assert.match(webview, /script-src 'nonce-n';/, 'scripts need the nonce even from the resource origin');
    assert.doesNotMatch(webview, /worker-src/);
    assert.doesNotMatch(webview, /unsafe-inline|unsafe-eval/);
  });

  it('a page without scripts (the run report) gets its style sheet under the nonce and its body markup, no unsafe-inline', () => {
    const html = pageHtml({ title: 'report', scripts: [], style: 'td { color: red; }', body: '<table><tr><td>x</td></tr></table>\n' });
    const nonce = /style-src 'nonce-([A-Za-z0-9+/=]+)'/.exec(cspOf(html))?.[1];
    assert.ok(nonce);
    assert.ok(html.includes(`<style nonce="${nonce}">td { color: red; }</style>`));
    assert.match(html, /<body>\n<table><tr><td>x<\/td><\/tr><\/table>\n<\/body>/);
    assert.doesNotMatch(cspOf(html), /unsafe-inline/);
    assert.throws(() => pageHtml({ title: 't', scripts: [], style: 'a{}</style><script>x()</script>' }), /contains "<\/style"/);
  });

  it('escapes the title and attributes, keeps data inert and refuses text that would end its element', () => {
    const html = pageHtml({
      title: '</title><script>alert(1)</script>',
      nonce: 'abc',
      scripts: [{ src: 'x.js?a="b"' }],
      data: [{ id: 'd', type: 'application/json', text: '{"a":1}', attributes: { 'data-x': '"><img>' } }],
    });
    assert.match(html, /<title>&#60;\/title&#62;&#60;script&#62;alert\(1\)&#60;\/script&#62;<\/title>/);
    assert.match(html, /<script type="application\/json" id="d" data-x="&#34;&#62;&#60;img&#62;">\{"a":1\}<\/script>/);
    assert.match(html, /src="x\.js\?a=&#34;b&#34;"/);
    assert.throws(() => pageHtml({ title: 't', scripts: [{ inline: 'a="</script>"' }] }), /app bundle contains "<\/script" and cannot be inlined/);
    assert.throws(() => pageHtml({ title: 't', scripts: [], data: [{ id: 'd', type: 'text/plain', text: '</SCRIPT>' }] }), /page data "d"/);
  });
});
