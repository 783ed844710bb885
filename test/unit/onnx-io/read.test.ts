import { strict as assert } from 'node:assert';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataType, type Attribute, type Graph, type Model, type Tensor, type TypeProto } from '../../../src/core/onnx/model';
import { cnnClassifier, tinyLlm } from '../../../src/core/onnx/fixtures';
import { Cursor } from '../../../src/core/onnx/proto/cursor';
import { ExternalDataError, MAX_MESSAGE_DEPTH, OnnxFormatError, readModelBytes, readModelFile, readTensorBytes } from '../../../src/core/onnx/read';
import { ModelParser } from '../../../src/core/onnx/readProto';
import { writeModelBytes } from '../../../src/core/onnx/write';
import { snapshot } from './compare';
import {
  ModelProtoType,
  TensorProtoType,
  conformanceModels,
  decodeWithProtobufjs,
  expectedRawBytes,
  hasPythonOnnx,
  makeReferenceModels,
  type Plain,
} from './reference';
import { noConformanceData, noPythonOnnx, skipBecause } from '../skipBecause';

const text = new TextDecoder();

function list(value: unknown): Plain[] {
  return Array.isArray(value) ? (value as Plain[]) : [];
}

async function assertTensorMatches(ours: Tensor, ref: Plain, where: string): Promise<void> {
  assert.equal(ours.name, ref['name'] ?? '', `${where}: name`);
  assert.equal(ours.dataType, Number(ref['data_type'] ?? 0), `${where}: data type`);
  assert.deepEqual(ours.dims, list(ref['dims']).map(Number), `${where}: dims`);
  const bytes = await ours.data.read();
  assert.deepEqual(Buffer.from(bytes), Buffer.from(expectedRawBytes(ref)), `${where}: payload bytes`);
  if (ours.data.byteLength !== undefined) assert.equal(ours.data.byteLength, bytes.length, `${where}: byteLength`);
}

function assertTypeMatches(ours: TypeProto | undefined, ref: Plain | undefined, where: string): void {
  if (ref === undefined) return assert.equal(ours, undefined, where);
  assert.ok(ours !== undefined, where);
  const tensor = (ref['tensor_type'] ?? ref['sparse_tensor_type']) as Plain | undefined;
  if (tensor !== undefined) {
    assert.ok(ours.kind === 'tensor' || ours.kind === 'sparseTensor', where);
    assert.equal(ours.elemType, Number(tensor['elem_type'] ?? 0), `${where}: elem type`);
    const shape = tensor['shape'] as Plain | undefined;
    const dims = shape === undefined ? undefined : list(shape['dim']).map((d) => (d['dim_value'] !== undefined ? Number(d['dim_value']) : (d['dim_param'] as string | undefined)));
    assert.deepEqual(ours.shape, dims, `${where}: shape`);
  }
}

async function assertGraphMatches(ours: Graph, ref: Plain, where: string): Promise<void> {
  assert.equal(ours.name, ref['name'] ?? '', `${where}: name`);
  const nodes = list(ref['node']);
  assert.equal(ours.nodes.length, nodes.length, `${where}: node count`);
  for (const [k, refNode] of nodes.entries()) {
    const node = ours.nodes[k]!;
    const at = `${where}.node[${k}]`;
    assert.equal(node.name, refNode['name'] ?? '', `${at}: name`);
    assert.equal(node.opType, refNode['op_type'] ?? '', `${at}: op type`);
    assert.equal(node.domain, refNode['domain'] ?? '', `${at}: domain`);
    assert.deepEqual(node.inputs, refNode['input'] ?? [], `${at}: inputs`);
    assert.deepEqual(node.outputs, refNode['output'] ?? [], `${at}: outputs`);
    const attributes = list(refNode['attribute']);
    assert.equal(node.attributes.length, attributes.length, `${at}: attribute count`);
    for (const [j, refAttr] of attributes.entries()) await assertAttributeMatches(node.attributes[j]!, refAttr, `${at}.attribute[${j}]`);
  }
  const initializers = list(ref['initializer']);
  assert.equal(ours.initializers.length, initializers.length, `${where}: initializer count`);
  for (const [k, t] of initializers.entries()) await assertTensorMatches(ours.initializers[k]!, t, `${where}.initializer[${k}]`);
  for (const key of ['input', 'output', 'value_info'] as const) {
    const refs = list(ref[key]);
    const mine = key === 'input' ? ours.inputs : key === 'output' ? ours.outputs : ours.valueInfo;
    assert.equal(mine.length, refs.length, `${where}: ${key} count`);
    for (const [k, v] of refs.entries()) {
      assert.equal(mine[k]!.name, v['name'] ?? '', `${where}.${key}[${k}]: name`);
      assertTypeMatches(mine[k]!.type, v['type'] as Plain | undefined, `${where}.${key}[${k}].type`);
    }
  }
}

async function assertAttributeMatches(ours: Attribute, ref: Plain, where: string): Promise<void> {
  assert.equal(ours.name, ref['name'] ?? '', `${where}: name`);
  const v = ours.value;
  switch (v.type) {
    case 'float': return assert.equal(v.value, Number(ref['f'] ?? 0), where);
    case 'int': return assert.equal(v.value, BigInt(String(ref['i'] ?? 0)), where);
    case 'string': return assert.deepEqual(Buffer.from(v.value), Buffer.from((ref['s'] as Uint8Array | undefined) ?? []), where);
    case 'floats': return assert.deepEqual(v.value, list(ref['floats']).map(Number), where);
    case 'ints': return assert.deepEqual(v.value, list(ref['ints']).map((x) => BigInt(String(x))), where);
    case 'strings': return assert.deepEqual(v.value.map((s) => Buffer.from(s)), list(ref['strings']).map((s) => Buffer.from(s as unknown as Uint8Array)), where);
    case 'tensor': return assertTensorMatches(v.value, ref['t'] as Plain, `${where}.t`);
    case 'graph': return assertGraphMatches(v.value, ref['g'] as Plain, `${where}.g`);
    case 'graphs': {
      const graphs = list(ref['graphs']);
      assert.equal(v.value.length, graphs.length, where);
      for (const [k, g] of graphs.entries()) await assertGraphMatches(v.value[k]!, g, `${where}.graphs[${k}]`);
      return;
    }
    default:
      return;
  }
}

async function assertModelMatches(ours: Model, ref: Plain): Promise<void> {
  assert.equal(ours.irVersion, BigInt(String(ref['ir_version'] ?? 0)));
  assert.deepEqual(
    ours.opsetImports.map((o) => [o.domain, o.version]),
    list(ref['opset_import']).map((o) => [o['domain'] ?? '', BigInt(String(o['version'] ?? 0))]),
  );
  assert.equal(ours.producerName, ref['producer_name']);
  await assertGraphMatches(ours.graph, ref['graph'] as Plain, 'graph');
}

describe('ONNX reader', function () {
  this.timeout(120_000);

  it('agrees with protobufjs on every Debian conformance model, weights included', async function () {
    const models = conformanceModels();
    if (models.length === 0) skipBecause(this, noConformanceData);
    for (const dir of models) {
      const file = join(dir, 'model.onnx');
      const ours = await readModelFile(file);
      const ref = decodeWithProtobufjs(ModelProtoType, readFileSync(file));
      await assertModelMatches(ours, ref).catch((e: Error) => {
        throw new Error(`${file}: ${e.message}`);
      });
    }
  });

  it('reads conformance input tensors (.pb TensorProtos)', async function () {
    const models = conformanceModels();
    if (models.length === 0) skipBecause(this, noConformanceData);
    const bytes = readFileSync(join(models.find((m) => m.endsWith('node/test_add'))!, 'test_data_set_0', 'input_0.pb'));
    const tensor = readTensorBytes(bytes);
    assert.equal(tensor.dataType, DataType.FLOAT);
    assert.deepEqual(tensor.dims, [3, 4, 5]);
    assert.equal((await tensor.data.read()).length, 3 * 4 * 5 * 4);
  });

  describe('models written by python3-onnx', () => {
    let dir: string;
    before(function () {
      if (!hasPythonOnnx()) skipBecause(this, noPythonOnnx);
      dir = mkdtempSync(join(tmpdir(), 'aios-read-'));
      makeReferenceModels(dir);
    });
    after(() => {
      if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
    });

    it('reads functions, sparse initializers, metadata, doc strings, subgraphs and non-tensor types', async () => {
      const file = join(dir, 'features.onnx');
      const model = await readModelFile(file);
      await assertModelMatches(model, decodeWithProtobufjs(ModelProtoType, readFileSync(file)));
      assert.equal(model.docString, 'model doc');
      assert.equal(model.modelVersion, 7n);
      assert.deepEqual(model.metadataProps, [{ key: 'author', value: 'aios' }, { key: 'k', value: 'v' }]);
      assert.equal(model.graph.docString, 'graph doc');
      assert.equal(model.functions.length, 1);
      assert.equal(model.functions[0]!.name, 'MyRelu');
      assert.equal(model.functions[0]!.domain, 'custom.fn');
      assert.equal(model.functions[0]!.nodes[0]!.opType, 'Relu');
      const sparse = model.graph.sparseInitializers[0]!;
      assert.deepEqual(sparse.dims, [4]);
      assert.deepEqual([...new Float32Array((await sparse.values.data.read()).slice().buffer)], [5, 6]);
      assert.deepEqual([...new BigInt64Array((await sparse.indices.data.read()).slice().buffer)], [1n, 3n]);
      const kinds = Object.fromEntries(model.graph.valueInfo.map((v) => [v.name, v.type]));
      assert.deepEqual(kinds['seq'], { kind: 'sequence', elemType: { kind: 'tensor', elemType: DataType.FLOAT, shape: [2] } });
      assert.deepEqual(kinds['mp'], { kind: 'map', keyType: DataType.INT64, valueType: { kind: 'tensor', elemType: DataType.DOUBLE } });
      assert.deepEqual(kinds['opt'], { kind: 'optional', elemType: { kind: 'tensor', elemType: DataType.INT8, shape: [1] } });
      assert.deepEqual(kinds['y'], { kind: 'tensor', elemType: DataType.FLOAT, shape: ['batch', undefined] });
      const odd = model.graph.nodes.find((n) => n.name === 'odd name: ü/§ "quoted"')!;
      const attr = (name: string) => odd.attributes.find((a) => a.name === name)!.value;
      assert.deepEqual(attr('some_ints'), { type: 'ints', value: [1n, -1n, 2n ** 40n] });
      assert.deepEqual(attr('some_floats'), { type: 'floats', value: [0.5, -2] });
      assert.deepEqual(attr('some_float'), { type: 'float', value: 3.25 });
      assert.equal(text.decode((attr('some_string') as { value: Uint8Array }).value), 's');
      const ifNode = model.graph.nodes.find((n) => n.opType === 'If')!;
      const branch = ifNode.attributes.find((a) => a.name === 'then_branch')!.value;
      assert.equal(branch.type === 'graph' && branch.value.nodes[0]!.name, 'then_id');
      const byName = Object.fromEntries(model.graph.initializers.map((t) => [t.name, t]));
      assert.deepEqual([...new BigInt64Array((await byName['B']!.data.read()).slice().buffer)], [1n, -2n, 3n]);
      assert.deepEqual([...new Float64Array((await byName['D']!.data.read()).slice().buffer)], [0.25, -1e300]);
      assert.deepEqual([...new BigUint64Array((await byName['U']!.data.read()).slice().buffer)], [1n, 2n ** 63n + 5n]);
      assert.deepEqual([...new Uint16Array((await byName['H']!.data.read()).slice().buffer)], [0x3e00, 0xc000]);
      const strings = await byName['STR']!.data.read();
      assert.equal(new DataView(strings.buffer, strings.byteOffset).getUint32(0, true), 5);
      assert.equal(text.decode(strings.subarray(4, 9)), 'hello');
    });

    it('reads external data next to the model, lazily', async () => {
      const model = await readModelFile(join(dir, 'external.onnx'));
      const w = model.graph.initializers.find((t) => t.name === 'W')!;
      assert.equal(w.data.location, 'external');
      assert.equal(w.data.externalPath, 'external.bin');
      assert.equal(w.data.byteLength, 48);
      assert.deepEqual([...new Float32Array((await w.data.read()).slice().buffer)], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    });

    it('refuses external data that leaves the model folder', async () => {
      const original = readFileSync(join(dir, 'external.onnx'));
      const swap = (replacement: string): Buffer => {
        const at = original.indexOf('external.bin');
        const copy = Buffer.from(original);
        copy.write(replacement, at, 'latin1');
        return copy;
      };
      const cases = { '../secret.b': 'leaves the model folder', '/etc/passwd': 'absolute' };
      for (const [location, reason] of Object.entries(cases)) {
        const padded = location.padEnd('external.bin'.length, 'x');
        const file = join(dir, `escape-${reason.length}.onnx`);
        writeFileSync(file, swap(padded));
        await assert.rejects(readModelFile(file), (e: unknown) => e instanceof ExternalDataError && e.message.includes(reason) && e.message.includes('initializer[0]'));
      }
      // A symlink inside the folder that points outside it.
      const inner = join(dir, 'inner');
      const outside = mkdtempSync(join(tmpdir(), 'aios-outside-'));
      mkdirSync(inner);
      copyFileSync(join(dir, 'external.onnx'), join(inner, 'external.onnx'));
      copyFileSync(join(dir, 'external.bin'), join(outside, 'external.bin'));
      symlinkSync(join(outside, 'external.bin'), join(inner, 'external.bin'));
      await assert.rejects(readModelFile(join(inner, 'external.onnx')), (e: unknown) => e instanceof ExternalDataError && /outside the model folder/.test(e.message));
      rmSync(outside, { recursive: true, force: true });
    });

    it('opens a model whose external file is missing, and says so when the data is read', async () => {
      const lonely = join(dir, 'lonely');
      mkdirSync(lonely);
      copyFileSync(join(dir, 'external.onnx'), join(lonely, 'external.onnx'));
      const model = await readModelFile(join(lonely, 'external.onnx'));
      const w = model.graph.initializers.find((t) => t.name === 'W')!;
      await assert.rejects(w.data.read(), (e: unknown) => e instanceof ExternalDataError && /"external.bin" not found/.test(e.message));
    });
  });

  // Our own builder's model, so these run on every machine (no conformance data needed).
  describe('bad input', () => {
    let good: Uint8Array;
    before(async () => {
      good = await writeModelBytes(cnnClassifier({ inputShape: [1, 1, 8, 8], stages: [2], classes: 2 }));
    });

    it('names the byte offset and field path of a truncation', () => {
      let failures = 0;
      for (let cut = 1; cut < good.length; cut++) {
        try {
          readModelBytes(good.subarray(0, cut));
        } catch (e) {
          assert.ok(e instanceof OnnxFormatError, `cut at ${cut}: ${String(e)}`);
          assert.ok(e.offset === undefined || (e.offset >= 0 && e.offset <= cut), `cut at ${cut}: offset ${e.offset}`);
          failures++;
        }
      }
      assert.ok(failures > good.length / 2, 'most truncations are detected');
      assert.throws(() => readModelBytes(good.subarray(0, good.length - 3)), /\(byte \d+, in [a-z_]+\[0\]\)/);
      assert.throws(() => readModelBytes(good.subarray(0, 40)), /\(byte \d+, in graph/);
    });

    it('refuses nesting deeper than the limit instead of overflowing the stack', () => {
      let type = field(1, new Uint8Array([0x08, 0x01])); // tensor_type { elem_type: FLOAT }
      for (let k = 0; k < MAX_MESSAGE_DEPTH + 10; k++) type = field(4, field(1, type)); // sequence_type { elem_type: ... }
      const model = field(7, field(11, concatBytes(field(1, new TextEncoder().encode('x')), field(2, type))));
      assert.throws(() => readModelBytes(model), (e: unknown) => e instanceof OnnxFormatError && /nested deeper/.test(e.message) && e.message.includes('graph.input[0].type'));
    });

    it('checks lengths before allocating', () => {
      const huge = concatBytes(new Uint8Array([0x3a]), varint(2 ** 40), new Uint8Array(16));
      assert.throws(() => readModelBytes(huge), (e: unknown) => e instanceof OnnxFormatError && /length 1099511627776 exceeds/.test(e.message) && e.offset === 1);
    });

    it('says a file without a graph is not an ONNX model', () => {
      assert.throws(() => readModelBytes(new TextEncoder().encode('')), /no graph/);
      assert.throws(() => readModelBytes(new TextEncoder().encode('hello world, not onnx')), OnnxFormatError);
    });

    it('refuses to read weights after the file changed', async () => {
      const folder = mkdtempSync(join(tmpdir(), 'aios-changed-'));
      const file = join(folder, 'm.onnx');
      writeFileSync(file, good);
      const model = await readModelFile(file);
      const weights = model.graph.initializers[0];
      assert.ok(weights, 'the model has weights to read');
      assert.equal((await weights.data.read()).length, weights.data.byteLength, 'they read while the file is unchanged');
      unlinkSync(file);
      writeFileSync(file, 'changed');
      await assert.rejects(weights.data.read(), /changed since it was opened/);
      await assert.rejects(readModelFile(file), OnnxFormatError);
      rmSync(folder, { recursive: true, force: true });
    });

    it('honours an aborted signal', async () => {
      const controller = new AbortController();
      controller.abort(new Error('stop'));
      assert.throws(() => readModelBytes(good, { signal: controller.signal }), /stop/);
      await assert.rejects(readModelFile('/nonexistent.onnx', { signal: controller.signal }), /stop/);
      await assert.rejects(readModelFile('/nonexistent.onnx'), /\/nonexistent.onnx: no such file or folder/);
    });
  });
});

function varint(value: number): Uint8Array {
  const out: number[] = [];
  let v = value;
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
  return Uint8Array.from(out);
}

function field(number: number, payload: Uint8Array): Uint8Array {
  return concatBytes(varint((number << 3) | 2), varint(payload.length), payload);
}

function concatBytes(...parts: Uint8Array[]): Uint8Array {
  return Uint8Array.from(parts.flatMap((p) => [...p]));
}

describe('ONNX reader file window', () => {
  it('parses the same model through windows of any size as from memory', async () => {
    const bytes = await writeModelBytes(tinyLlm({ layers: 1 }));
    const expected = await snapshot(readModelBytes(bytes));
    for (const window of [1, 2, 7, 64, 4096]) {
      let refills = 0;
      const source = {
        size: bytes.length,
        readInto: (target: Uint8Array, offset: number) => {
          refills++;
          target.set(bytes.subarray(offset, offset + target.length));
          return Math.min(target.length, bytes.length - offset);
        },
      };
      const payloads = { description: 'memory', read: async (offset: number, length: number) => bytes.subarray(offset, offset + length), chunks: async function* () {} };
      const model = new ModelParser(Cursor.overSource(source, window), payloads, { modelDir: undefined, file: undefined, signal: undefined }).parseModel();
      assert.deepStrictEqual(await snapshot(model), expected, `window of ${window} bytes`);
      assert.ok(refills > 1, `window of ${window} bytes refills`);
    }
  });
});

describe('ONNX reader typed data fields', () => {
  const encode = (fields: Record<string, unknown>) => TensorProtoType.encode(TensorProtoType.fromObject(fields)).finish();

  it('decodes int32_data of 16-, 8- and 4-bit types (float16, bfloat16, float8, int4, bool) into raw_data layout', async () => {
    const cases: Array<[DataType, number[], number[], number[]]> = [
      [DataType.FLOAT16, [2], [0x3c00, 0xc000], [0x00, 0x3c, 0x00, 0xc0]],
      [DataType.BFLOAT16, [2], [0x3f80, 0x4000], [0x80, 0x3f, 0x00, 0x40]],
      [DataType.FLOAT8E4M3FN, [3], [0x38, 0xb8, 0x7e], [0x38, 0xb8, 0x7e]],
      [DataType.FLOAT8E5M2, [1], [0x3c], [0x3c]],
      [DataType.INT4, [3], [0x21, 0x0f], [0x21, 0x0f]],
      [DataType.UINT4, [2], [0xf1], [0xf1]],
      [DataType.BOOL, [3], [1, 0, 1], [1, 0, 1]],
      [DataType.INT8, [2], [-1, 5], [0xff, 0x05]],
      [DataType.UINT16, [1], [65535], [0xff, 0xff]],
      [DataType.INT32, [2], [-2, 7], [0xfe, 0xff, 0xff, 0xff, 7, 0, 0, 0]],
    ];
    for (const [dataType, dims, int32Data, raw] of cases) {
      const tensor = readTensorBytes(encode({ dims, data_type: dataType, int32_data: int32Data, name: 't' }));
      assert.equal(tensor.dataType, dataType);
      assert.deepEqual([...(await tensor.data.read())], raw, DataType[dataType]);
    }
  });

  it('decodes uint64_data for UINT32 and UINT64, and double_data', async () => {
    const u32 = readTensorBytes(encode({ dims: [2], data_type: DataType.UINT32, uint64_data: [4294967295, 1] }));
    assert.deepEqual([...new Uint32Array((await u32.data.read()).slice().buffer)], [4294967295, 1]);
    const d = readTensorBytes(encode({ dims: [1], data_type: DataType.DOUBLE, double_data: [Math.PI] }));
    assert.deepEqual([...new Float64Array((await d.data.read()).slice().buffer)], [Math.PI]);
  });

  it('accepts unpacked repeated data fields, as old writers produce them', async () => {
    // float_data (field 4) as three separate fixed32 fields, int64 dims unpacked.
    const parts: number[] = [0x08, 0x03, 0x10, 0x01];
    for (const v of [1.5, -2, 3]) {
      const f = new Uint8Array(new Float32Array([v]).buffer);
      parts.push(0x25, ...f);
    }
    const tensor = readTensorBytes(Uint8Array.from(parts));
    assert.deepEqual(tensor.dims, [3]);
    assert.equal(tensor.data.byteLength, undefined);
    assert.deepEqual([...new Float32Array((await tensor.data.read()).slice().buffer)], [1.5, -2, 3]);
    // int64_data (field 7) unpacked varints, including a negative one.
    const ints = readTensorBytes(Uint8Array.from([0x08, 0x02, 0x10, 0x07, 0x38, 0x05, 0x38, ...[0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]]));
    assert.deepEqual([...new BigInt64Array((await ints.data.read()).slice().buffer)], [5n, -1n]);
  });

  it('keeps raw_data as a view of the model bytes (no copy, no decode)', async () => {
    const bytes = encode({ dims: [2], data_type: DataType.FLOAT, raw_data: new Uint8Array(new Float32Array([1, 2]).buffer) });
    const tensor = readTensorBytes(bytes);
    const data = await tensor.data.read();
    assert.equal(data.buffer, bytes.buffer, 'the payload shares the buffer of the model bytes');
    assert.equal(tensor.data.byteLength, 8);
  });
});
