import type { Chart } from 'chart.js';
import type { WeightStats } from '../../src/protocol/graphPayload';
import type { GraphViewToHost, HostToGraphView } from '../../src/protocol/graphMessages';
import { PendingRequests } from '../../src/shared/pendingRequests';
import { el } from '../shared/dom';
import { showGroupDetails, showModelDetails, showNodeDetails } from './details';
import { drawHistogram } from './histogram';
import type { GraphActions, ViewState } from './viewState';

const weightTimeoutMs = 30_000;

/** The details panel: model overview, or the selected node or group; weight statistics on request. */
export class DetailsController {
  readonly panel = el('aside', { className: 'details' });
  private chart: Chart | undefined;
  private readonly weightRequests = new PendingRequests<WeightStats>({
    timeoutError: (ms) => new Error(`no answer within ${ms / 1000} s; try again`),
  });

  constructor(
    private readonly state: ViewState,
    private readonly actions: GraphActions,
    private readonly post: (message: GraphViewToHost) => void,
  ) {}

  toggle(): void {
    this.panel.hidden = !this.panel.hidden;
  }

  /** Shows what `item` is (-1: the model overview). */
  show(item: number): void {
    const s = this.state.session!;
    const payload = this.state.payload!;
    this.panel.hidden = false;
    if (item < 0) this.showOverview();
    else if (s.model.isGroup(item)) showGroupDetails(this.panel, item - s.model.nodeCount, s.model.graph, s.model.drawnSize[item - s.model.nodeCount]);
    else {
      this.chart?.destroy();
      this.chart = undefined;
      showNodeDetails(this.panel, item, {
        graph: s.model.graph,
        graphIndex: s.index,
        diff: payload.diff,
        overlays: payload.overlays,
        weightsAvailable: this.state.weightsAvailable,
        dimAliases: this.state.dimAliases,
        requestWeights: (tensor) => this.requestWeights(s.index, s.model.graph.tensors[tensor]!.name),
        showHistogram: (canvas, stats) => {
          this.chart?.destroy();
          this.chart = drawHistogram(canvas, stats, this.state.palette);
        },
        openSubgraph: (graph, node, attribute) => this.actions.openSubgraph(graph, node, attribute),
        selectNode: (node) => this.actions.focusNode(node),
      });
    }
  }

  showOverview(): void {
    const payload = this.state.payload;
    if (!payload || !this.state.session) return;
    showModelDetails(this.panel, payload.title, payload.model, this.state.session.model.graph);
  }

  /** The host's answer to a `requestWeights`. */
  answer(message: Extract<HostToGraphView, { type: 'weightStats' }>): void {
    if (message.result.ok) this.weightRequests.resolve(message.requestId, message.result.stats);
    else this.weightRequests.reject(message.requestId, new Error(message.result.error));
  }

  private requestWeights(graph: number, tensor: string): Promise<WeightStats> {
    return this.weightRequests.request((requestId) => this.post({ type: 'requestWeights', requestId, graph, tensor }), { timeoutMs: weightTimeoutMs });
  }
}
