import type { GivenInputSizes } from '../../src/protocol/graphMessages';
import { maxInputDim } from '../../src/protocol/graphMessages';
import type { Dim, GraphPayload } from '../../src/protocol/graphPayload';
import { fromColumns } from '../../src/protocol/graphRows';
import { el } from '../shared/dom';
import { textField, toolbarButton, type VscodeTextfield } from '../shared/elements';
import { visibleText } from '../shared/displayText';

/** A model input as the file declares it, and the sizes the figures were computed for (defaults included). */
export interface DeclaredInput {
  readonly name: string;
  readonly shape: readonly Dim[] | null;
  readonly used?: readonly number[] | null;
}

/** The main graph's inputs with their declared shapes (from the model totals; else from the input tensors). */
export function declaredInputs(payload: GraphPayload): DeclaredInput[] {
  const sizes = payload.model.totals?.inputSizes;
  if (sizes && sizes.length > 0) return sizes.map((i) => ({ name: i.name, shape: i.declared, used: i.dims }));
  const rows = fromColumns(payload.graphs[0]!);
  return rows.nodes.filter((n) => n.kind === 'input').map((n) => ({ name: n.name, shape: rows.tensors[n.outputs[0]!]?.shape ?? null }));
}

const isDynamic = (d: Dim) => typeof d !== 'number';

/**
 * The input-size control: a toolbar button opening a panel with one number field per dynamic
 * dim of each input (fixed dims shown as text). Apply sends the sizes to the host, which
 * recomputes shapes, FLOPs and overlays in its worker; the panel says whether they were used.
 */
export class InputSizesControl {
  readonly toggle = toolbarButton('Input sizes', 'Set the dynamic dims of the model inputs; shapes and FLOPs are recomputed for them', 'input-sizes', () => {
    this.panel.hidden = !this.panel.hidden;
    if (!this.panel.hidden) this.panel.querySelector<VscodeTextfield>('vscode-textfield')?.focus();
  });
  readonly panel = el('div', { className: 'input-sizes' });
  private readonly rows = el('div', { className: 'rows' });
  private readonly message = el('div', { className: 'message' });
  private inputs: DeclaredInput[] = [];
  /** Sizes last used by the host ({} : the model's own dims). */
  private applied: GivenInputSizes = {};
  /** Sizes last asked for (kept with the view state, so they are asked for again after a reload). */
  requested: GivenInputSizes = {};

  constructor(
    private readonly send: (sizes: GivenInputSizes) => void,
    private readonly aliasOf: (symbol: string) => string,
  ) {
    this.toggle.hidden = true;
    this.panel.hidden = true;
    this.panel.dataset.state = 'default';
    const apply = toolbarButton('Apply', 'Recompute shapes and FLOPs for these sizes (Enter)', 'apply-input-sizes', () => this.apply());
    apply.secondary = false;
    apply.classList.add('apply');
    const reset = toolbarButton('Model dims', 'Forget the sizes set here', 'reset-input-sizes', () => this.submit({}));
    reset.classList.add('reset');
    this.panel.append(el('div', { className: 'heading', text: 'Sizes of dynamic input dims' }), this.rows, el('div', { className: 'actions' }, [apply, reset]), this.message);
    this.panel.addEventListener('keydown', (event) => {
      if (event.key === 'Enter') {
        event.preventDefault();
        this.apply();
      } else if (event.key === 'Escape') this.panel.hidden = true;
    });
  }

  /** A model was (re)loaded: its declared inputs; the control shows only when some dim is dynamic. */
  setInputs(inputs: DeclaredInput[], sizes: GivenInputSizes): void {
    this.inputs = inputs;
    const dynamic = inputs.filter((i) => i.shape?.some(isDynamic));
    this.toggle.hidden = dynamic.length === 0;
    if (dynamic.length === 0) this.panel.hidden = true;
    this.rows.replaceChildren(
      ...dynamic.map((input) =>
        el('div', { className: 'row' }, [
          el('span', { className: 'name', text: visibleText(input.name), title: visibleText(input.name) }),
          el('span', { className: 'dims' }, this.dimCells(input, sizes[input.name])),
        ]),
      ),
    );
    this.applied = sizes;
    this.requested = sizes;
    this.setState(Object.keys(sizes).length > 0 ? 'pending' : 'default', '');
  }

  /** The host used these sizes. */
  used(sizes: GivenInputSizes): void {
    this.applied = sizes;
    const text = this.describe(sizes);
    this.setState(Object.keys(sizes).length > 0 ? 'applied' : 'default', text ? `Shapes and FLOPs for ${text}.` : 'Shapes and FLOPs for the model’s own dims.');
  }

  /** The host refused the sizes: say why, keep the fields as typed. */
  refused(message: string): void {
    this.setState('failed', message);
  }

  /** `input=2×3×H×W` for the sizes in use, for the status element. */
  describe(sizes: GivenInputSizes = this.applied): string {
    return Object.entries(sizes)
      .map(([name, dims]) => {
        const declared = this.inputs.find((i) => i.name === name)?.shape ?? [];
        return `${name}=${dims.map((d, k) => d ?? shown(declared[k] ?? null, this.aliasOf)).join('×')}`;
      })
      .join(', ');
  }

  get state(): string {
    return this.panel.dataset.state ?? 'default';
  }

  private dimCells(input: DeclaredInput, given: ReadonlyArray<number | null> | undefined): HTMLElement[] {
    const cells: HTMLElement[] = [];
    (input.shape ?? []).forEach((d, k) => {
      if (k > 0) cells.push(el('span', { className: 'times', text: '×' }));
      if (!isDynamic(d)) {
        cells.push(el('span', { className: 'fixed', text: String(d) }));
        return;
      }
      const title = typeof d === 'string' ? `${visibleText(d)} (dim ${k})` : `dim ${k} (unnamed)`;
      // Empty means "the size the figures use now": the default (batch 1, image sides 224, …) unless set.
      const used = input.used?.[k];
      const field = textField('dim', used !== undefined ? String(used) : shown(d, this.aliasOf), `${input.name} dim ${k}${typeof d === 'string' ? ` (${d})` : ''}`);
      field.type = 'number';
      field.min = 1;
      field.max = maxInputDim;
      field.dataset.input = input.name;
      field.dataset.dim = String(k);
      field.title = used !== undefined ? `${title}; ${used} unless set` : title;
      const value = given?.[k];
      if (typeof value === 'number') field.value = String(value);
      cells.push(field);
    });
    return cells;
  }

  private apply(): void {
    const sizes = Object.create(null) as Record<string, Array<number | null>>; // input names may be `__proto__`
    for (const field of this.panel.querySelectorAll<VscodeTextfield>('vscode-textfield[data-input]')) {
      const name = field.dataset.input!;
      const dim = Number(field.dataset.dim);
      const declared = this.inputs.find((i) => i.name === name)?.shape ?? [];
      const text = field.value.trim();
      if (text === '') continue;
      const value = Number(text);
      if (!Number.isInteger(value) || value < 1 || value > maxInputDim) {
        this.setState('failed', `${name} dim ${dim}: ${text} is not a whole number from 1 to ${maxInputDim}.`);
        field.focus();
        return;
      }
      sizes[name] ??= declared.map(() => null);
      sizes[name][dim] = value;
    }
    this.submit(sizes);
  }

  private submit(sizes: GivenInputSizes): void {
    this.setState('pending', 'Recomputing shapes and FLOPs…');
    this.requested = sizes;
    this.send(sizes);
  }

  private setState(state: 'default' | 'pending' | 'applied' | 'failed', message: string): void {
    this.panel.dataset.state = state;
    this.message.textContent = message;
    this.message.className = state === 'failed' ? 'message error' : 'message';
  }
}

function shown(d: Dim, aliasOf: (symbol: string) => string): string {
  return d === null ? '?' : typeof d === 'string' ? aliasOf(d) : String(d);
}
