import { readFileSync, writeFileSync } from 'node:fs';
import type { GraphViewState } from '../suite/util/graphState';

/** The runner sets this to a file in its run folder: absent before the reload, written just before it. */
export const reloadStateEnv = 'AIOS_IT_RELOAD_STATE';

export interface ReloadRecord {
  readonly uri: string;
  readonly title: string;
  readonly state: GraphViewState;
}

export function reloadStatePath(): string {
  const path = process.env[reloadStateEnv];
  if (!path) throw new Error(`${reloadStateEnv} is not set: the reload session is started by the integration runner`);
  return path;
}

export function writeReloadRecord(record: ReloadRecord): void {
  writeFileSync(reloadStatePath(), JSON.stringify(record));
}

export function readReloadRecord(): ReloadRecord {
  return JSON.parse(readFileSync(reloadStatePath(), 'utf8')) as ReloadRecord;
}
