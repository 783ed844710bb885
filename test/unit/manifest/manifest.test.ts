import { strict as assert } from 'node:assert';
import { readFileSync, existsSync } from 'node:fs';

interface Manifest {
  main: string;
  bin: Record<string, string>;
  activationEvents: string[];
  engines: { vscode: string };
  contributes: {
    commands: Array<{ command: string; category?: string }>;
    yamlValidation: Array<{ url: string }>;
    customEditors: Array<{ viewType: string; priority: string; selector: Array<{ filenamePattern: string }> }>;
    grammars: Array<{ path: string }>;
    views: Record<string, Array<{ id: string }>>;
    menus: Record<string, Array<{ command: string }>>;
  };
}

const manifest = JSON.parse(readFileSync('package.json', 'utf8')) as Manifest;

describe('package.json manifest', () => {
  it('never activates on everything', () => {
    assert.ok(!manifest.activationEvents.includes('*'));
  });

  it('targets VS Code ^1.100.0 and pins @types/vscode to it', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { devDependencies: Record<string, string> };
    assert.equal(manifest.engines.vscode, '^1.100.0');
    assert.equal(pkg.devDependencies['@types/vscode'], '1.100.0');
  });

  it('puts every command in the AIOS category', () => {
    for (const c of manifest.contributes.commands) assert.equal(c.category, 'AIOS', c.command);
  });

  it('only references declared commands from menus', () => {
    const declared = new Set(manifest.contributes.commands.map((c) => c.command));
    for (const [menu, items] of Object.entries(manifest.contributes.menus)) {
      for (const item of items) assert.ok(declared.has(item.command), `${menu} uses undeclared ${item.command}`);
    }
  });

  it('points at files that exist', () => {
    for (const g of manifest.contributes.grammars) assert.ok(existsSync(g.path), g.path);
  });

  it('contributes yamlValidation schemas that exist', () => {
    assert.ok(manifest.contributes.yamlValidation.length >= 2);
    for (const v of manifest.contributes.yamlValidation) assert.ok(existsSync(v.url), v.url);
  });

  it('opens *.onnx in the graph editor by default', () => {
    const editor = manifest.contributes.customEditors.find((e) => e.viewType === 'aios.graph');
    assert.ok(editor);
    assert.equal(editor.priority, 'default');
    assert.deepEqual(editor.selector, [{ filenamePattern: '*.onnx' }]);
  });
});
