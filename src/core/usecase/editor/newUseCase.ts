import { Document, isPair, isScalar, isSeq, visit } from 'yaml';
import { enginesSupporting, type Catalog } from '../../soc/catalog';
import type { ModelMetadata } from '../modelMetadata';
import type { Precision } from '../../compute/words';
import { domains, tensorDtypes, useCaseNamePattern } from '../schema';

export type Domain = (typeof domains)[number];

export interface NewUseCaseAnswers {
  readonly name: string;
  readonly domain: Domain;
  /** Model path as written in the file (relative to it); undefined: none chosen yet. */
  readonly modelPath?: string;
  /** What the chosen model declares, to write its inputs and outputs. */
  readonly model?: ModelMetadata;
  readonly targets: readonly string[];
}

/** Why `name` cannot be used, or undefined when it can. */
export function nameProblem(name: string, taken: ReadonlySet<string>): string | undefined {
  if (name.length === 0) return 'Enter a name, e.g. lane-keeping.';
  if (name.length > 63) return 'The name is longer than 63 characters.';
  if (!useCaseNamePattern.test(name)) return 'Use lower-case letters, digits and single hyphens, e.g. lane-keeping.';
  if (taken.has(name)) return `Another use case in the workspace is already named '${name}'.`;
  return undefined;
}

/** The most compressed precision every chosen target runs (int8 before fp16 before fp32). */
export function commonPrecision(catalog: Catalog, targets: readonly string[]): Precision {
  const order: Precision[] = ['int8', 'fp16', 'fp32'];
  for (const p of order) {
    if (targets.every((id) => {
      const t = catalog.get(id);
      return t === undefined || enginesSupporting(t, p).length > 0;
    })) return p;
  }
  return 'fp32';
}

const knownDtypes = new Set<string>(tensorDtypes);

function tensors(list: ModelMetadata['inputs'], withShape: boolean): Array<Record<string, unknown>> {
  return list.map((t) => {
    const out: Record<string, unknown> = { name: t.name };
    if (withShape && t.shape && t.shape.every((d) => d !== undefined && (typeof d === 'string' ? d.length > 0 : d >= 0))) out['shape'] = [...t.shape];
    if (t.dtype && knownDtypes.has(t.dtype)) out['dtype'] = t.dtype;
    return out;
  });
}

/** The text of a new `*.usecase.yaml` that validates without errors once its model exists. */
export function newUseCaseText(answers: NewUseCaseAnswers, catalog: Catalog): string {
  const precision = commonPrecision(catalog, answers.targets);
  const doc: Record<string, unknown> = {
    apiVersion: 'aios/v1',
    kind: 'UseCase',
    name: answers.name,
    domain: answers.domain,
    description: `TODO: what ${answers.name} does, in one or two sentences.`,
    safety: { asil: 'QM', sotif: false },
    model: {
      path: answers.modelPath ?? `models/${answers.name}.onnx`,
      ...(answers.model ? { inputs: tensors(answers.model.inputs, true), outputs: tensors(answers.model.outputs, false) } : {}),
    },
    calibration: { data: 'synthetic', samples: 64 },
    quantization: { precision, weights: 'per-channel', activations: 'per-tensor', method: 'minmax', minSqnrDb: 30 },
    targets: answers.targets.map((soc) => ({ soc })),
    release: { registry: 'local', repository: `aios/${answers.name}`, version: '0.1.0', channel: 'dev' },
  };
  const header = answers.modelPath === undefined ? `# model.path: put the ONNX model at models/${answers.name}.onnx (or change the path).\n` : '';
  const yaml = new Document(doc);
  // Shapes and tensor lists read best on one line each: `- {name: image, shape: [1, 3, 224, 224]}`.
  visit(yaml, {
    Pair(_, pair) {
      if (isPair(pair) && isScalar(pair.key) && pair.key.value === 'shape' && isSeq(pair.value)) pair.value.flow = true;
    },
  });
  return header + yaml.toString({ lineWidth: 0, flowCollectionPadding: false });
}

