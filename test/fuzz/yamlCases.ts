/**
 * YAML families: use-case and SoC files, from the real samples and the built-in catalog,
 * mutated line by line and value by value, plus bombs, deep nesting, duplicate keys and
 * paths that leave the workspace.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { builtinTargetInputs } from '../../src/core/soc/catalog';
import { hostInfoFromOs } from '../../src/core/soc/hostInfo';
import { hostileString } from './hostileText';
import type { Rng } from './rng';

function filesUnder(dir: string, suffix: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...filesUnder(path, suffix));
    else if (name.endsWith(suffix)) out.push(path);
  }
  return out;
}

export function seedUseCases(): string[] {
  return filesUnder('samples', '.usecase.yaml').map((f) => readFileSync(f, 'utf8'));
}

export function seedSocs(): string[] {
  return builtinTargetInputs(hostInfoFromOs()).map((t) => stringify(t));
}

const hostilePaths = ['../../decoy/secret.onnx', '/etc/shadow', '../../../../../../etc/passwd', 'link-out.onnx', 'fifo.onnx', '/dev/zero', 'zero-link.onnx', 'dir', 'x'.repeat(5000), 'model.onnx\0.txt', '~/.ssh/id_rsa', 'C:\\Windows\\win.ini', 'model.onnx'];

const hostileValues = (rng: Rng): string => {
  const v = rng.pick<() => string>([
    () => JSON.stringify(hostileString(rng)),
    () => String(rng.pick([-1, 0, 1e308, -1e308, 2 ** 53 + 1, NaN])),
    () => rng.pick(['.nan', '.inf', '-.inf', '~', 'null', 'true', '[]', '{}', '!!binary aGVsbG8=', '*undefined_alias', '&a [*a]', '!!python/object:os.system ls']),
    () => JSON.stringify(rng.pick(hostilePaths)),
    () => `${'['.repeat(rng.int(5000))}${']'.repeat(rng.int(5000))}`,
    () => `"${'\\u0000'.repeat(rng.int(10))}\\x1b]0;T\\x07"`,
  ]);
  return v();
};

/** A "billion laughs" alias expansion. */
function bomb(rng: Rng): string {
  const levels = 5 + rng.int(6);
  const lines = ['a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
  for (let i = 1; i < levels; i++) lines.push(`a${i}: &a${i} [${Array(9).fill(`*a${i - 1}`).join(', ')}]`);
  lines.push(`name: *a${levels - 1}`);
  return lines.join('\n');
}

const oddNumbers = ['1e999', '-1e999', '-0', '.nan', '.NaN', '.inf', '-.inf', '0x20', '0o40', '040', '0b11', '1_000', '+32', '1e-999', '9007199254740993', '99999999999999999999999', '0x', '~', '5e-324', '"32"', '.5', '5.', "'1'"];
const oddUnits = (unit: string): string[] => [`8 ${unit}`, `8${unit} `, `"8${unit} "`, `0.5 GB`, `8${unit.toUpperCase()}`, `8${unit}${unit}`, `${unit}`, `８${unit}`, `8\u00a0${unit}`, `8 ms # note`, '1h', '5us', '5µs', '32 Mi B', '1YiB', '2mW', '1,5ms', '-5ms'];

/** YAML's own features, where a user or an attacker may put them: anchors, merge keys, tags, directives, encodings, line ends. */
function yamlFeature(rng: Rng, seed: string): { text: string; how: string } {
  const keyLine = /^(\s*)([A-Za-z]+): (\S.*)$/gm;
  const spots = [...seed.matchAll(keyLine)];
  const spot = spots.length > 0 ? rng.pick(spots) : undefined;
  const replaceValue = (value: string): string => (spot ? seed.slice(0, spot.index!) + `${spot[1]}${spot[2]}: ${value}` + seed.slice(spot.index! + spot[0].length) : seed);
  const feature = rng.int(10);
  switch (feature) {
    case 0:
      return { text: replaceValue(rng.pick(['!!binary aGVsbG8=', '!!js/function "function(){return 1}"', '!!js/regexp /.*/', '!!js/undefined ~', '!!python/object/apply:os.system ["id"]', '!!set {a, b}', '!!omap [a: 1]', '!!timestamp 2001-12-14', '!custom 1', '!<tag:yaml.org,2002:str> 1', '!!int "12"', '!!float x', '!!str', '!!map [1]'])), how: 'tag' };
    case 1:
      return { text: `x-base: &b\n  soc: host-cpu\n  engine: cpu\n${seed.replace(/^(\s*)- soc: .*$/m, '$1- <<: *b')}`, how: 'merge key' };
    case 2:
      return { text: `${seed}\n${rng.pick(['<<: {name: other}', '<<: [*undefined]', '<<: 1', 'a: &a {<<: *a}', 'x: &x [*x]', '? [complex, key]\n: 1', '? |\n  block key\n: 1'])}\n`, how: 'merge key or anchor oddity' };
    case 3:
      return { text: rng.pick(['\ufeff', '\ufeff\ufeff', '\ufffe']) + seed, how: 'byte order mark' };
    case 4: {
      // UTF-16 as a careless editor saves it: every ASCII character followed (LE) or preceded (BE) by NUL.
      const le = rng.chance(0.5);
      return { text: (rng.chance(0.5) ? (le ? '\u00ff\u00fe' : '\u00fe\u00ff') : '') + [...seed].map((c) => (le ? `${c}\0` : `\0${c}`)).join(''), how: `UTF-16 ${le ? 'LE' : 'BE'}` };
    }
    case 5:
      return { text: seed.replace(/\n/g, rng.pick(['\r\n', '\r', '\n\r', '\u2028', '\u0085'])), how: 'line ends' };
    case 6:
      return { text: seed.replace(/^( +)/gm, (m) => (rng.chance(0.3) ? m.replace(/  /g, '\t') : m)).replace(/: /g, () => (rng.chance(0.1) ? ':\t' : ': ')), how: 'tabs' };
    case 7:
      return { text: rng.pick(['%YAML 1.1\n---\n', '%YAML 9.9\n---\n', '%TAG !e! tag:example.com,2000:\n---\n', '---\n', '--- !!map\n', '%FOO bar\n---\n']) + seed + rng.pick(['', '\n...\n', '\n---\n', '\n...\ngarbage']), how: 'directives and document markers' };
    case 8:
      return { text: replaceValue(`"${'x'.repeat(rng.size(10_000, 2_000_000, 0.05))}"`), how: 'very long line' };
    default:
      return { text: replaceValue(rng.pick(['__proto__', 'constructor', 'toString', '{__proto__: {polluted: 1}}', '[__proto__]', '{constructor: {prototype: 1}}'])), how: 'prototype keys as values' };
  }
}

/** One mutated YAML text. */
export function mutateYaml(rng: Rng, seed: string): { text: string; how: string } {
  const lines = seed.split('\n');
  const kind = rng.int(12);
  switch (kind) {
    case 0: {
      const n = 1 + rng.int(5);
      for (let i = 0; i < n; i++) lines.splice(rng.int(lines.length), 1);
      return { text: lines.join('\n'), how: `${n} lines deleted` };
    }
    case 1: {
      // Replace a scalar value with a hostile one.
      const candidates = lines.map((l, i) => [l, i] as const).filter(([l]) => /:\s*\S/.test(l));
      const [line, i] = candidates.length > 0 ? rng.pick(candidates) : (['x: 1', 0] as const);
      lines[i] = `${line.slice(0, line.indexOf(':') + 1)} ${hostileValues(rng)}`;
      return { text: lines.join('\n'), how: `value on line ${i + 1} replaced` };
    }
    case 2: {
      const at = rng.int(seed.length + 1);
      return { text: seed.slice(0, at), how: `truncated at ${at}` };
    }
    case 3:
      return { text: bomb(rng), how: 'alias bomb' };
    case 4: {
      const n = 1 + rng.size(2000, 100_000, 0.01);
      return { text: `${seed}\n${Array.from({ length: n }, (_, i) => `k${i % 7}: ${i}`).join('\n')}`, how: `${n} duplicate keys` };
    }
    case 5: {
      const depth = 100 + rng.int(20_000);
      return { text: `${seed}\nnested: ${'{a: '.repeat(depth)}1${'}'.repeat(depth)}`, how: `${depth} nested mappings` };
    }
    case 6: {
      const text = seed.replace(/path: .*/g, () => `path: ${JSON.stringify(rng.pick(hostilePaths))}`).replace(/data: .*/g, () => `data: ${JSON.stringify(rng.pick(hostilePaths))}`);
      return { text, how: 'paths replaced' };
    }
    case 7: {
      const chars = Array.from({ length: 1 + rng.int(20) }, () => String.fromCharCode(rng.pick([0, 7, 8, 0x1b, 0x9b, 0x7f, 0x202e, 0xfeff, 0xd800, 0x2028])));
      const at = rng.int(seed.length + 1);
      return { text: seed.slice(0, at) + chars.join('') + seed.slice(at), how: `control characters at ${at}` };
    }
    case 9:
      return yamlFeature(rng, seed);
    case 10: {
      // A number or quantity where the file has one: the spellings YAML and careless users allow.
      const spots = [...seed.matchAll(/: (-?[0-9][0-9.]*[A-Za-z]*)$/gm)];
      if (spots.length === 0) return { text: seed, how: 'no number to replace' };
      const spot = rng.pick(spots);
      const unit = spot[1]!.replace(/^-?[0-9.]+/, '');
      const value = rng.pick([...oddNumbers, ...oddNumbers.map((n) => `${n}${unit}`), ...oddUnits(unit)]);
      const at = spot.index! + 2;
      return { text: seed.slice(0, at) + value + seed.slice(at + spot[1]!.length), how: `number ${JSON.stringify(spot[1])} -> ${JSON.stringify(value)}` };
    }
    case 11: {
      // A dataLoop trigger condition: deep, long, odd operators and names.
      const when = rng.pick<() => string>([
        () => `${'('.repeat(rng.size(50, 20_000))}occupancy.child > 0.5${')'.repeat(rng.size(50, 20_000))}`,
        () => `x > 0${' and x > 0'.repeat(rng.size(300, 10_000))}`,
        () => `${rng.pick(['-', 'not ', '!'])}`.repeat(rng.size(100, 10_000)) + 'x > 0',
        () => `${'max('.repeat(rng.size(70, 5000))}x${')'.repeat(rng.size(70, 5000))} > 0`,
        () => `${hostileString(rng).slice(0, 500)} > ${rng.pick(oddNumbers)}`,
        () => rng.pick(['`', '``', 'x[1e999] > 0', 'x[-1] > 0', 'x.constructor > 0', '__proto__ > 0', 'x > 0 >', '', '((((', 'max() > 0', 'x == NaN', 'x > 1e999']),
      ])();
      const text = /when: .*/.test(seed) ? seed.replace(/when: .*/, `when: ${JSON.stringify(when)}`) : `${seed}\ndataLoop:\n  data: data/\n  triggers:\n    - when: ${JSON.stringify(when)}\n      capture: 10s\n`;
      return { text, how: `trigger ${JSON.stringify(when.slice(0, 60))}` };
    }
    default: {
      const bytes = Buffer.from(seed, 'utf8');
      for (let i = 0; i < 1 + rng.int(10); i++) bytes[rng.int(bytes.length)] = rng.int(256);
      return { text: bytes.toString('latin1'), how: 'random bytes' };
    }
  }
}

export const yamlFiles = {
  hostilePaths,
};
