import { z } from 'zod';
import { quantitySchema } from '../quantity/schema';
import type { QuantityKind } from '../quantity/units';
import { engineKinds, opClasses, precisions } from '../compute/words';

/** SoC target document (`*.soc.yaml`, SPEC §2). Every figure carries where it comes from. */

export const sourceKinds = ['datasheet', 'measurement', 'estimate'] as const;
export const memoryKinds = ['sram', 'dram'] as const;
export const socIdPattern = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export const sourceSchema = z
  .strictObject({
    kind: z.enum(sourceKinds).describe('Where the figure comes from: datasheet, measurement or estimate.'),
    ref: z.string().min(1).optional().describe('Document, URL or measurement run the figure is taken from. Required for datasheet and measurement.'),
    note: z.string().min(1).optional().describe('How the figure was derived or why it is uncertain. Required for estimate.'),
  })
  .check((ctx) => {
    const s = ctx.value;
    // An empty ref or note is reported by its own min(1); only a missing one is reported here.
    if ((s.kind === 'datasheet' || s.kind === 'measurement') && s.ref === undefined) {
      ctx.issues.push({ code: 'custom', message: `a ${s.kind} source needs ref: the document or run it comes from`, input: s, path: ['ref'], params: { missingKey: 'ref' } });
    }
    if (s.kind === 'estimate' && s.note === undefined) {
      ctx.issues.push({ code: 'custom', message: 'an estimate needs note: how it was derived', input: s, path: ['note'], params: { missingKey: 'note' } });
    }
  })
  .describe('Provenance of a figure: datasheet, measurement or estimate, with a reference or note.');

/** A figure with its provenance: `{value: 30TOPS, source: {kind: datasheet, ref: "..."}}`. */
function sourced(kind: QuantityKind, description: string) {
  return z
    .strictObject({
      // A zero size, rate or power is a typo, not a figure; a zero link latency is legitimate.
      value: quantitySchema(kind, description, { positive: kind !== 'time' }),
      source: sourceSchema,
    })
    .describe(`${description}, with its source.`);
}

export const precisionFiguresSchema = z
  .strictObject({
    peak: sourced('compute', 'Peak throughput at this precision (ops/s; one multiply-accumulate = 2 ops)'),
  })
  .describe('What an engine achieves at one precision.');

export const efficiencySchema = z
  .strictObject({
    value: z.number().gt(0).max(1).describe('Fraction of peak (0..1].'),
    source: sourceSchema,
  })
  .describe('Fraction of the peak an op class achieves on this engine at favourable shapes, with its source.');

export const engineSchema = z
  .strictObject({
    id: z.string().regex(socIdPattern, { error: 'expected lower-case letters, digits and hyphens, e.g. npu0' }).describe('Engine id, unique within the target; links refer to it.'),
    kind: z.enum(engineKinds).describe('Engine kind: npu, gpu, dsp or cpu (what use cases name in targets[].engine).'),
    name: z.string().optional().describe('Product name of the engine, e.g. Hexagon NPU.'),
    precisions: z
      .partialRecord(z.enum(precisions), precisionFiguresSchema)
      .describe('Supported precisions (fp32, fp16, int8, int4-weight) with their peak throughput. A precision not listed is not supported.'),
    ops: z
      .array(z.string().min(1))
      .optional()
      .describe('ONNX op types the engine runs natively; others fall back to another engine. Omitted: all ops.'),
    fusions: z
      .array(z.array(z.string().min(1)).min(2))
      .default([])
      .describe('Op sequences the engine fuses into one kernel, e.g. [Conv, BatchNormalization, Relu].'),
    efficiency: z
      .partialRecord(z.enum(opClasses), efficiencySchema)
      .default({})
      .describe('Fraction of peak achieved per op class (conv, depthwise, matmul, elementwise, pool, normalization, softmax, reduction, datamove, other) at favourable shapes. Missing classes use the profiler\'s defaults for the engine kind.'),
    overhead: sourced('time', 'Fixed time per kernel (launch, synchronisation)').optional(),
    clock: sourced('frequency', 'Engine clock').optional(),
  })
  .describe('A compute engine of the SoC.');

export const memorySchema = z
  .strictObject({
    id: z.string().regex(socIdPattern, { error: 'expected lower-case letters, digits and hyphens, e.g. dram' }).describe('Memory id, unique within the target; links refer to it.'),
    kind: z.enum(memoryKinds).describe('sram (on-chip) or dram (external).'),
    size: sourced('memory', 'Capacity'),
    bandwidth: sourced('bandwidth', 'Peak bandwidth'),
  })
  .describe('A memory of the SoC.');

export const powerSchema = z
  .strictObject({
    static: sourced('power', 'Static (idle) power of the SoC'),
    sustained: sourced('power', 'Sustained thermal limit: the power the SoC can dissipate continuously'),
    energyPerOp: z
      .partialRecord(z.enum(precisions), sourced('energy', 'Energy per operation at this precision'))
      .default({})
      .describe('Dynamic energy per operation, by precision.'),
    dramEnergyPerByte: sourced('energy', 'Energy per byte moved to or from DRAM').optional(),
  })
  .describe('Power model of the SoC.');

export const linkSchema = z
  .strictObject({
    from: z.string().min(1).describe('Engine or memory id at one end.'),
    to: z.string().min(1).describe('Engine or memory id at the other end.'),
    bandwidth: sourced('bandwidth', 'Peak bandwidth of the link'),
    latency: sourced('time', 'Latency of a transfer over the link').optional(),
  })
  .describe('A data path between engines and memories; the profiler charges tensors crossing it.');

export const socSchema = z
  .strictObject({
    apiVersion: z.literal('aios/v1').describe('Format version of this file: aios/v1.'),
    kind: z.literal('SocTarget').describe('Document kind: SocTarget.'),
    id: z
      .string()
      .regex(socIdPattern, { error: 'expected lower-case letters, digits and hyphens, e.g. qualcomm-sa8295p' })
      .describe('Target id use cases name in targets[].soc. A workspace file with a built-in id overrides it.'),
    name: z.string().min(1).describe('Product name.'),
    vendor: z.string().min(1).describe('Vendor.'),
    description: z.string().optional().describe('What the SoC is used for.'),
    engines: z.array(engineSchema).min(1).describe('Compute engines.'),
    memories: z.array(memorySchema).min(1).describe('On-chip SRAM and external DRAM.'),
    power: powerSchema,
    links: z.array(linkSchema).default([]).describe('Data paths between engines and memories.'),
    invocationOverhead: sourced('time', 'Fixed time per inference beyond its kernels (runtime call, input and output handling)').optional(),
  })
  .describe('An automotive SoC target: compute engines, memories, power model and links (AIOS SoC catalog, SPEC §2).');

export type SocTarget = z.output<typeof socSchema>;
export type SocTargetInput = z.input<typeof socSchema>;
export type SourceInput = z.input<typeof sourceSchema>;
