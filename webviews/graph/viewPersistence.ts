import { graphViewStateSchema, type GraphViewState } from '../../src/protocol/graphViewState';
import type { StateStore } from '../shared/hostLink';

/** How long camera moves settle before they are saved (each save is a message to VS Code). */
const saveDelayMs = 250;

/**
 * Saves the view (graph, camera, expanded groups, selection, overlay, search, toggles) with
 * the host's state store, and hands back what was saved when the page starts again: VS Code
 * destroys a hidden webview (no retainContextWhenHidden, to spare memory) and keeps only this.
 */
export class ViewPersistence {
  /** The state saved by an earlier page, until the first graph is shown with it. */
  private saved: GraphViewState | undefined;
  private lastJson = '';
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Whether everything shown is saved (`data-view-saved` in the status, for tests). */
  clean = true;
  onSaved: () => void = () => undefined;

  constructor(
    private readonly store: StateStore | undefined,
    private readonly snapshot: () => GraphViewState | undefined,
    /** Also tells the host, which keeps it for the next editor of the same file. */
    private readonly share: (state: GraphViewState) => void,
    onInvalid: (reason: string) => void,
  ) {
    const raw = store?.get();
    if (raw !== undefined && raw !== null) {
      const parsed = graphViewStateSchema.safeParse(raw);
      if (parsed.success) this.saved = parsed.data;
      else onInvalid(parsed.error.issues[0]?.message ?? 'unreadable');
    }
    // The last moves before the page goes away.
    window.addEventListener('pagehide', () => this.flush());
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'hidden') this.flush();
    });
  }

  /**
   * What to restore when a graph arrives: this page's own saved state the first time (the tab
   * was hidden and shown), else what the host kept for the file (editor reopened, window reloaded).
   */
  take(fromHost: GraphViewState | undefined): GraphViewState | undefined {
    const saved = this.saved ?? fromHost;
    this.saved = undefined;
    return saved;
  }

  /** Something changed: save now (`immediate`, for discrete actions) or once camera moves settle. */
  changed(immediate: boolean): void {
    if (!this.store) return;
    this.clean = false;
    if (immediate) {
      this.flush();
      return;
    }
    if (this.timer === undefined) this.timer = setTimeout(() => this.flush(), saveDelayMs);
  }

  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const state = this.snapshot();
    if (!this.store || !state) return;
    const json = JSON.stringify(state);
    if (json !== this.lastJson) {
      this.store.set(state);
      this.share(state);
      this.lastJson = json;
    }
    this.clean = true;
    this.onSaved();
  }
}
