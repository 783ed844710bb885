import { basename } from 'node:path';
import { isMapping } from './rawValues';
import type { Diagnostic } from './types';
import { makeDiagnostic, valueRange, type ParsedYaml } from './yamlDocument';

const fileKinds = {
  UseCase: { suffix: '.usecase.yaml', noun: 'use case', where: '' },
  SocTarget: { suffix: '.soc.yaml', noun: 'SoC target', where: ' (in .aios/targets/ to add it to the workspace catalog)' },
} as const;

type FileKind = keyof typeof fileKinds;

/**
 * A use case saved as `*.soc.yaml` or a SoC target saved as `*.usecase.yaml`: one diagnostic
 * that says so, instead of a schema error for every key of the other format.
 */
export function kindMismatch(parsed: ParsedYaml, expected: FileKind, filePath: string | undefined): Diagnostic | undefined {
  const value = parsed.value;
  if (!parsed.usable || !isMapping(value)) return undefined;
  const kind = value['kind'];
  if (kind === expected || (kind !== 'UseCase' && kind !== 'SocTarget')) return undefined;
  const actual = fileKinds[kind];
  const name = filePath ? basename(filePath).replace(/\.(usecase|soc)\.ya?ml$|\.ya?ml$/, '') : 'name';
  return makeDiagnostic(
    'AIOS209',
    `this file describes a ${actual.noun} (kind: ${kind}) but is named as a ${fileKinds[expected].noun} file: rename it to ${name}${actual.suffix}${actual.where}`,
    valueRange(parsed, ['kind']),
    { path: ['kind'] },
  );
}
