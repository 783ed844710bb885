import { strict as assert } from 'node:assert';
import { promises as fsp } from 'node:fs';
import { join } from 'node:path';
import { nodeFileSystem } from '../../../src/core/fs';
import { LineIndex } from '../../../src/core/diagnostics/lineIndex';
import type { Diagnostic } from '../../../src/core/diagnostics/types';
import { readModelFile } from '../../../src/core/onnx/read';
import { builtinCatalog } from '../../../src/core/soc/catalog';
import { ModelMetadataCache } from '../../../src/core/usecase/modelMetadata';
import { checkTrigger, evaluateTrigger, parseTrigger, TriggerEvaluationError, TriggerSyntaxError, type OutputValues, type TriggerOutput } from '../../../src/core/usecase/trigger';
import { checkUseCase, validateUseCase } from '../../../src/core/usecase/validateUseCase';
import { makeWorkspace, testHost } from './workspace';

const gaze: TriggerOutput = { name: 'gaze', shape: [1, 3], labels: ['yaw', 'pitch', 'confidence'] };
const scores: TriggerOutput = { name: 'scores', shape: [1, 4, 2], labels: ['car', 'pedestrian'] };
const dynamic: TriggerOutput = { name: 'logits', shape: ['batch', 'seq', 8] };
const outputs = [gaze, scores, dynamic, { name: 'speed', shape: [] }];

function problems(text: string): string[] {
  return checkTrigger(parseTrigger(text), outputs).map((p) => `${p.kind}@${p.span.start}-${p.span.end}: ${p.message}`);
}

function syntaxError(text: string): TriggerSyntaxError {
  try {
    parseTrigger(text);
  } catch (e) {
    if (e instanceof TriggerSyntaxError) return e;
    throw e;
  }
  assert.fail(`'${text}' parsed`);
}

function run(text: string, values: Record<string, OutputValues>): boolean {
  return evaluateTrigger(parseTrigger(text), new Map(Object.entries(values)), new Map(outputs.flatMap((o) => (o.labels ? [[o.name, o.labels] as const] : []))));
}

const oneGaze = (yaw: number, pitch: number, confidence: number): Record<string, OutputValues> => ({ gaze: { data: [yaw, pitch, confidence], dims: [1, 3] } });

describe('dataLoop trigger conditions', () => {
  it('parse with the usual precedence: not > comparison > and > or; * / before + -', () => {
    assert.equal(run('gaze.confidence < 0.4 or gaze.yaw > 0.5 and gaze.pitch > 0.5', oneGaze(0, 0, 0.9)), false);
    assert.equal(run('gaze.confidence < 0.4 or gaze.yaw > 0.5 and gaze.pitch > 0.5', oneGaze(0.6, 0.6, 0.9)), true);
    assert.equal(run('(gaze.confidence < 0.4 or gaze.yaw > 0.5) and gaze.pitch > 0.5', oneGaze(0, 0.6, 0.1)), true);
    assert.equal(run('gaze.yaw + gaze.pitch * 2 > 4', oneGaze(1, 2, 0)), true); // 1 + 4 = 5
    assert.equal(run('gaze.yaw + gaze.pitch * 2 > 6', oneGaze(1, 2, 0)), false);
    assert.equal(run('not gaze[2] >= 0.5 && !(gaze[0] == 1)', oneGaze(0, 0, 0.3)), true);
    assert.equal(run('-gaze.yaw > .5', oneGaze(-0.7, 0, 0)), true);
    assert.equal(run('abs(gaze.yaw) > 0.5 || gaze.pitch != 0', oneGaze(-0.7, 0, 0)), true);
  });

  it('select by label or index along the last axis and reduce with max/min/mean/sum/argmax', () => {
    const s = { scores: { data: [0.1, 0.2, 0.3, 0.95, 0.5, 0.1, 0.0, 0.4], dims: [1, 4, 2] } };
    assert.equal(run('max(scores.pedestrian) > 0.9', s), true);
    assert.equal(run('max(scores.car) > 0.9', s), false);
    assert.equal(run('min(scores[1]) == 0.1', s), true);
    assert.equal(run('sum(scores.car) > 0.89 and sum(scores.car) < 0.91', s), true);
    assert.equal(run('mean(scores.pedestrian) > 0.41', s), true); // (0.2 + 0.95 + 0.1 + 0.4) / 4 = 0.4125
    assert.equal(run('argmax(scores) == 3', s), true);
    assert.equal(run('max(gaze.yaw, gaze.pitch) > 0.5 and min(gaze.yaw, gaze.pitch) < 0', oneGaze(0.6, -1, 0)), true);
    assert.equal(run('`gaze`.confidence < 0.5', oneGaze(0, 0, 0.2)), true);
  });

  it('evaluation refuses values that do not fit: several results, a missing output, a label past the axis', () => {
    assert.throws(() => run('scores.car > 0.5', { scores: { data: new Array(8).fill(0), dims: [1, 4, 2] } }), (e: unknown) => e instanceof TriggerEvaluationError && /4 values, not one/.test(e.message));
    assert.throws(() => run('gaze.yaw > 0', {}), /gave no output 'gaze'/);
    assert.throws(() => run('gaze[5] > 0', oneGaze(0, 0, 0)), /index 5 of output 'gaze' is outside its last axis \(3 elements/);
  });

  it('report syntax errors at the place of the problem, with what to write', () => {
    assert.deepEqual([syntaxError('gaze.confidence <').span, syntaxError('gaze.confidence <').message], [{ start: 17, end: 17 }, 'the condition ends too early: a value is missing']);
    assert.match(syntaxError('gaze.confidence = 0.4').message, /unexpected character '='.*compare with '=='/);
    assert.deepEqual(syntaxError('gaze.confidence = 0.4').span, { start: 16, end: 17 });
    assert.match(syntaxError('0 < gaze.yaw < 1').message, /comparisons do not chain/);
    assert.match(syntaxError('gaze.yaw > 1 gaze.pitch > 1').message, /join conditions with and \/ or/);
    assert.match(syntaxError('(gaze.yaw > 1))').message, /one '\)' too many/);
    assert.match(syntaxError('gaze[1.5] > 0').message, /element index/);
    assert.match(syntaxError('gaze.5 > 0').message, /element label after 'gaze\.'/);
    assert.match(syntaxError('gaze.a.b > 0').message, /at most one element/);
    assert.match(syntaxError('`open > 1').message, /backquoted name is not closed/);
    assert.match(syntaxError("'gaze' > 1").message, /backquotes/);
  });

  it('check references against the model: outputs, labels, indices, with the nearest name', () => {
    assert.deepEqual(problems('gaze.confidence < 0.4'), []);
    assert.deepEqual(problems('gazee.confidence < 0.4'), ["reference@0-5: the model has no output 'gazee' (its outputs: gaze, scores, logits, speed); did you mean gaze?"]);
    assert.deepEqual(problems('gaze.confidnce < 0.4'), ["reference@5-14: output 'gaze' has no element 'confidnce' (its labels: yaw, pitch, confidence); did you mean 'confidence'?"]);
    assert.match(problems('gaze[3] < 0.4')[0]!, /^reference@4-7: .*3 elements along its last axis: index 3 is out of range \(0 to 2\)/);
    assert.match(problems('max(logits.happy) > 3')[0]!, /^reference@11-16: output 'logits' has no element labels.*labels: \[…, happy\]/);
    assert.match(problems('speed.kmh > 3')[0]!, /speed' is a single value/);
    assert.deepEqual(problems('speed > 3'), []);
    const unknown = checkTrigger(parseTrigger('gazee.yaw > 1'), outputs)[0];
    assert.deepEqual(unknown?.suggestions, ['gaze']);
  });

  it('check types: a condition must be one yes/no value', () => {
    assert.match(problems('gaze.confidence')[0]!, /this is a number, not a condition: compare it, e.g. gaze.confidence < 0.4/);
    assert.match(problems('gaze.confidence < 0.4 and gaze.yaw')[0]!, /'and' joins conditions; this is a number/);
    assert.match(problems('gaze < 0.4')[0]!, /gives 3 yes\/no values.*max\(…\)/);
    assert.match(problems('scores.car > 0.5')[0]!, /gives 4 yes\/no values/);
    assert.deepEqual(problems('max(scores.car) > 0.5'), []);
    assert.match(problems('maxx(gaze) > 1')[0]!, /unknown function 'maxx'.*did you mean max\?/);
    assert.match(problems('max(gaze) > 1 + (gaze.yaw > 0)')[0]!, /'\+' needs numbers on both sides/);
    // Dims not known before running: no verdict on the element count.
    assert.deepEqual(problems('logits[0] > 1'), []);
    // Without the model only what needs no model.
    assert.deepEqual(checkTrigger(parseTrigger('nothing.here > 1'), undefined), []);
  });
});

describe('dataLoop trigger diagnostics in a use case', () => {
  const catalog = builtinCatalog(testHost);
  const base = (when: string, outputsLine = '  outputs: [{name: gaze, labels: [yaw, pitch, confidence]}]') =>
    `apiVersion: aios/v1\nkind: UseCase\nname: dms\ndomain: cockpit\nmodel:\n  path: models/tiny.onnx\n${outputsLine}\ndataLoop:\n  triggers:\n    - when: ${when}\n      capture: 5s\n`;
  const textAt = (text: string, d: Diagnostic) => {
    const lines = new LineIndex(text);
    return text.slice(lines.offsetAt(d.range.start), lines.offsetAt(d.range.end));
  };

  it('a syntax error is AIOS332 on the offending part of the string, as you type', () => {
    const text = base('"gaze.confidence <> 0.4"');
    const d = checkUseCase(text, { catalog, filePath: '/ws/dms.usecase.yaml' }).diagnostics;
    assert.deepEqual(d.map((x) => x.code), ['AIOS332']);
    assert.equal(textAt(text, d[0]!), '>');
    assert.match(d[0]!.message, /^trigger 'gaze.confidence <> 0.4' does not parse: expected an output name/);
  });

  it('a trigger on an output or label the model does not have is AIOS333 with a fix; several values AIOS334', async () => {
    const ws = await makeWorkspace(undefined, 'uc');
    const context = {
      fs: nodeFileSystem,
      workspaceRoot: ws.root,
      filePath: join(ws.dir, 'dms.usecase.yaml'),
      catalog,
      models: new ModelMetadataCache((p) => readModelFile(p)),
      realPath: (p: string) => fsp.realpath(p),
    };
    const clean = await validateUseCase(base('"gaze.confidence < 0.4"'), context);
    assert.deepEqual(clean.diagnostics, []);
    const plain = base('gaze.confidence < 0.4 or gazr.yaw > 1');
    const [missing, ...rest] = (await validateUseCase(plain, context)).diagnostics;
    assert.equal(rest.length, 0);
    assert.equal(missing?.code, 'AIOS333');
    assert.equal(textAt(plain, missing), 'gazr');
    assert.equal(missing.fixes?.[0]?.edits[0]?.newText, 'gaze');
    const unlabeled = base('"gaze.confidence < 0.4"', '  outputs: [{name: gaze}]');
    const [noLabels] = (await validateUseCase(unlabeled, context)).diagnostics;
    assert.equal(noLabels?.code, 'AIOS333');
    assert.equal(textAt(unlabeled, noLabels), 'confidence');
    const several = (await validateUseCase(base('"gaze > 0.4"'), context)).diagnostics;
    assert.deepEqual(several.map((x) => x.code), ['AIOS334']);
    assert.match(several[0]!.message, /gives 10 yes\/no values/);
  });
});
