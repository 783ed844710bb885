import type { GraphPayload } from '../../src/protocol/graphPayload';
import type { GraphRows } from '../../src/protocol/graphRows';
import type { GraphModel, VisibleEdge } from './graphModel';
import type { LayoutClient } from './layoutClient';
import type { Palette } from './palette';

/** One open graph (the main graph or a subgraph): its model, layout and what is visible. */
export interface GraphSession {
  readonly index: number;
  readonly model: GraphModel;
  readonly layout: LayoutClient;
  items: Int32Array;
  edges: VisibleEdge[];
}

/** What the view shows, shared by the controllers; only the app and the controller that owns a field write it. */
export class ViewState {
  payload: GraphPayload | undefined;
  /** Row form of each graph, built when the graph is first opened. */
  rows: Array<GraphRows | undefined> = [];
  weightsAvailable = false;
  /** Folded weight nodes drawn as nodes (toolbar toggle) instead of rows inside their consumers. */
  showWeights = false;
  session: GraphSession | undefined;
  /** Graphs to go back to, innermost last. */
  readonly trail: number[] = [];
  selected = -1;
  /** Items highlighted as search hits. */
  hits = new Set<number>();
  failed: string | undefined;
  firstFrameAt: number | undefined;
  layoutDoneAt: number | undefined;
  lastDrawMs = 0;
  /** Short names of long symbolic dims (`batch_size` → `N`), for labels; full names on hover. */
  dimAliases: ReadonlyMap<string, string> = new Map();

  constructor(public palette: Palette) {}

  get isDiff(): boolean {
    return Boolean(this.payload?.diff) && this.session?.index === 0;
  }
}

/** The operations controllers ask of the view. */
export interface GraphActions {
  requestFrame(): void;
  updateStatus(): void;
  showError(message: string): void;
  select(item: number): void;
  /** Expands the groups around a node, then selects and centres it. */
  focusNode(node: number): void;
  toggleGroup(group: number): void;
  setAllExpanded(open: boolean): void;
  /** Draws folded weight nodes as nodes (true) or as rows inside their consumers (false). */
  setShowWeights(show: boolean): void;
  openSubgraph(graph: number, node: number, attribute: string): void;
  back(): void;
  fit(): void;
  centerOnItem(item: number): void;
  /** The overview minimap must be redrawn (colours or items changed). */
  invalidateMinimap(): void;
}
