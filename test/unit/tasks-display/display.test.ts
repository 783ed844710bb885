import { strict as assert } from 'node:assert';
import { formatAgo, formatDuration } from '../../../src/core/tasks/display/duration';
import { formatPercent, progressBar, progressLine } from '../../../src/core/tasks/display/progressLine';
import { inlineResult } from '../../../src/core/tasks/display/resultInline';
import { summaryReport } from '../../../src/core/tasks/display/summaryTable';

describe('task display text', () => {
  it('durations in the unit a person reads', () => {
    assert.equal(formatDuration(0), '0 ms');
    assert.equal(formatDuration(849.6), '850 ms');
    assert.equal(formatDuration(4_240), '4.2 s');
    assert.equal(formatDuration(184_000), '3 min 04 s');
    assert.equal(formatDuration(2 * 3600_000 + 5 * 60_000 + 59_000), '2 h 05 min');
    assert.equal(formatDuration(Number.NaN), '–');
    assert.equal(formatDuration(-5), '–');
  });

  it('how long ago', () => {
    const now = Date.UTC(2026, 11, 7, 12);
    assert.equal(formatAgo(now - 10_000, now), 'just now');
    assert.equal(formatAgo(now + 5_000, now), 'just now', 'a clock a little ahead is not the future');
    assert.equal(formatAgo(now - 5 * 60_000, now), '5 min ago');
    assert.equal(formatAgo(now - 3 * 3600_000, now), '3 h ago');
    assert.equal(formatAgo(now - 48 * 3600_000, now), '2 days ago');
  });

  it('a progress bar fills with the fraction, clamps, and shows an unknown fraction as such', () => {
    assert.equal(progressBar(0), '[--------------------]   0%');
    assert.equal(progressBar(0.42), '[########------------]  42%');
    assert.equal(progressBar(1), '[####################] 100%');
    assert.equal(progressBar(1.7), progressBar(1));
    assert.equal(progressBar(-1), progressBar(0));
    assert.equal(progressBar(undefined), '[                    ]    …');
    assert.equal(progressBar(Number.NaN), progressBar(undefined));
    assert.equal(formatPercent(0.999), '99%', 'never 100% before the end');
    assert.equal(formatPercent(undefined), '…');
  });

  it('a progress line names stage, message and elapsed time and never wraps the terminal', () => {
    const line = progressLine({ stage: 'inspect', fraction: 0.5, message: 'reading weights' }, '1.2 s', 80);
    assert.equal(line, '[##########----------]  50% inspect · reading weights (1.2 s)');
    const long = progressLine({ stage: 'quantize', fraction: 0.1, message: 'x'.repeat(200) }, '3.0 s', 60);
    assert.equal(long.length, 59);
    assert.ok(long.endsWith('…'));
    assert.equal(progressLine({ stage: 'validate' }, '0 ms', 80), '[                    ]    … validate (0 ms)');
  });

  it('the summary of a pipeline run is one row per use case, one column per stage', () => {
    const text = summaryReport({
      kind: 'run',
      status: 'succeeded',
      durationMs: 3_200,
      runId: '20261207-abc',
      logPath: '.aios/runs/20261207-abc/log.txt',
      summary: {
        useCases: [
          { file: 'cockpit/dms.usecase.yaml', stages: [{ name: 'validate', status: 'passed' }, { name: 'inspect', status: 'passed' }, { name: 'quantize', status: 'unavailable' }] },
          { file: 'adas/front.usecase.yaml', stages: [{ name: 'validate', status: 'failed' }, { name: 'inspect', status: 'skipped' }, { name: 'quantize', status: 'skipped' }] },
        ],
      },
    });
    const lines = text.split('\n');
    assert.equal(lines[0], 'aios run: succeeded');
    assert.ok(lines.includes('status    succeeded'), text);
    assert.ok(lines.includes('duration  3.2 s'), text);
    assert.ok(lines.includes('log       .aios/runs/20261207-abc/log.txt'), text);
    assert.ok(lines.includes('use case                  validate  inspect  quantize'), text);
    assert.ok(lines.includes('adas/front.usecase.yaml   failed    skipped  skipped'), text);
    assert.ok(text.endsWith('\n') && !text.endsWith('\n\n'));
  });

  it('another kind: scalars as fields (nested ones dotted), lists of records as tables, the error when it failed', () => {
    const text = summaryReport({
      kind: 'quantize',
      status: 'failed',
      error: 'calibration data missing',
      summary: { precision: 'int8', sqnr: { output: 31.2345 }, sizes: [1, 2], outputs: [{ name: 'logits', sqnrDb: 31.2 }, { name: 'boxes', sqnrDb: 28 }] },
    });
    const lines = text.split('\n');
    assert.ok(lines.includes('error        calibration data missing'), text);
    assert.ok(lines.includes('sqnr.output  31.23'), text);
    assert.ok(lines.includes('sizes        1, 2'), text);
    assert.ok(lines.includes('outputs'), text);
    assert.ok(lines.includes('boxes   28'), text);
    assert.ok(!text.includes('duration'), 'no duration row when none is known');
  });
});

describe('inline result of a run on its use case', () => {
  it('a pipeline run shows each stage of that use case, and a failed stage becomes a problem', () => {
    const summary = {
      useCases: [
        { file: '/w/a.usecase.yaml', stages: [{ stage: 'validate', status: 'passed', detail: '' }, { stage: 'inspect', status: 'failed', detail: 'model not found' }, { stage: 'quantize', status: 'skipped', detail: 'inspect failed' }] },
        { file: '/w/b.usecase.yaml', stages: [{ name: 'validate', status: 'passed', detail: '' }, { name: 'quantize', status: 'unavailable', detail: 'not available yet' }] },
      ],
    };
    assert.deepEqual(inlineResult('run', summary, '/w/a.usecase.yaml'), {
      text: 'pipeline: validate ✓  inspect ✗  quantize ·',
      problems: ['The last pipeline run failed at inspect: model not found'],
    });
    assert.deepEqual(inlineResult('run', summary, '/w/b.usecase.yaml'), { text: 'pipeline: validate ✓  quantize –', problems: [] });
  });

  it('a use case the summary does not name, or another kind, shows the kind alone', () => {
    assert.deepEqual(inlineResult('run', { useCases: [] }, '/w/c.usecase.yaml'), { text: 'run ✓', problems: [] });
    assert.deepEqual(inlineResult('profile', { results: [] }, '/w/c.usecase.yaml'), { text: 'profile ✓', problems: [] });
  });

  it('a quantize run shows its precision, output SQNR and gate; a profile run each target against its budgets', () => {
    assert.deepEqual(inlineResult('quantize', { precision: 'int8', outputSqnrDb: 31.24, minSqnrDb: 35, gatePassed: false }, '/w/a.usecase.yaml'), { text: 'quantize int8: output SQNR 31.2 dB ✗ < 35 dB', problems: [] });
    assert.equal(inlineResult('quantize', { precision: 'fp16', outputSqnrDb: null }, '/w/a.usecase.yaml').text, 'quantize fp16: output SQNR exact');
    const results = [
      { target: 'qualcomm-sa8295p', latencyMs: 9.4, fits: { latency: false, memory: true, power: null } },
      { target: 'host-cpu', latencyMs: 1.25, fits: { latency: null, memory: true, power: null } },
    ];
    assert.equal(inlineResult('profile', { results }, '/w/a.usecase.yaml').text, 'profile: sa8295p 9.40 ms ✗  cpu 1.25 ms ✓');
  });
});
