import { el } from '../shared/dom';
import { visibleText } from '../shared/displayText';
import { toolbarButton, type VscodeButton } from '../shared/elements';
import type { OverlayController } from './overlayController';
import type { SearchController } from './searchController';
import type { GraphActions, ViewState } from './viewState';

/** The bar above the canvas: back, title and breadcrumb, search, overlay picker, weight nodes, fit and details. */
export class Toolbar {
  private readonly title = el('span', { className: 'title', text: 'AIOS Model Graph' });
  private readonly crumbs = el('span', { className: 'crumbs' });
  private readonly backButton: VscodeButton;
  private readonly weightsToggle: VscodeButton;
  readonly element: HTMLElement;

  constructor(
    private readonly state: ViewState,
    actions: GraphActions,
    search: SearchController,
    overlays: OverlayController,
    toggleDetails: () => void,
  ) {
    this.backButton = toolbarButton('◂ Back', 'Back to the enclosing graph (Backspace)', 'back', () => actions.back());
    this.backButton.hidden = true;
    this.weightsToggle = toolbarButton(
      'Weight nodes',
      'Show weight nodes (Constant, Identity of initializers, DequantizeLinear of constants, …) as nodes instead of rows inside the node they feed (W)',
      'weights',
      () => actions.setShowWeights(!this.state.showWeights),
    );
    this.weightsToggle.classList.add('weights-toggle');
    this.weightsToggle.setAttribute('aria-pressed', 'false');
    this.element = el('div', { className: 'toolbar' }, [
      this.backButton, this.title, this.crumbs, el('span', { className: 'spacer' }),
      search.input, search.count, search.prev, search.next, overlays.select, this.weightsToggle,
      toolbarButton('Fit', 'Fit the graph to the view (F)', 'fit', () => actions.fit()),
      toolbarButton('Details', 'Show or hide the details panel', 'details', toggleDetails),
    ]);
  }

  setTitle(title: string): void {
    this.title.textContent = visibleText(title);
    this.title.title = visibleText(title);
  }

  /** Pressed (a primary button) while weight nodes are drawn; disabled when the open graph has none. */
  updateWeightsToggle(): void {
    const graph = this.state.session?.model.graph;
    const count = graph ? graph.nodes.reduce((n, node) => n + (node.folded ? 1 : 0), 0) : 0;
    this.weightsToggle.setAttribute('aria-pressed', String(this.state.showWeights));
    this.weightsToggle.secondary = !this.state.showWeights;
    this.weightsToggle.disabled = count === 0;
    this.weightsToggle.textContent = count > 0 ? `Weight nodes (${count})` : 'Weight nodes';
  }

  /** Breadcrumb of the open subgraph, and Back when there is somewhere to go back to. */
  updateCrumbs(): void {
    const s = this.state.session!;
    const g = this.state.payload!.graphs[s.index]!;
    this.crumbs.textContent = s.index === 0 ? '' : `› ${visibleText(g.title)}`;
    this.backButton.hidden = this.state.trail.length === 0;
  }
}
