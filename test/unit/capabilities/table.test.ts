import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { capabilities, hasSurface, isAvailable, pendingOn, stageNames } from '../../../src/core/capabilities/table';
import { implementedStages, pipelineStages } from '../../../src/core/pipeline/stages';
import { runCliCaptured } from '../cli/runCli';

interface Manifest {
  contributes: { commands: Array<{ command: string }>; menus: { commandPalette: Array<{ command: string; when: string }> } };
}
const manifest = JSON.parse(readFileSync('package.json', 'utf8')) as Manifest;
const cliName = (usage: string) => usage.split(' ')[0] ?? usage;

describe('capability table', () => {
  it('has unique ids, and every editor command belongs to exactly one capability', () => {
    assert.equal(new Set(capabilities.map((c) => c.id)).size, capabilities.length);
    const owned = capabilities.flatMap((c) => c.commands);
    assert.equal(new Set(owned).size, owned.length, 'no command in two capabilities');
  });

  it('names exactly the commands package.json declares', () => {
    const declared = manifest.contributes.commands.map((c) => c.command).sort();
    assert.deepEqual(capabilities.flatMap((c) => c.commands).sort(), declared);
  });

  it('the palette hides exactly the commands of capabilities that need trust', () => {
    const hidden = manifest.contributes.menus.commandPalette.filter((m) => m.when === 'isWorkspaceTrusted').map((m) => m.command).sort();
    assert.deepEqual(capabilities.filter((c) => c.needsTrust).flatMap((c) => c.commands).sort(), hidden);
  });

  it('lists only surfaces a capability has as available', () => {
    for (const c of capabilities) for (const s of c.availableIn) assert.ok(hasSurface(c, s), `${c.id} is available in ${s} but has no ${s} entry`);
  });

  it('the CLI registers exactly the commands of the table; pending ones say so and exit 2, landed ones do not', async () => {
    const help = await runCliCaptured(['--help']);
    const listed = [...help.stdout.matchAll(/^ {2}([a-z]+)\b/gm)].map((m) => m[1]).filter((n) => n !== 'help');
    assert.deepEqual(listed.sort(), capabilities.flatMap((c) => (c.cli ? [cliName(c.cli.usage)] : [])).sort());
    for (const c of capabilities) {
      if (!c.cli) continue;
      const own = (await runCliCaptured([cliName(c.cli.usage), '--help'])).stdout.replace(/\s+/g, ' ');
      assert.equal(own.includes('(not available yet)'), !isAvailable(c, 'cli'), `aios ${cliName(c.cli.usage)} --help: ${own}`);
    }
    for (const c of pendingOn('cli')) {
      const args = (c.cli?.usage ?? '').split(' ').map((w) => (w.startsWith('<') ? 'x' : w)).filter((w) => !w.startsWith('['));
      const run = await runCliCaptured(args);
      assert.equal(run.code, 2, `${args.join(' ')}: ${run.stderr}`);
      assert.equal(run.stderr, `aios: 'aios ${args[0]}' is not available yet in this version of AIOS Workbench\n`);
    }
  });

  it("README's CLI table gives each command the status the table does", () => {
    const readme = readFileSync('README.md', 'utf8');
    const rows = readme.split('\n').filter((l) => l.startsWith('| `aios '));
    for (const c of capabilities) {
      if (!c.cli) continue;
      const name = cliName(c.cli.usage);
      const row = rows.find((r) => r.includes(`\`aios ${name} `) || r.includes(`\`aios ${name}\``));
      assert.ok(row, `README lists aios ${name}`);
      const status = row.split('|').at(-2)?.trim() ?? '';
      assert.equal(status.startsWith('not available yet'), !isAvailable(c, 'cli'), `README status of aios ${name}: ${status}`);
    }
  });

  it("every option the table lists is in the command's --help and in its README row", async () => {
    const rows = readFileSync('README.md', 'utf8').split('\n').filter((l) => l.startsWith('| `aios '));
    for (const c of capabilities) {
      if (!c.cli?.options) continue;
      const name = cliName(c.cli.usage);
      const help = (await runCliCaptured([name, '--help'])).stdout;
      const row = rows.find((r) => r.includes(`\`aios ${name} `) || r.includes(`\`aios ${name}\``)) ?? '';
      for (const [flags] of c.cli.options) {
        const flag = flags.split(' ')[0]!;
        assert.ok(new RegExp(`${flag}\\b`).test(help), `aios ${name} --help lists ${flag}`);
        assert.ok(new RegExp(`${flag}\\b`).test(row), `README's row of aios ${name} lists ${flag}`);
      }
    }
  });

  it('aios run has a stage for each stage capability, in SPEC order, running exactly the landed ones', () => {
    assert.deepEqual(capabilities.flatMap((c) => (c.stage ? [c.stage] : [])).sort(), [...stageNames].sort());
    const landed = capabilities.filter((c) => c.stage && c.stage !== 'validate' && isAvailable(c, 'pipeline')).map((c) => c.stage);
    assert.deepEqual(Object.keys(implementedStages).sort(), landed.sort());
    const { loader, stages } = pipelineStages();
    assert.deepEqual([loader.name, ...stages.map((s) => s.name)], [...stageNames]);
  });
});
