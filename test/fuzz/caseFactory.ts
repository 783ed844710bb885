import { mutateBytes, externalCase, hostileGraph, onnxCommands, seedModels } from './onnxCases';
import { mutateYaml, seedSocs, seedUseCases } from './yamlCases';
import { caseSeed, Rng } from './rng';
import type { CaseFiles, CaseSpec, Family } from './caseTypes';

export interface Seeds {
  readonly models: Uint8Array[];
  readonly useCases: string[];
  readonly socs: string[];
}

export async function loadSeeds(): Promise<Seeds> {
  return { models: await seedModels(), useCases: seedUseCases(), socs: seedSocs() };
}

const utf8 = new TextEncoder();

/** The folder parser-level cases share: the same neighbours as a YAML case. */
export function parseNeighbours(seeds: Seeds): CaseFiles {
  return yamlNeighbours(seeds);
}

/** Files every YAML case has beside it: a model, and the hostile neighbours its paths may name. */
function yamlNeighbours(seeds: Seeds): CaseFiles {
  return [
    { path: 'model.onnx', bytes: seeds.models[0]! },
    { path: 'link-out.onnx', symlink: '../../decoy/secret.onnx' },
    { path: 'zero-link.onnx', symlink: '/dev/zero' },
    { path: 'fifo.onnx', fifo: true },
    { path: 'dir/x', bytes: new Uint8Array(1) },
  ];
}

/** Case `index` of `family` in the run with `runSeed`: the same arguments always give the same case. */
export async function makeCase(family: Family, runSeed: number, index: number, seeds: Seeds): Promise<CaseSpec> {
  const rng = new Rng(caseSeed(runSeed, family, index));
  const base = { family, index };
  switch (family) {
    case 'onnx-bytes': {
      const { bytes, how } = mutateBytes(rng, rng.pick(seeds.models));
      return { ...base, how, files: [{ path: 'm.onnx', bytes }, { path: 'base.onnx', bytes: seeds.models[0]! }], commands: onnxCommands(rng, 'm.onnx', 'base.onnx') };
    }
    case 'onnx-graph': {
      const { model, how } = await hostileGraph(rng);
      return { ...base, how, files: [{ path: 'm.onnx', bytes: model }, { path: 'base.onnx', bytes: seeds.models[0]! }], commands: onnxCommands(rng, 'm.onnx', 'base.onnx') };
    }
    case 'onnx-external': {
      const { model, files, how } = await externalCase(rng);
      return { ...base, how, files: [...files, { path: 'm.onnx', bytes: model }, { path: 'base.onnx', bytes: seeds.models[0]! }], commands: onnxCommands(rng, 'm.onnx', 'base.onnx') };
    }
    case 'usecase-yaml': {
      const { text, how } = mutateYaml(rng, rng.pick(seeds.useCases));
      const json = rng.chance(0.3) ? ['--json'] : [];
      return { ...base, how, files: [...yamlNeighbours(seeds), { path: 'x.usecase.yaml', bytes: utf8.encode(text) }], commands: [['validate', 'x.usecase.yaml', ...json]] };
    }
    case 'soc-yaml': {
      const { text, how } = mutateYaml(rng, rng.pick(seeds.socs));
      const inTargets = rng.chance(0.5);
      const path = inTargets ? '.aios/targets/x.soc.yaml' : 'x.soc.yaml';
      return { ...base, how, files: [{ path, bytes: utf8.encode(text) }], commands: [inTargets ? ['targets', ...(rng.chance(0.5) ? ['--json'] : [])] : ['validate', path]] };
    }
  }
}
