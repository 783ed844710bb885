import { el } from '../shared/dom';
import { visibleText } from '../shared/displayText';
import { textField, toolbarButton } from '../shared/elements';
import { matchReason, resultLabel, searchNodes } from './search';
import type { GraphActions, ViewState } from './viewState';

/** The search field, its match count and step buttons, and the result list over the canvas. */
export class SearchController {
  readonly input = textField('search', 'Search nodes, ops, tensors', 'Search');
  readonly count = el('span', { className: 'count' });
  readonly prev = toolbarButton('↑', 'Previous match (Shift+Enter)', 'previous-match', () => this.step(-1));
  readonly next = toolbarButton('↓', 'Next match (Enter)', 'next-match', () => this.step(1));
  readonly results = el('div', { className: 'results' });
  private matches: number[] = [];
  private cursor = -1;

  constructor(
    private readonly state: ViewState,
    private readonly actions: GraphActions,
    /** Where Escape returns the focus. */
    private readonly canvas: HTMLElement,
  ) {
    this.input.title = 'Search node names, op types and tensor names (/)';
    this.results.hidden = true;
    this.input.addEventListener('input', () => this.run());
    this.input.addEventListener('focus', () => this.showResults());
    this.input.addEventListener('blur', () => (this.results.hidden = true));
    this.input.addEventListener('keydown', (event) => {
      if (event.key === 'Enter') {
        event.preventDefault();
        this.step(event.shiftKey ? -1 : 1);
      } else if (event.key === 'Escape') {
        this.input.value = '';
        this.run();
        this.canvas.focus();
      }
    });
    window.addEventListener('keydown', (event) => {
      if ((event.key === 'f' && (event.ctrlKey || event.metaKey)) || (event.key === '/' && document.activeElement === document.body)) {
        event.preventDefault();
        this.input.focus();
        this.input.shadowRoot?.querySelector('input')?.select();
      }
    });
  }

  get matchCount(): number {
    return this.matches.length;
  }

  /** Searches the open graph for the field's text. */
  run(): void {
    const s = this.state.session;
    if (!s) return;
    const query = this.input.value.trim();
    // Folded weight nodes are not drawn: their tensors are found through the nodes they feed.
    this.matches = query ? searchNodes(s.model.graph, query).filter((n) => !s.model.isHiddenWeight(n)) : [];
    this.cursor = -1;
    this.refreshHits();
    this.count.textContent = query ? `${this.matches.length} found` : '';
    this.showResults();
    this.actions.updateStatus();
    this.actions.requestFrame();
  }

  /** Hits are drawn on the visible item holding each match (a collapsed group, or the node). */
  refreshHits(): void {
    const s = this.state.session!;
    this.state.hits = new Set(this.matches.map((n) => s.model.representative(n)));
  }

  private showResults(): void {
    const s = this.state.session!;
    if (this.matches.length === 0 || document.activeElement !== this.input) {
      this.results.hidden = true;
      return;
    }
    const rows = this.matches.slice(0, 100).map((node, k) => {
      const { name, op } = resultLabel(s.model.graph, node);
      const reason = matchReason(s.model.graph, node, this.input.value.trim());
      const why = !reason ? '' : reason.by === 'tensor' ? `tensor ${visibleText(reason.tensor)}` : reason.by;
      const row = el('div', { title: `${visibleText(name)} (${visibleText(op)}), matched by ${why}`, data: { node: String(node), matched: reason?.by ?? '' } }, [
        el('span', { className: 'name', text: visibleText(name) }),
        el('span', { className: 'op', text: visibleText(op) }),
        el('span', { className: 'why', text: why }),
      ]);
      if (k === this.cursor) row.className = 'active';
      row.addEventListener('mousedown', (event) => {
        event.preventDefault();
        this.cursor = k;
        this.actions.focusNode(node);
        this.results.hidden = true;
      });
      return row;
    });
    if (this.matches.length > 100) rows.push(el('div', { text: `… ${this.matches.length - 100} more (press Enter to step through them)` }));
    this.results.replaceChildren(...rows);
    this.results.hidden = false;
  }

  private step(direction: 1 | -1): void {
    if (this.matches.length === 0) return;
    this.cursor = (this.cursor + direction + this.matches.length) % this.matches.length;
    this.count.textContent = `${this.cursor + 1} of ${this.matches.length}`;
    this.actions.focusNode(this.matches[this.cursor]!);
    this.results.hidden = true;
  }
}
