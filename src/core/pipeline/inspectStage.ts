import { promises as fsp } from 'node:fs';
import { parse } from 'yaml';
import type { Dim } from '../onnx/model';
import { OnnxFormatError, readModelFile } from '../onnx/read';
import { InputShapeError } from '../onnx/shape/infer';
import { inspectModel } from '../onnx/summary';
import { formatBytes, formatCount } from '../quantity/counts';
import { findWorkspaceRoot } from '../usecase/validateStage';
import { resolveInWorkspace, type RealPath } from '../usecase/workspacePath';
import type { PipelineStage, StageResult } from './pipeline';

interface UseCaseModel {
  readonly path?: unknown;
  readonly inputs?: unknown;
}

/** The inputs of the use case that carry a shape, as inference input shapes. */
function inputShapes(inputs: unknown): Record<string, Dim[]> {
  const out: Record<string, Dim[]> = {};
  if (!Array.isArray(inputs)) return out;
  for (const i of inputs as unknown[]) {
    if (typeof i !== 'object' || i === null) continue;
    const { name, shape } = i as { name?: unknown; shape?: unknown };
    if (typeof name !== 'string' || !Array.isArray(shape)) continue;
    if (!shape.every((d) => (typeof d === 'number' && Number.isInteger(d) && d >= 0) || typeof d === 'string')) continue;
    out[name] = shape as Dim[];
  }
  return out;
}

/**
 * Pipeline stage `inspect`: opens the use case's model, infers shapes with the use case's input
 * shapes, and reports size and compute. Fails when the model cannot be opened or the use case's
 * input shapes do not fit it.
 */
export function inspectStage(options: { realPath?: RealPath } = { realPath: (p) => fsp.realpath(p) }): PipelineStage {
  const fail = (detail: string): StageResult => ({ stage: 'inspect', status: 'failed', detail });
  return {
    name: 'inspect',
    async run(file, context) {
      let doc: unknown;
      try {
        doc = parse(new TextDecoder().decode(await context.fs.readFile(file, context.signal)));
      } catch (e) {
        return fail(`cannot read the use case: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
      }
      const model = (doc as { model?: UseCaseModel } | null)?.model;
      if (typeof model?.path !== 'string') return fail('the use case names no model.path');
      const root = await findWorkspaceRoot(context.fs, file);
      const verdict = await resolveInWorkspace(root, file, model.path, options.realPath);
      if (!verdict.ok) return fail(verdict.reason);
      if (!(await context.fs.stat(verdict.path))) return fail(`model ${model.path} not found`);
      try {
        const opened = await readModelFile(verdict.path, context.signal ? { signal: context.signal } : {});
        const { summary: s } = await inspectModel(opened, { inputShapes: inputShapes(model.inputs), ...(context.signal ? { signal: context.signal } : {}) });
        const flops = s.unknownCostNodes > 0 ? `>= ${formatCount(s.flops, 'FLOPs', 1)} (${s.unknownCostNodes} nodes of unknown cost)` : formatCount(s.flops, 'FLOPs', 1);
        const notes = s.shapeProblems.length > 0 ? `, ${s.shapeProblems.length} shape notes` : '';
        return { stage: 'inspect', status: 'passed', detail: `${s.allNodes} nodes, ${flops}, ${formatCount(s.params, '', 1)} params, ${formatBytes(s.weightBytes, 1)} weights${notes}` };
      } catch (e) {
        if (context.signal?.aborted) throw e;
        if (e instanceof OnnxFormatError) return fail(`${model.path}: ${e.message}`);
        if (e instanceof InputShapeError) return fail(`model.inputs do not fit ${model.path}: ${e.message}`);
        return fail(`${model.path}: ${e instanceof Error ? e.message : String(e)}`);
      }
    },
  };
}
