import { el } from '../shared/dom';
import { toolbarButton } from '../shared/elements';
import type { GraphActions, ViewState } from './viewState';

/**
 * "Next change" navigation of a diff: buttons (and `n` / `p` keys on the canvas) that select
 * the next or previous added, removed or changed node in graph order. In a side-by-side diff
 * the host then selects the node's counterpart in the other pane.
 */
export class DiffSteps {
  readonly prev = toolbarButton('◂ Change', 'Previous change (P)', 'diff-prev', () => this.step(-1));
  readonly next = toolbarButton('Change ▸', 'Next change (N)', 'diff-next', () => this.step(1));
  readonly count = el('span', { className: 'count diff-count' });
  /** Merged diff in VS Code only: asks the host to open both models side by side. */
  readonly sideBySide: HTMLElement;

  constructor(
    private readonly state: ViewState,
    private readonly actions: GraphActions,
    canvas: HTMLElement,
    private readonly openSideBySide: (() => void) | undefined,
  ) {
    this.sideBySide = toolbarButton('Side by side', 'Open the two models in two panes kept in step', 'side-by-side', () => this.openSideBySide?.());
    canvas.addEventListener('keydown', (event) => {
      if (event.ctrlKey || event.metaKey || event.altKey || !this.state.isDiff) return;
      if (event.key === 'n' || event.key === 'p') {
        event.preventDefault();
        this.step(event.key === 'n' ? 1 : -1);
      }
    });
    this.refresh();
  }

  /** Nodes of the open graph that differ, in graph order. */
  changes(): number[] {
    const diff = this.state.payload?.diff;
    if (!diff || !this.state.isDiff) return [];
    const out: number[] = [];
    diff.status.forEach((s, i) => s !== 'same' && out.push(i));
    return out;
  }

  /** Shows the buttons only in diff mode, with the change count (and position when on one). */
  refresh(): void {
    const changes = this.changes();
    const shown = this.state.isDiff;
    this.prev.hidden = this.next.hidden = this.count.hidden = !shown;
    this.sideBySide.hidden = !shown || !this.openSideBySide || this.state.payload?.diff?.side !== undefined;
    this.prev.disabled = this.next.disabled = changes.length === 0;
    const at = changes.indexOf(this.state.selected);
    this.count.textContent = !shown ? '' : changes.length === 0 ? 'no changes' : at >= 0 ? `change ${at + 1} of ${changes.length}` : `${changes.length} changes`;
  }

  step(direction: 1 | -1): void {
    const changes = this.changes();
    if (changes.length === 0) return;
    const from = this.state.selected;
    let target: number;
    if (direction > 0) target = changes.find((c) => c > from) ?? changes[0]!;
    else target = [...changes].reverse().find((c) => from < 0 || c < from) ?? changes[changes.length - 1]!;
    this.actions.focusNode(target);
    this.refresh();
  }
}
