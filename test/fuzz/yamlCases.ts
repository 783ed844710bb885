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

/** One mutated YAML text. */
export function mutateYaml(rng: Rng, seed: string): { text: string; how: string } {
  const lines = seed.split('\n');
  const kind = rng.int(9);
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
