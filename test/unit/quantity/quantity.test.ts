import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { formatQuantity, formatQuantityLike, parseQuantity, quantityPatternSource } from '../../../src/core/quantity/quantity';
import { quantityKinds, allQuantityKinds, type QuantityKind } from '../../../src/core/quantity/units';

function ok(input: unknown, kind?: Parameters<typeof parseQuantity>[1]) {
  const r = parseQuantity(input, kind);
  if (!r.ok) assert.fail(`expected '${String(input)}' to parse: ${r.error.message}`);
  return r.quantity;
}

function err(input: unknown, kind?: Parameters<typeof parseQuantity>[1]) {
  const r = parseQuantity(input, kind);
  if (r.ok) assert.fail(`expected '${String(input)}' to fail, got ${r.quantity.value}`);
  return r.error;
}

describe('quantities', () => {
  it('parses the SPEC examples and normalises to SI base units', () => {
    assert.equal(ok('8ms', 'time').value, 0.008);
    assert.equal(ok('1.5 W', 'power').value, 1.5);
    assert.equal(ok('64MiB', 'memory').value, 64 * 1024 * 1024);
    assert.equal(ok('20Mbit/s', 'bandwidth').value, 20e6);
    assert.equal(ok('500mW').value, 0.5);
    assert.equal(ok('250us').value, 250e-6);
    assert.equal(ok('2GB').value, 2e9);
    assert.equal(ok('204.8GB/s').value, 204.8e9 * 8);
    assert.equal(ok('.5s').kind, 'time');
    assert.deepEqual(ok('15 ms'), { kind: 'time', value: 0.015, magnitude: 15, unit: 'ms' });
  });

  it('says a bare number has no unit and suggests the replacement', () => {
    const e = err(8, 'time');
    assert.equal(e.reason, 'noUnit');
    assert.equal(e.message, "'8' has no unit: write 8ms (time units: us, ms, s)");
    assert.equal(e.suggestion, '8ms');
    assert.equal(err('64', 'memory').suggestion, '64MiB');
  });

  it('names both kinds when the unit is of the wrong kind', () => {
    const e = err('5W', 'time');
    assert.equal(e.reason, 'wrongKind');
    assert.match(e.message, /^'5W' is power, expected a time/);
  });

  it('offers the right spelling for a unit in the wrong case, and rejects unknown units', () => {
    const e = err('8MS', 'time');
    assert.equal(e.suggestion, '8ms');
    assert.match(e.message, /did you mean 'ms'/);
    assert.equal(err('3 parsecs', 'time').reason, 'unknownUnit');
    assert.equal(err('fast', 'time').reason, 'malformed');
    assert.equal(err('-3ms', 'time').reason, 'negative');
    assert.equal(err({ a: 1 }, 'time').reason, 'malformed');
  });

  it('turns spellings that are not units into the unit to write, converting the number where needed', () => {
    const cases: Array<[string, QuantityKind, string]> = [
      ['8msec', 'time', '8ms'],
      ['5min', 'time', '300s'],
      ['50ns', 'time', '0.05us'],
      ['2 seconds', 'time', '2s'],
      ['20Mbps', 'bandwidth', '20Mbit/s'],
      ['512kbps', 'bandwidth', '512kbit/s'],
      ['5 Watt', 'power', '5W'],
      ['1.2Ghz', 'frequency', '1.2GHz'],
      ['100GBps', 'bandwidth', '100GB/s'],
    ];
    for (const [input, kind, fixed] of cases) {
      const e = err(input, kind);
      assert.equal(e.suggestion, fixed, input);
      assert.equal(ok(fixed, kind).kind, kind, fixed);
      assert.match(e.message, new RegExp(`write ${fixed.replace(/[./]/g, '\\$&')}`), input);
    }
    // An alias of another kind is still the wrong kind, and real units stay units.
    assert.equal(err('20Mbps', 'time').reason, 'wrongKind');
    assert.equal(ok('20MB/s', 'bandwidth').value, 160e6);
  });

  it('says that Mb is megabits where a memory size is expected, and suggests bytes', () => {
    const e = err('64Mb', 'memory');
    assert.equal(e.suggestion, '64MB');
    assert.match(e.message, /megabits.*64MB \(or 64MiB\)/);
  });

  it('offers the positive value for a negative quantity', () => {
    assert.equal(err('-5ms', 'time').suggestion, '5ms');
  });

  it('formats back with a fitting unit, and round-trips every unit', () => {
    assert.equal(formatQuantity('time', 0.008), '8ms');
    assert.equal(formatQuantity('memory', 64 * 1024 ** 2), '64MiB');
    assert.equal(formatQuantity('bandwidth', 20e6), '20Mbit/s');
    assert.equal(formatQuantity('power', 1.5), '1.5W');
    for (const kind of allQuantityKinds) {
      for (const { unit } of quantityKinds[kind].units) {
        const q = ok(`3${unit}`, kind);
        assert.equal(ok(formatQuantity(kind, q.value, unit), kind).value, q.value, `${kind} ${unit}`);
        assert.ok(Math.abs(ok(formatQuantity(kind, q.value), kind).value - q.value) <= q.value * 1e-3, `${kind} ${unit} auto`);
      }
    }
  });

  it('formats memory in the unit family it was stated in, other kinds per value', () => {
    assert.equal(formatQuantityLike('memory', 16e9 + 8 * 1024 ** 2, 'GB'), '16.01GB');
    assert.equal(formatQuantityLike('memory', 500e6, 'GB'), '500MB');
    assert.equal(formatQuantityLike('memory', 999, 'KB'), '999B');
    assert.equal(formatQuantityLike('memory', 16 * 1024 ** 3, 'MiB'), '16GiB');
    assert.equal(formatQuantityLike('compute', 500e9, 'TOPS'), '500GOPS');
    assert.equal(formatQuantityLike('compute', 7.5e12, 'GOPS'), '7.5TOPS');
  });
});

describe('quantities and the JSON Schema pattern', () => {
  it('accept and reject the same strings', () => {
    const unit = fc.constantFrom('ms', 's', 'us', 'MiB', 'W', 'mW', 'Mbit/s', 'GB/s', 'TOPS', 'ms ', 'Ms', 'x', '');
    const number = fc.oneof(fc.constantFrom('8', '8.', '.5', '1.5', '1e3', '+8', '-3', '-0', '08', ' 8', '1.2.3', ''), fc.double({ noNaN: true }).map(String));
    fc.assert(
      fc.property(number, fc.constantFrom('', ' ', '  '), unit, (n, space, u) => {
        const text = `${n}${space}${u}`;
        for (const kind of allQuantityKinds) {
          const viaSchema = new RegExp(quantityPatternSource(kind)).test(text);
          const viaParser = parseQuantity(text, kind).ok;
          assert.equal(viaParser, viaSchema, `${kind} '${text}'`);
        }
      }),
      { seed: 7, numRuns: 300 },
    );
  });
});
