/** The kinds of physical quantity a use-case or SoC file may carry, with their accepted units. */
export type QuantityKind = 'time' | 'memory' | 'power' | 'bandwidth' | 'frequency' | 'energy' | 'compute';

export interface UnitInfo {
  readonly unit: string;
  /** Factor to the SI base of the kind (seconds, bytes, watts, bit/s, hertz, joules, ops/s). */
  readonly factor: number;
}

export interface KindInfo {
  readonly kind: QuantityKind;
  /** Noun used in messages: "a time", "a memory size". */
  readonly noun: string;
  readonly baseUnit: string;
  /** The units users write, in the order messages list them. */
  readonly units: readonly UnitInfo[];
  /** The unit suggested when a bare number needs one. */
  readonly defaultUnit: string;
}

export const quantityKinds: Readonly<Record<QuantityKind, KindInfo>> = {
  time: {
    kind: 'time',
    noun: 'a time',
    baseUnit: 's',
    units: [
      { unit: 'us', factor: 1e-6 },
      { unit: 'ms', factor: 1e-3 },
      { unit: 's', factor: 1 },
    ],
    defaultUnit: 'ms',
  },
  memory: {
    kind: 'memory',
    noun: 'a memory size',
    baseUnit: 'B',
    units: [
      { unit: 'B', factor: 1 },
      { unit: 'KiB', factor: 1024 },
      { unit: 'MiB', factor: 1024 ** 2 },
      { unit: 'GiB', factor: 1024 ** 3 },
      { unit: 'KB', factor: 1e3 },
      { unit: 'MB', factor: 1e6 },
      { unit: 'GB', factor: 1e9 },
    ],
    defaultUnit: 'MiB',
  },
  power: {
    kind: 'power',
    noun: 'a power',
    baseUnit: 'W',
    units: [
      { unit: 'mW', factor: 1e-3 },
      { unit: 'W', factor: 1 },
    ],
    defaultUnit: 'W',
  },
  bandwidth: {
    kind: 'bandwidth',
    noun: 'a bandwidth',
    baseUnit: 'bit/s',
    units: [
      { unit: 'kbit/s', factor: 1e3 },
      { unit: 'Mbit/s', factor: 1e6 },
      { unit: 'Gbit/s', factor: 1e9 },
      // Byte rates: how SoC datasheets state memory bandwidth.
      { unit: 'MB/s', factor: 8e6 },
      { unit: 'GB/s', factor: 8e9 },
    ],
    defaultUnit: 'Mbit/s',
  },
  frequency: {
    kind: 'frequency',
    noun: 'a frequency',
    baseUnit: 'Hz',
    units: [
      { unit: 'Hz', factor: 1 },
      { unit: 'kHz', factor: 1e3 },
      { unit: 'MHz', factor: 1e6 },
      { unit: 'GHz', factor: 1e9 },
    ],
    defaultUnit: 'MHz',
  },
  energy: {
    kind: 'energy',
    noun: 'an energy',
    baseUnit: 'J',
    units: [
      { unit: 'pJ', factor: 1e-12 },
      { unit: 'nJ', factor: 1e-9 },
      { unit: 'uJ', factor: 1e-6 },
      { unit: 'mJ', factor: 1e-3 },
      { unit: 'J', factor: 1 },
    ],
    defaultUnit: 'pJ',
  },
  compute: {
    kind: 'compute',
    noun: 'a compute rate',
    baseUnit: 'ops/s',
    units: [
      { unit: 'GOPS', factor: 1e9 },
      { unit: 'TOPS', factor: 1e12 },
      { unit: 'GFLOPS', factor: 1e9 },
      { unit: 'TFLOPS', factor: 1e12 },
    ],
    defaultUnit: 'TOPS',
  },
};

export const allQuantityKinds = Object.keys(quantityKinds) as QuantityKind[];

/** Finds the kind and factor of a unit, exact spelling first, then ignoring case. */
export function lookupUnit(unit: string): { kind: QuantityKind; info: UnitInfo } | undefined {
  for (const exact of [true, false]) {
    for (const kind of allQuantityKinds) {
      const info = quantityKinds[kind].units.find((u) => (exact ? u.unit === unit : u.unit.toLowerCase() === unit.toLowerCase()));
      if (info) return { kind, info };
    }
  }
  return undefined;
}

export function unitList(kind: QuantityKind): string {
  return quantityKinds[kind].units.map((u) => u.unit).join(', ');
}

/**
 * Spellings engineers write that are not units of this format, mapped to the unit to write
 * and the factor to multiply the number by (`8msec` -> `8ms`, `5min` -> `300s`, `20Mbps` ->
 * `20Mbit/s`). Matched ignoring case after exact units failed, except where case matters.
 */
const unitAliases: ReadonlyArray<{ readonly spellings: readonly string[]; readonly unit: string; readonly times: number }> = [
  { spellings: ['msec', 'msecs', 'millisecond', 'milliseconds'], unit: 'ms', times: 1 },
  { spellings: ['µs', 'μs', 'usec', 'usecs', 'microsecond', 'microseconds'], unit: 'us', times: 1 },
  { spellings: ['sec', 'secs', 'second', 'seconds'], unit: 's', times: 1 },
  { spellings: ['ns', 'nsec', 'nanosecond', 'nanoseconds'], unit: 'us', times: 1e-3 },
  { spellings: ['min', 'mins', 'minute', 'minutes'], unit: 's', times: 60 },
  { spellings: ['h', 'hr', 'hrs', 'hour', 'hours'], unit: 's', times: 3600 },
  { spellings: ['byte', 'bytes'], unit: 'B', times: 1 },
  { spellings: ['watt', 'watts'], unit: 'W', times: 1 },
  { spellings: ['milliwatt', 'milliwatts'], unit: 'mW', times: 1 },
  { spellings: ['kw', 'kilowatt', 'kilowatts'], unit: 'W', times: 1e3 },
  { spellings: ['kbps', 'kbit', 'kb/s'], unit: 'kbit/s', times: 1 },
  { spellings: ['mbps', 'mbit', 'mb/s'], unit: 'Mbit/s', times: 1 },
  { spellings: ['gbps', 'gbit', 'gb/s'], unit: 'Gbit/s', times: 1 },
  { spellings: ['ghz'], unit: 'GHz', times: 1 },
];

/** The unit to write instead of `unit` (and the factor for the number), for common non-units. */
export function unitAlias(unit: string): { kind: QuantityKind; unit: string; times: number } | undefined {
  // `MB/s` is a unit of its own; `Mb/s` (megabits) is what the alias table means.
  if (lookupUnit(unit)?.info.unit === unit) return undefined;
  // `MBps`, `GBps`: bytes per second, which the format writes MB/s and GB/s.
  const byteRate = /^([MG])Bps$/.exec(unit)?.[1];
  if (byteRate) return { kind: 'bandwidth', unit: `${byteRate}B/s`, times: 1 };
  const lower = unit.toLowerCase();
  const alias = unitAliases.find((a) => a.spellings.includes(lower) && !(/^[kmg]b\/s$/.test(lower) && /B/.test(unit)));
  const found = alias ? lookupUnit(alias.unit) : undefined;
  return alias && found ? { kind: found.kind, unit: alias.unit, times: alias.times } : undefined;
}
