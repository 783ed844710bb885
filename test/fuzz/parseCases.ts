/**
 * Parser-level families, many cases per second: `onnx-parse` reads mutated or hostile model
 * bytes from memory and runs what inspect and diff run on them (shape inference, cost model,
 * summary, diff); `yaml-parse` validates mutated use-case and SoC texts (the use cases against a
 * folder with a model beside them). They call the core directly, without the CLI around it: a
 * thrown error that is not an input error is counted as an internal error.
 */
import { promises as fsp } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../../src/core/inputError';
import { nodeFileSystem } from '../../src/core/fs';
import { diffModels } from '../../src/core/onnx/diff';
import { readModelBytes, readModelFile } from '../../src/core/onnx/read';
import { InputShapeError } from '../../src/core/onnx/shape/infer';
import { inspectModel } from '../../src/core/onnx/summary';
import { builtinCatalog } from '../../src/core/soc/catalog';
import { hostInfoFromOs } from '../../src/core/soc/hostInfo';
import { validateSoc } from '../../src/core/soc/validateSoc';
import { ModelMetadataCache } from '../../src/core/usecase/modelMetadata';
import { validateUseCase } from '../../src/core/usecase/validateUseCase';
import { hostileGraph, mutateBytes } from './onnxCases';
import { mutateYaml } from './yamlCases';
import { caseSeed, Rng } from './rng';
import type { Seeds } from './caseFactory';
import type { ParseFamily } from './caseTypes';

// The built-in catalog is the same for every case: reading the host's figures and building it
// once per batch, not per case, is setup the CLI does once per command too.
let builtCatalog: ReturnType<typeof builtinCatalog> | undefined;
const catalog = () => (builtCatalog ??= builtinCatalog(hostInfoFromOs()));

/** One parser-level case: what it was, and the problems found (an internal error, or none). */
export async function runParseCase(family: ParseFamily, runSeed: number, index: number, seeds: Seeds, folder: string): Promise<{ how: string; command: string; problems: string[]; sample?: string }> {
  const rng = new Rng(caseSeed(runSeed, family, index));
  let how = '';
  let command = '';
  try {
    if (family === 'onnx-parse') {
      const made = rng.chance(0.8) ? mutateBytes(rng, rng.pick(seeds.models)) : await hostileGraph(rng).then((g) => ({ bytes: g.model, how: g.how }));
      how = made.how;
      command = 'readModelBytes + inspectModel + diffModels';
      const model = readModelBytes(made.bytes, { externalDataDir: folder });
      await inspectModel(model, { tensors: true });
      await diffModels(model, model);
    } else {
      const useCase = rng.chance(0.6);
      const made = mutateYaml(rng, rng.pick(useCase ? seeds.useCases : seeds.socs));
      how = made.how;
      command = useCase ? 'validateUseCase' : 'validateSoc';
      if (useCase) {
        await validateUseCase(made.text, {
          fs: nodeFileSystem,
          workspaceRoot: folder,
          filePath: join(folder, 'x.usecase.yaml'),
          catalog: catalog(),
          models: new ModelMetadataCache((path) => readModelFile(path)),
          realPath: (p) => fsp.realpath(p),
        });
      } else validateSoc(made.text);
    }
    return { how, command, problems: [] };
  } catch (e) {
    if (e instanceof InputError || e instanceof InputShapeError) return { how, command, problems: [] };
    return { how, command, problems: ['internal error'], sample: e instanceof Error ? `${e.name}: ${e.message}`.slice(0, 300) : String(e) };
  }
}
