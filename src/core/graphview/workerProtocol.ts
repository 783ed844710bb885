import type { GivenInputSizes } from '../../protocol/graphMessages';
import type { GraphPayload, WeightStats } from '../../protocol/graphPayload';

/** Requests from the extension host to the graph source worker (a Node worker_thread). */
export type GraphSourceRequest =
  | { readonly id: number; readonly op: 'open'; readonly path: string; readonly title: string; readonly sizes?: GivenInputSizes }
  | { readonly id: number; readonly op: 'openDiff'; readonly basePath: string; readonly path: string; readonly title: string; readonly baseTitle: string }
  | { readonly id: number; readonly op: 'openSideBySide'; readonly basePath: string; readonly path: string; readonly title: string; readonly baseTitle: string }
  | { readonly id: number; readonly op: 'resize'; readonly sizes: GivenInputSizes }
  | { readonly id: number; readonly op: 'weights'; readonly graph: number; readonly tensor: string; readonly side?: 'base' }
  | { readonly id: number; readonly op: 'cancel'; readonly target: number };

export type GraphSourceResult =
  | { readonly op: 'open' | 'openDiff' | 'resize'; readonly payload: GraphPayload }
  | { readonly op: 'openSideBySide'; readonly base: GraphPayload; readonly other: GraphPayload; readonly pairs: ReadonlyArray<readonly [string, string]> }
  | { readonly op: 'weights'; readonly stats: WeightStats };

export type GraphSourceResponse =
  | { readonly id: number; readonly ok: true; readonly result: GraphSourceResult }
  | { readonly id: number; readonly ok: false; readonly error: string; readonly cancelled: boolean };
