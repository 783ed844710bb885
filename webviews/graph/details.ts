import type { DiffView, ModelInfo, Overlay, WeightStats } from '../../src/protocol/graphPayload';
import type { GraphRows, TensorRow } from '../../src/protocol/graphRows';
import { el } from '../shared/dom';
import { toolbarButton } from '../shared/elements';
import { visibleMultiline, visibleText } from '../shared/displayText';
import { formatCount, formatShape } from '../shared/format';
import { dataTable, tableRow, type Cell, type VscodeTable } from '../shared/table';

export interface DetailsContext {
  readonly graph: GraphRows;
  readonly graphIndex: number;
  readonly diff: DiffView | null;
  readonly overlays: readonly Overlay[];
  readonly weightsAvailable: boolean;
  /** Short names of long symbolic dims; the full shape shows on hover. */
  readonly dimAliases?: ReadonlyMap<string, string>;
  requestWeights(tensor: number): Promise<WeightStats>;
  showHistogram(canvas: HTMLCanvasElement, stats: WeightStats): void;
  openSubgraph(graph: number, node: number, attribute: string): void;
  selectNode(node: number): void;
}

function section(title: string, ...children: Node[]): HTMLElement {
  return el('section', {}, [el('h3', { text: title }), ...children]);
}

function table(rows: ReadonlyArray<readonly Cell[]>, className = 'kv'): HTMLElement {
  return striped(dataTable(className, rows));
}

function striped(table: VscodeTable): VscodeTable {
  table.zebra = true;
  return table;
}

/** Fills the details panel for a node (all strings through textContent). */
export function showNodeDetails(panel: HTMLElement, node: number, ctx: DetailsContext): void {
  const n = ctx.graph.nodes[node]!;
  const rows: Array<[string, string]> = [
    ['name', visibleText(n.name) || '(unnamed)'],
    ['op', n.kind === 'op' ? `${n.domain ? `${visibleText(n.domain)}.` : ''}${visibleText(n.op)}` : n.kind],
  ];
  const group = ctx.graph.groups[n.group]!;
  if (n.group > 0) rows.push(['scope', visibleText(group.path)]);
  if (n.kind === 'op') {
    rows.push(['FLOPs', n.flops === null ? 'unknown' : formatCount(n.flops)]);
    rows.push(['params', formatCount(n.params)]);
  }
  for (const overlay of ctx.overlays) {
    if (overlay.graph !== ctx.graphIndex || overlay.id === 'flops' || overlay.id === 'params') continue;
    const k = overlay.nodes.indexOf(node);
    if (k >= 0) rows.push([visibleText(overlay.label), formatCount(overlay.values[k], visibleText(overlay.unit))]);
  }
  const children: Node[] = [el('h2', { text: visibleText(n.kind === 'op' ? n.op : n.name), className: 'title' }), table(rows)];
  if (ctx.diff && ctx.graphIndex === 0) {
    const status = ctx.diff.status[node] ?? 'same';
    const change = ctx.diff.changes.find((c) => c.node === node);
    const weights = change?.weights ?? [];
    children.push(
      section(
        'diff',
        el('div', { className: `diff-${status}`, text: status, data: { diffStatus: status } }),
        ...(change ? [el('ul', {}, change.what.map((w) => el('li', { text: visibleText(w) })))] : []),
        ...(weights.length > 0 ? [weightChanges(weights)] : []),
      ),
    );
  }
  if (n.attributes.length > 0) {
    children.push(section('attributes', table(n.attributes.map((a) => [visibleText(a.name), visibleText(a.value)]))));
  }
  const tensorRows = (indices: readonly number[], role: 'input' | 'output') =>
    indices.map((t, position) => {
      if (t < 0) return [`#${position}`, '(omitted)', '', ''];
      const tensor = ctx.graph.tensors[t]!;
      const link = el('a', { text: visibleText(tensor.name) || '(empty)', className: 'tensor', title: visibleText(tensor.name) });
      link.tabIndex = 0;
      const target = role === 'input' ? tensor.producer : -1;
      if (target >= 0) {
        link.addEventListener('click', () => ctx.selectNode(target));
        link.addEventListener('keydown', (e) => e.key === 'Enter' && ctx.selectNode(target));
      }
      const shapeText = formatShape(tensor.shape, ctx.dimAliases);
      const shape = el('span', { className: 'shape', text: tensor.value !== undefined ? `${shapeText} = ${visibleText(tensor.value)}` : shapeText, title: formatShape(tensor.shape) });
      return [link, tensor.dtype || '?', shape, tensor.weight ? weightsCell(t, tensor, ctx) : ''];
    });
  const declared = n.inputs.length - (n.captures ?? 0);
  if (declared > 0) children.push(section('inputs', table(tensorRows(n.inputs.slice(0, declared), 'input'), 'tensors')));
  // Values its If/Loop/Scan bodies read from this graph (drawn as edges into the node).
  if (declared < n.inputs.length) children.push(section('used by its subgraphs', table(tensorRows(n.inputs.slice(declared), 'input'), 'tensors')));
  if (n.outputs.length > 0) children.push(section('outputs', table(tensorRows(n.outputs, 'output'), 'tensors')));
  if (n.subgraphs.length > 0) {
    children.push(
      section(
        'subgraphs',
        ...n.subgraphs.map((s) => {
          const button = toolbarButton(`Open ${visibleText(s.attribute)}`, `Open the ${visibleText(s.attribute)} graph of this node`, 'open-subgraph', () => ctx.openSubgraph(s.graph, node, s.attribute));
          button.dataset.subgraph = String(s.graph);
          return button;
        }),
      ),
    );
  }
  if (n.doc) children.push(section('documentation', el('pre', { className: 'doc', text: visibleMultiline(n.doc) })));
  panel.replaceChildren(...children);
}

function weightsCell(tensor: number, view: TensorRow, ctx: DetailsContext): Node {
  const cell = el('span', { className: 'weights' });
  if (!ctx.weightsAvailable) {
    cell.textContent = `${formatCount(view.elements)} values`;
    return cell;
  }
  const button = toolbarButton('statistics', 'Read this initializer and show min, max, mean, std and a histogram', 'weight-statistics', () => {
    button.disabled = true;
    button.textContent = 'reading…';
    ctx.requestWeights(tensor).then(
      (stats) => {
        const canvas = el('canvas', { className: 'histogram' });
        canvas.width = 260;
        canvas.height = 120;
        const rows: Array<[string, string]> = [
          ['min', formatNumber(stats.min)],
          ['max', formatNumber(stats.max)],
          ['mean', formatNumber(stats.mean)],
          ['std', formatNumber(stats.std)],
          ['zeros', `${stats.zeros} of ${stats.sampled}`],
        ];
        if (stats.nonFinite > 0) rows.push(['non-finite', String(stats.nonFinite)]);
        if (stats.sampled < stats.count) rows.push(['sampled', `${stats.sampled} of ${stats.count}`]);
        // vscode-table has no spanning cells: the statistics go under the table, named by tensor.
        const block = el('div', { className: 'stats', data: { tensor: visibleText(stats.tensor) } }, [
          el('div', { className: 'stats-title', text: visibleText(stats.tensor) }),
          table(rows),
          canvas,
        ]);
        const owner = cell.closest('vscode-table');
        if (owner) owner.after(block);
        else cell.append(block);
        button.remove();
        cell.textContent = `${formatCount(stats.count)} values`;
        ctx.showHistogram(canvas, stats);
      },
      (error: unknown) => {
        button.disabled = false;
        button.textContent = 'statistics';
        cell.append(el('div', { className: 'error', text: `Could not read the weights: ${error instanceof Error ? error.message : String(error)}` }));
      },
    );
  });
  cell.append(button);
  return cell;
}

/** Per changed weight: the largest absolute difference and ||b - a|| / ||a||. */
function weightChanges(weights: NonNullable<DiffView['changes'][number]['weights']>): HTMLElement {
  const rows = weights.map((w) =>
    tableRow(
      [
        el('span', { text: visibleText(w.tensor), title: w.input >= 0 ? `input ${w.input}` : 'attribute' }),
        el('span', { className: 'max-abs', text: formatNumber(w.maxAbsDiff) }),
        el('span', { className: 'rel-l2', text: w.relativeL2 === null ? 'n/a' : formatNumber(w.relativeL2), title: w.relativeL2 === null ? 'the base weight is all zero' : '||b − a|| / ||a||' }),
      ],
      { tensor: visibleText(w.tensor) },
    ),
  );
  return striped(dataTable('weight-changes', rows, { labels: ['weight', 'max |Δ|', 'rel. L2'], columns: ['50%', '25%', '25%'] }));
}

function formatNumber(n: number | null): string {
  return n === null ? '–' : Math.abs(n) >= 1e4 || (Math.abs(n) < 1e-3 && n !== 0) ? n.toExponential(3) : n.toPrecision(4);
}

/** `drawnNodes`: nodes drawn below the group (folded weight nodes left out while hidden). */
export function showGroupDetails(panel: HTMLElement, group: number, graph: GraphRows, drawnNodes = graph.groups[group]!.size): void {
  const g = graph.groups[group]!;
  panel.replaceChildren(
    el('h2', { className: 'title', text: visibleText(g.name) }),
    table([
      ['scope', visibleText(g.path)],
      ['nodes', drawnNodes === g.size ? String(g.size) : `${drawnNodes} (and ${g.size - drawnNodes} weight nodes)`],
    ]),
  );
}

/**
 * The model's totals as `aios inspect` prints them: params of every graph (Constant weights
 * included), FLOPs for the input sizes shown (defaulted dynamic dims are labelled), and
 * "unknown" where the engine could not tell, never 0.
 */
function totalsRows(totals: ModelInfo['totals']): Array<[string, string]> {
  if (!totals) return [['params', 'unknown'], ['FLOPs', 'unknown (the model could not be analysed)']];
  const unknown = totals.unknownCostNodes > 0 ? ` (${totals.unknownCostNodes} node${totals.unknownCostNodes === 1 ? '' : 's'} of unknown cost)` : '';
  const flops = totals.flops === null ? `unknown${unknown}` : `${totals.unknownCostNodes > 0 ? '≥ ' : ''}${formatCount(totals.flops)}${unknown}`;
  const rows: Array<[string, string]> = [
    ['params', formatCount(totals.params)],
    ['FLOPs', flops],
  ];
  for (const input of totals.inputSizes) {
    if (input.sources.every((s) => s === 'model')) continue;
    const dims = input.dims ? input.dims.join('×') : 'unknown';
    const how = input.sources.includes('default') ? ' (default sizes)' : input.sources.includes('given') ? ' (given)' : '';
    rows.push([`sizes ${visibleText(input.name)}`, `${dims}${how}`]);
  }
  return rows;
}

export function showModelDetails(panel: HTMLElement, title: string, info: ModelInfo, graph: GraphRows): void {
  const ops = graph.nodes.filter((n) => n.kind === 'op');
  const folded = ops.filter((n) => n.folded).length;
  const rows: Array<[string, string]> = [
    ['producer', visibleText(info.producer) || '–'],
    ['IR version', info.irVersion],
    ['opsets', info.opsets.map((o) => `${visibleText(o.domain)} ${o.version}`).join(', ')],
    ['nodes', folded > 0 ? `${ops.length} (${folded} of them weight nodes)` : String(ops.length)],
    ...totalsRows(info.totals),
  ];
  for (const m of info.metadata.slice(0, 50)) rows.push([visibleText(m.key), visibleText(m.value)]);
  panel.replaceChildren(
    el('h2', { className: 'title', text: visibleText(title) }),
    table(rows),
    ...(info.doc ? [section('documentation', el('pre', { className: 'doc', text: visibleMultiline(info.doc) }))] : []),
  );
}
