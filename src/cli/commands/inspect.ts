import type { Command } from 'commander';
import { InputShapeError } from '../../core/onnx/shape/infer';
import { inspectModel, type InspectSummary, type TensorSummary } from '../../core/onnx/summary';
import { ExitCode, UsageError } from '../errors';
import { formatTable, printJson, printLines, type CliIo } from '../io';
import { formatBytes, formatCount } from '../../core/quantity/counts';
import { openModelArgument, parseInputShape, withProgress } from './modelArgument';

const help = `
Figures:
  params      elements of all initializers plus all Constant-node tensors (value, sparse_value),
              in every graph including If/Loop/Scan bodies; --json also splits them into
              paramsInInitializers and paramsInConstants (Paddle and some exporters keep weights
              in Constant nodes). "initializers" counts the main graph's initializers.
  FLOPs/MACs  FLOPs = 2 x MACs for Conv/MatMul/Gemm-like kernels, 1 per output element for
              elementwise ops (see src/core/onnx/cost/cost.ts). Nodes whose shapes are unknown
              are not estimated: the total is then a lower bound and says how many were left out.
  shapes      inferred from the model, the value_info it carries, and --input; unknown dims
              print as ?, symbolic ones by name.
  sizes       dynamic input dims not given with --input are computed for default sizes (batch 1,
              image sides 224, sequence length 128, other dims 1); the Compute line and the
              inputs' "computed for" column say which sizes were used. The graph view uses the
              same sizes, so its totals match these.

Exit codes: 0 ok; 2 unreadable or malformed model, or a bad --input (one line on stderr).

Examples:
  aios inspect model.onnx
  aios inspect model.onnx --shapes --input image=1,3,224,224
  aios inspect model.onnx --json --input input_ids=1,128 --input attention_mask=1,128
`;

/**
 * `1.2 GFLOPs, 0.6 GMACs for x=1×3×224×224 (default sizes: ...)`; unknown is said, never 0:
 * with no node of known cost the figure is unknown, with some it is a lower bound.
 */
function computeLine(s: InspectSummary): string {
  const unknownNodes = `${s.unknownCostNodes} node${s.unknownCostNodes === 1 ? '' : 's'} of unknown cost`;
  const allUnknown = s.unknownCostNodes > 0 && s.flops === 0 && s.macs === 0;
  const figures = allUnknown ? `unknown (${unknownNodes})` : `${s.unknownCostNodes > 0 ? 'at least ' : ''}${formatCount(s.flops, 'FLOPs')}, ${formatCount(s.macs, 'MACs')}${s.unknownCostNodes > 0 ? ` (${unknownNodes})` : ''}`;
  const defaulted = s.inputSizes.filter((i) => i.defaulted);
  if (defaulted.length === 0) return figures;
  const shown = defaulted.slice(0, 2).map((i) => `${i.name}=${i.shape ? i.shape.join('×') : '?'}`);
  const sizes = defaulted.length > shown.length ? `${shown.join(', ')} and ${defaulted.length - shown.length} more inputs (see Inputs)` : shown.join(', ');
  const first = defaulted[0]!;
  return `${figures} for ${sizes} (default sizes for dynamic dims, batch 1; set them with --input ${first.name}=${first.shape ? first.shape.join(',') : '…'})`;
}

const showShape = (s: TensorSummary['shape']) => (s ? `[${s.map((d) => (d === null ? '?' : String(d))).join(', ')}]` : '?');

export function registerInspect(program: Command, io: CliIo, setExitCode: (code: ExitCode) => void): void {
  program
    .command('inspect <model>')
    .description('model summary: I/O, opsets, op histogram, params, FLOPs, weight size by dtype')
    .option('--shapes', 'also print the inferred shape of every tensor')
    .option('--input <name=dims>', 'concrete input shape, e.g. image=1,3,224,224 (repeatable)', (v: string, prev: string[]) => [...prev, v], [] as string[])
    .option('--json', 'print one JSON document on stdout')
    .addHelpText('after', help)
    .action(async (path: string, options: { shapes?: boolean; input: string[]; json?: boolean }) => {
      const inputShapes = Object.fromEntries(options.input.map(parseInputShape));
      const result = await withProgress(io, `inspecting ${path}`, async () => {
        const model = await openModelArgument(io, path);
        try {
          return await inspectModel(model, { inputShapes, tensors: Boolean(options.shapes) });
        } catch (e) {
          if (e instanceof InputShapeError) throw new UsageError(`${path}: ${e.message}`);
          throw e;
        }
      });
      const s = result.summary;
      setExitCode(ExitCode.ok);
      if (options.json) {
        printJson(io, s);
        return;
      }
      const out: string[] = [];
      const producer = s.producer ? `${s.producer.name}${s.producer.version ? ` ${s.producer.version}` : ''}` : 'unknown producer';
      out.push(`Model    ${path} (IR ${s.irVersion}, ${producer})`);
      out.push(`Opsets   ${Object.entries(s.opsets).map(([d, v]) => `${d} ${v}`).join(', ')}`);
      out.push(`Nodes    ${s.nodes}${s.allNodes !== s.nodes ? ` (${s.allNodes} with subgraphs)` : ''}`);
      out.push(`Params   ${formatCount(s.params)} (${s.params.toLocaleString('en-US')}${s.paramsInConstants > 0 ? `; ${s.paramsInConstants.toLocaleString('en-US')} in Constant nodes` : ''})`);
      const byDtype = Object.entries(s.weightBytesByDtype).sort((a, b) => b[1] - a[1]).map(([d, b]) => `${d} ${formatBytes(b)}`);
      out.push(`Weights  ${formatBytes(s.weightBytes)}${byDtype.length > 0 ? ` (${byDtype.join(', ')})` : ''}`);
      out.push(`Compute  ${computeLine(s)}`);
      printLines(io.stdout, [...out, '', 'Inputs']);
      const used = new Map(s.inputSizes.map((i) => [i.name, i]));
      const sizeCell = (t: TensorSummary) => {
        const u = used.get(t.name);
        return u?.shape ? `${u.shape.join('×')}${u.defaulted ? ' (default)' : ''}` : 'unknown';
      };
      io.stdout.write(formatTable(['name', 'dtype', 'shape', 'computed for'], s.inputs.map((t) => [t.name, t.dtype, showShape(t.shape), sizeCell(t)])));
      io.stdout.write('\nOutputs\n');
      io.stdout.write(formatTable(['name', 'dtype', 'shape'], s.outputs.map((t) => [t.name, t.dtype, showShape(t.shape)])));
      io.stdout.write('\nOperators\n');
      io.stdout.write(formatTable(['op', 'count'], Object.entries(s.opHistogram).map(([op, n]) => [op, String(n)])));
      if (s.tensors) {
        io.stdout.write('\nTensors (initializers omitted; --json lists them)\n');
        io.stdout.write(formatTable(['name', 'kind', 'dtype', 'shape'], s.tensors.filter((t) => t.kind !== 'initializer').map((t) => [t.name, t.kind, t.dtype, showShape(t.shape)])));
      }
      if (s.shapeProblems.length > 0) {
        const shown = s.shapeProblems.slice(0, 10);
        io.stdout.write(`\nShape inference notes (${s.shapeProblems.length}${s.shapeProblems.length > shown.length ? `, first ${shown.length}; --json lists all` : ''})\n`);
        printLines(io.stdout, shown.map((p) => `  ${p.graph ? `${p.graph}: ` : ''}${p.node} (${p.opType}): ${p.message}`));
      }
    });
}
