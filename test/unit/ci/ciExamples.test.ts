import { strict as assert } from 'node:assert';
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse } from 'yaml';
import { runCliCaptured } from '../cli/runCli';

const root = process.cwd();
const examples = ['docs/ci/github-actions.yml', 'docs/ci/gitlab-ci.yml'];

/** Every shell script of a CI file: GitHub steps' `run`, GitLab jobs' `script` and `before_script`. */
function scripts(value: unknown, key = ''): string[] {
  if (typeof value === 'string') return ['run', 'script', 'before_script'].includes(key) ? [value] : [];
  if (Array.isArray(value)) return value.flatMap((v) => scripts(v, key));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => scripts(v, k));
  return [];
}

/** Shell words of one simple command (quotes removed, `$VAR`s kept as written). */
function words(command: string): string[] {
  const out: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)/g;
  for (let m = re.exec(command); m; m = re.exec(command)) out.push(m[1] ?? m[2] ?? m[3] ?? '');
  return out;
}

/** The `aios …` command lines of a script, one word list each, without redirections. */
function aiosCommands(script: string): string[][] {
  return script
    .replace(/\\\n/g, ' ')
    .split('\n')
    .flatMap((line) => line.replace(/(^|\s)#.*$/, '').split(/&&|\|\||[;|]/))
    .map((command) => words(command.trim()))
    .filter((w) => w[0] === 'aios')
    .map((w) => {
      const kept: string[] = [];
      for (let i = 0; i < w.length; i++) {
        const word = w[i]!;
        if (/^\d?>>?$/.test(word)) i++;
        else if (!/^\d?>/.test(word)) kept.push(word);
      }
      return kept;
    });
}

async function cliCommands(): Promise<Set<string>> {
  const help = await runCliCaptured(['--help']);
  assert.equal(help.code, 0);
  return new Set([...help.stdout.matchAll(/^ {2}([a-z][a-z-]*)\b/gm)].map((m) => m[1]!));
}

async function flagsOf(command: string): Promise<Set<string>> {
  const help = await runCliCaptured([command, '--help']);
  assert.equal(help.code, 0, `aios ${command} --help: ${help.stderr}`);
  return new Set([...help.stdout.matchAll(/^ {2}(?:-\w, )?(--[a-z][a-z-]*)/gm)].map((m) => m[1]!));
}

describe('CI examples (docs/ci)', () => {
  const parsed = new Map(examples.map((file) => [file, parse(readFileSync(join(root, file), 'utf8')) as unknown]));

  it('parse as YAML and hold aios command lines', () => {
    for (const [file, doc] of parsed) {
      assert.ok(doc && typeof doc === 'object', `${file} is a mapping`);
      const lines = scripts(doc).flatMap(aiosCommands);
      assert.ok(lines.length >= 3, `${file} runs aios at least three times (validate, run, release); found ${lines.length}`);
    }
  });

  it('name only real aios commands and flags', async () => {
    const commands = await cliCommands();
    const flags = new Map<string, Set<string>>();
    for (const [file, doc] of parsed) {
      for (const line of scripts(doc).flatMap(aiosCommands)) {
        const command = line[1] ?? '';
        assert.ok(commands.has(command), `${file}: '${line.join(' ')}': aios has no command '${command}' (it has ${[...commands].join(', ')})`);
        if (!flags.has(command)) flags.set(command, await flagsOf(command));
        for (const word of line.slice(2).filter((w) => w.startsWith('--'))) {
          const flag = word.split('=')[0]!;
          assert.ok(flags.get(command)!.has(flag), `${file}: '${line.join(' ')}': aios ${command} has no flag ${flag}`);
        }
      }
    }
  });

  it('run every use case with --json and release it to an OCI registry with a key', () => {
    for (const [file, doc] of parsed) {
      const lines = scripts(doc).flatMap(aiosCommands);
      const run = lines.find((l) => l[1] === 'run');
      assert.ok(run?.includes('--json'), `${file} runs aios run --json`);
      const release = lines.find((l) => l[1] === 'release');
      assert.ok(release, `${file} releases`);
      const registry = release[release.indexOf('--registry') + 1] ?? '';
      assert.match(registry, /^oci:\/\/\S+/, `${file}: --registry oci://…`);
      assert.ok(release.includes('--key'), `${file}: the release is signed with a key from the CI's secrets`);
    }
  });

  it('the word splitter finds commands after &&, in pipes and across continuations', () => {
    assert.deepEqual(aiosCommands('npm ci && aios validate x \\\n  --json > out.json 2>err | jq .'), [['aios', 'validate', 'x', '--json']]);
    assert.deepEqual(aiosCommands('echo aios run # aios release'), []);
  });

  it("GitLab's static matrix lists exactly the sample use cases", () => {
    const doc = parsed.get('docs/ci/gitlab-ci.yml') as Record<string, { parallel?: { matrix?: Array<{ USECASE?: string[] }> } }>;
    const listed = doc['.use-cases']?.parallel?.matrix?.[0]?.USECASE ?? [];
    const samples = join(root, 'samples');
    const found = readdirSync(samples, { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.usecase.yaml'))
      .map((f) => relative(root, join(samples, f)).split('\\').join('/'));
    assert.deepEqual([...listed].sort(), found.sort());
  });
});
