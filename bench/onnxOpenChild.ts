/**
 * One measurement of the ONNX open benchmark, in its own process so that its peak RSS is
 * honest: `node out/bench/onnxOpenChild.js CASE FILE` prints one JSON line.
 */
import { readFileSync } from 'node:fs';
import * as protobuf from 'protobufjs';
import { ONNX_PROTO_SCHEMA } from '../src/core/onnx/proto/onnxSchema';
import { readModelFile } from '../src/core/onnx/read';

export interface OpenResult {
  readonly ms: number;
  /** User + system CPU time of the case (all threads, GC included). */
  readonly cpuMs: number;
  readonly maxRssBytes: number;
  readonly nodes: number;
  readonly initializers: number;
  /** Node inputs walked (proves every node was visited). */
  readonly edges: number;
  readonly weightBytes: number;
}

type Case = (file: string) => Promise<Omit<OpenResult, 'ms' | 'cpuMs' | 'maxRssBytes'>>;

/** Our reader: open, then walk every node and every initializer's metadata. */
const aiosRead: Case = async (file) => {
  const model = await readModelFile(file);
  let edges = 0;
  for (const node of model.graph.nodes) edges += node.inputs.length;
  let weightBytes = 0;
  for (const t of model.graph.initializers) weightBytes += t.data.byteLength ?? t.dims.reduce((a, b) => a * b, 4);
  return { nodes: model.graph.nodes.length, initializers: model.graph.initializers.length, edges, weightBytes };
};

const modelProto = protobuf.parse(ONNX_PROTO_SCHEMA, { keepCase: true }).root.lookupType('onnx.ModelProto');

interface DecodedModel {
  graph?: { node?: Array<{ op_type?: string; input?: string[] }>; initializer?: Array<{ raw_data?: Uint8Array; dims?: unknown[] }> };
}

/** Baseline: the whole file into memory and a full protobufjs decode of the ModelProto. */
const protobufjsDecode: Case = async (file) => {
  const decoded = modelProto.decode(readFileSync(file)) as unknown as DecodedModel;
  const nodes = decoded.graph?.node ?? [];
  let edges = 0;
  for (const node of nodes) edges += (node.input ?? []).length;
  let weightBytes = 0;
  for (const t of decoded.graph?.initializer ?? []) weightBytes += t.raw_data?.length ?? 0;
  return { nodes: nodes.length, initializers: (decoded.graph?.initializer ?? []).length, edges, weightBytes };
};

export const OPEN_CASES: Record<string, Case> = { 'aios-read': aiosRead, 'protobufjs-decode': protobufjsDecode };

async function main(): Promise<void> {
  const [caseName, file] = process.argv.slice(2);
  const run = caseName === undefined ? undefined : OPEN_CASES[caseName];
  if (run === undefined || file === undefined) throw new Error(`usage: onnxOpenChild.js (${Object.keys(OPEN_CASES).join('|')}) FILE`);
  const cpu = process.cpuUsage();
  const started = performance.now();
  const counts = await run(file);
  const ms = performance.now() - started;
  const used = process.cpuUsage(cpu);
  const result: OpenResult = { ms, cpuMs: (used.user + used.system) / 1000, maxRssBytes: process.resourceUsage().maxRSS * 1024, ...counts };
  console.log(JSON.stringify(result));
}

if (require.main === module) {
  main().catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : String(e));
    process.exit(1);
  });
}
