import { InputError } from '../inputError';
import { isInside } from '../files/pathInside';
import { join } from 'node:path';
import type { FileSystem } from '../fs';
import { formatQuantity, formatQuantityLike } from '../quantity/quantity';
import { socSchema, type SocTarget, type SocTargetInput } from './schema';
import type { Precision, EngineKind } from '../compute/words';
import { hostCpuTarget, type HostInfo } from './catalog/hostCpu';
import { nvidiaDriveOrin } from './catalog/nvidiaDriveOrin';
import { nvidiaDriveThor } from './catalog/nvidiaDriveThor';
import { qualcommSa8295p } from './catalog/qualcommSa8295p';
import { qualcommSa8650p } from './catalog/qualcommSa8650p';
import { tiTda4vm } from './catalog/tiTda4vm';
import { renesasRcarV4h } from './catalog/renesasRcarV4h';
import { mobileyeEyeq6h } from './catalog/mobileyeEyeq6h';
import { horizonJourney5 } from './catalog/horizonJourney5';
import { nxpImx8mp } from './catalog/nxpImx8mp';
import { infineonAurixTc4x } from './catalog/infineonAurixTc4x';
import { cloudGpu } from './catalog/cloudGpu';

export type { HostInfo } from './catalog/hostCpu';

export interface CatalogEntry {
  readonly target: SocTarget;
  readonly origin: 'builtin' | 'workspace';
  /** The `.soc.yaml` file of a workspace target. */
  readonly file?: string;
  /** A workspace target that replaces the built-in one of the same id. */
  readonly overridesBuiltin: boolean;
}

/** The SoC targets a use case may name: the built-in ones, with workspace files added or overriding. */
export class Catalog {
  private readonly byId: ReadonlyMap<string, CatalogEntry>;

  constructor(entries: Iterable<CatalogEntry>) {
    const map = new Map<string, CatalogEntry>();
    for (const e of entries) map.set(e.target.id, e);
    this.byId = map;
  }

  get(id: string): SocTarget | undefined {
    return this.byId.get(id)?.target;
  }

  entry(id: string): CatalogEntry | undefined {
    return this.byId.get(id);
  }

  ids(): string[] {
    return [...this.byId.keys()].sort();
  }

  entries(): CatalogEntry[] {
    return this.ids().flatMap((id) => {
      const e = this.byId.get(id);
      return e ? [e] : [];
    });
  }
}

/** The built-in target data, in `.soc.yaml` input form (SPEC §2 ids). */
export function builtinTargetInputs(host: HostInfo): SocTargetInput[] {
  return [
    hostCpuTarget(host),
    nvidiaDriveOrin,
    nvidiaDriveThor,
    qualcommSa8295p,
    qualcommSa8650p,
    tiTda4vm,
    renesasRcarV4h,
    mobileyeEyeq6h,
    horizonJourney5,
    nxpImx8mp,
    infineonAurixTc4x,
    cloudGpu,
  ];
}

export function builtinCatalogEntries(host: HostInfo): CatalogEntry[] {
  return builtinTargetInputs(host).map((input) => {
    const parsed = socSchema.safeParse(input);
    if (!parsed.success) {
      // Built-in data is checked by unit tests; reaching this is a bug in the shipped catalog.
      throw new Error(`built-in SoC target ${input.id} is invalid: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    }
    return { target: parsed.data, origin: 'builtin' as const, overridesBuiltin: false };
  });
}

export function builtinCatalog(host: HostInfo): Catalog {
  return new Catalog(builtinCatalogEntries(host));
}

export const workspaceTargetsFolder = join('.aios', 'targets');

/** The workspace's SoC files: `.aios/targets/*.soc.yaml` (and `.soc.yml`). */
export async function workspaceTargetFiles(fs: FileSystem, workspaceRoot: string): Promise<string[]> {
  const dir = join(workspaceRoot, workspaceTargetsFolder);
  const stat = await fs.stat(dir);
  if (stat?.type !== 'directory') return [];
  const entries = await fs.readDirectory(dir);
  const files = entries
    .filter((e) => e.type === 'file' && (e.name.endsWith('.soc.yaml') || e.name.endsWith('.soc.yml')))
    .map((e) => join(dir, e.name))
    .sort();
  // `.aios/targets` (or a file in it) linked to a folder outside the workspace is not the workspace's.
  if (!fs.realPath) return files;
  const realRoot = await fs.realPath(workspaceRoot);
  if (!isInside(realRoot, await fs.realPath(dir))) {
    throw new InputError(`${dir}: is a symbolic link to a folder outside the workspace ${realRoot}; SoC targets must be files inside it`);
  }
  const inside: string[] = [];
  for (const f of files) if (isInside(realRoot, await fs.realPath(f).catch(() => f))) inside.push(f);
  return inside;
}

/** Adds workspace targets to the built-in ones; a workspace target with a built-in id replaces it. */
export function mergeCatalog(builtin: readonly CatalogEntry[], workspace: ReadonlyArray<{ target: SocTarget; file: string }>): Catalog {
  const builtinIds = new Set(builtin.map((e) => e.target.id));
  return new Catalog([
    ...builtin,
    ...workspace.map((w) => ({ target: w.target, origin: 'workspace' as const, file: w.file, overridesBuiltin: builtinIds.has(w.target.id) })),
  ]);
}

/** Engines of `target` that support `precision`, fastest first. */
export function enginesSupporting(target: SocTarget, precision: Precision): SocTarget['engines'] {
  return target.engines
    .filter((e) => e.precisions[precision] !== undefined)
    .sort((a, b) => (b.precisions[precision]?.peak.value.value ?? 0) - (a.precisions[precision]?.peak.value.value ?? 0));
}

export function enginesOfKind(target: SocTarget, kind: EngineKind): SocTarget['engines'] {
  return target.engines.filter((e) => e.kind === kind);
}

/** Total memory (SRAM + DRAM) in bytes. */
export function totalMemoryBytes(target: SocTarget): number {
  return target.memories.reduce((sum, m) => sum + m.size.value.value, 0);
}

/** Total memory in the unit family the largest region is stated in: 16GB of DRAM plus 8MiB of SRAM prints 16.01GB. */
export function formatTotalMemory(target: SocTarget): string {
  const largest = target.memories.reduce<SocTarget['memories'][number] | undefined>((a, m) => (a && a.size.value.value >= m.size.value.value ? a : m), undefined);
  const total = totalMemoryBytes(target);
  return largest ? formatQuantityLike('memory', total, largest.size.value.unit) : formatQuantity('memory', total);
}

/** Peak throughput of the fastest engine at `precision`, ops/s; undefined when none supports it. */
export function peakOps(target: SocTarget, precision: Precision): number | undefined {
  return enginesSupporting(target, precision)[0]?.precisions[precision]?.peak.value.value;
}
