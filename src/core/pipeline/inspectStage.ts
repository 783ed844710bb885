import type { Dim } from '../onnx/model';
import { OnnxFormatError, readModelFile } from '../onnx/read';
import { InputShapeError } from '../onnx/shape/infer';
import { inspectModel } from '../onnx/summary';
import { formatBytes, formatCount } from '../quantity/counts';
import type { TensorSpec } from '../usecase/schema';
import type { PipelineStage, StageOutcome } from './pipeline';
import { nameRecord } from '../safeRecord';

/** The inputs of the use case that carry a shape, as inference input shapes. */
function inputShapes(inputs: readonly TensorSpec[] | undefined): Record<string, Dim[]> {
  const out = nameRecord<Dim[]>();
  for (const { name, shape } of inputs ?? []) if (shape) out[name] = [...shape];
  return out;
}

/**
 * Pipeline stage `inspect`: opens the use case's model, infers shapes with the use case's input
 * shapes, and reports size and compute; hands the opened model and its summary to later stages.
 * Fails when the model cannot be opened or the use case's input shapes do not fit it.
 */
export function inspectStage(): PipelineStage {
  return {
    name: 'inspect',
    async run({ useCase, model, fs, signal }): Promise<StageOutcome> {
      const fail = (detail: string): StageOutcome => ({ status: 'failed', detail });
      if (!(await fs.stat(model.path))) return fail(`model ${model.reference} not found`);
      try {
        const opened = await readModelFile(model.path, signal ? { signal } : {});
        const { summary: s } = await inspectModel(opened, { inputShapes: inputShapes(useCase.model.inputs), ...(signal ? { signal } : {}) });
        const defaulted = s.inputSizes.filter((i) => i.defaulted).map((i) => `${i.name}=${i.shape?.join('×') ?? '?'}`);
        const sizes = defaulted.length > 0 ? ` for ${defaulted.join(', ')} (default sizes)` : '';
        const flops = `${s.unknownCostNodes > 0 ? `>= ${formatCount(s.flops, 'FLOPs', 1)} (${s.unknownCostNodes} nodes of unknown cost)` : formatCount(s.flops, 'FLOPs', 1)}${sizes}`;
        const notes = s.shapeProblems.length > 0 ? `, ${s.shapeProblems.length} shape notes` : '';
        return {
          status: 'passed',
          detail: `${s.allNodes} nodes, ${flops}, ${formatCount(s.params, '', 1)} params, ${formatBytes(s.weightBytes, 1)} weights${notes}`,
          artifacts: { inspect: { model: opened, summary: s } },
        };
      } catch (e) {
        if (signal?.aborted) throw e;
        if (e instanceof OnnxFormatError) return fail(`${model.reference}: ${e.message}`);
        if (e instanceof InputShapeError) return fail(`model.inputs do not fit ${model.reference}: ${e.message}`);
        return fail(`${model.reference}: ${e instanceof Error ? e.message : String(e)}`);
      }
    },
  };
}
