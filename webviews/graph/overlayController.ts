import type { DiffStatus, Overlay } from '../../src/protocol/graphPayload';
import { el } from '../shared/dom';
import { visibleText } from '../shared/displayText';
import { formatCount } from '../shared/format';
import { setChoices, singleSelect } from '../shared/elements';
import { mix } from '../shared/theme';
import { OverlayColors, rampColor } from './overlayColors';
import type { GraphActions, ViewState } from './viewState';

/** Node colours (metric overlay or diff status), the overlay picker and the legend. */
export class OverlayController {
  readonly select = singleSelect('overlay', 'Overlay');
  readonly legend = el('div', { className: 'legend' });
  /** The overlay shown, or 'none'. */
  id = 'none';
  private colors: OverlayColors | undefined;
  private diffFills: string[] | undefined;

  constructor(
    private readonly state: ViewState,
    private readonly actions: GraphActions,
  ) {
    this.select.title = 'Colour nodes by a metric';
    this.legend.hidden = true;
    this.select.addEventListener('change', () => this.show(this.select.value));
  }

  /** Lists the overlays of the open graph in the picker. */
  fillOptions(): void {
    const payload = this.state.payload;
    const s = this.state.session;
    if (!payload || !s) return;
    const choices = [{ value: 'none', label: 'No overlay' }];
    for (const o of payload.overlays) if (o.graph === s.index) choices.push({ value: o.id, label: visibleText(o.label) });
    setChoices(this.select, choices, this.id);
  }

  show(id: string): void {
    const s = this.state.session!;
    const overlay = this.state.payload!.overlays.find((o) => o.id === id && o.graph === s.index);
    this.id = overlay ? id : 'none';
    if (this.select.value !== this.id) this.select.value = this.id;
    this.colors = overlay ? new OverlayColors(overlay, s.model, this.state.palette.ramp) : undefined;
    this.drawLegend(overlay);
    this.actions.invalidateMinimap();
    this.actions.updateStatus();
    this.actions.requestFrame();
  }

  /** Diff colours of the main graph's nodes, and of groups holding a change. */
  computeDiffFills(): void {
    const s = this.state.session!;
    const diff = this.state.payload!.diff;
    if (!diff || s.index !== 0) {
      this.diffFills = undefined;
      return;
    }
    const p = this.state.palette;
    const colour: Record<DiffStatus, string> = {
      same: p.nodeFill,
      added: mix(p.nodeFill, p.added, 0.6),
      removed: mix(p.nodeFill, p.removed, 0.6),
      changed: mix(p.nodeFill, p.changed, 0.6),
    };
    const fills = diff.status.map((status) => colour[status]);
    const groupTouched = new Uint8Array(s.model.groupCount);
    diff.status.forEach((status, node) => {
      if (status === 'same') return;
      for (let g = s.model.graph.nodes[node]!.group; g >= 0; g = s.model.graph.groups[g]!.parent) groupTouched[g] = 1;
    });
    for (let g = 0; g < s.model.groupCount; g++) fills.push(groupTouched[g] ? mix(p.nodeFill, p.changed, 0.35) : mix(p.nodeFill, p.foreground, 0.06));
    this.diffFills = fills;
  }

  /** Theme colours changed: recompute every fill. */
  refresh(): void {
    this.computeDiffFills();
    this.show(this.id);
  }

  readonly fillOf = (item: number): string => {
    const s = this.state.session!;
    const palette = this.state.palette;
    if (this.colors) return this.colors.colorOf(item) ?? (s.model.isGroup(item) ? mix(palette.nodeFill, palette.foreground, 0.06) : palette.nodeFill);
    if (this.diffFills) return this.diffFills[item] ?? palette.nodeFill;
    return s.model.isGroup(item) ? mix(palette.nodeFill, palette.foreground, 0.06) : palette.nodeFill;
  };

  private drawLegend(overlay: Overlay | undefined): void {
    const diff = this.state.payload?.diff;
    const palette = this.state.palette;
    if (overlay && overlay.values.length === 0) {
      // No node has a value (e.g. FLOPs of a model whose shapes are not known): say so instead of a 0 … 0 ramp.
      const why = overlay.id === 'flops' ? ' (shapes are not known; set the input sizes)' : '';
      this.legend.replaceChildren(
        el('div', { text: visibleText(overlay.label) }),
        el('div', { className: 'unknown', text: `unknown for every node${why}` }),
        el('div', { className: 'row' }, [swatch(palette.nodeFill), el('span', { text: 'no value' })]),
      );
      this.legend.dataset.overlay = overlay.id;
      this.legend.dataset.unknown = 'true';
      this.legend.hidden = false;
      return;
    }
    delete this.legend.dataset.unknown;
    if (overlay && this.colors) {
      const ramp = el('canvas');
      ramp.width = 160;
      ramp.height = 10;
      const ctx = ramp.getContext('2d')!;
      for (let x = 0; x < 160; x++) {
        ctx.fillStyle = rampColor(palette.ramp, x / 159);
        ctx.fillRect(x, 0, 1, 10);
      }
      const unit = visibleText(overlay.unit);
      this.legend.replaceChildren(
        el('div', { text: `${visibleText(overlay.label)}${overlay.scale === 'log' ? ' (log scale)' : ''}` }),
        ramp,
        el('div', { className: 'row' }, [el('span', { text: formatCount(this.colors.min, unit) }), el('span', { className: 'spacer' }), el('span', { text: `… ${formatCount(this.colors.max, unit)}` })]),
        el('div', { className: 'row' }, [swatch(palette.nodeFill), el('span', { text: 'no value' })]),
      );
      this.legend.dataset.overlay = overlay.id;
      this.legend.hidden = false;
    } else if (diff && this.state.session?.index === 0) {
      const count = (status: DiffStatus) => diff.status.filter((s) => s === status).length;
      this.legend.replaceChildren(
        el('div', { text: `${visibleText(diff.baseTitle)} → ${visibleText(diff.otherTitle)}` }),
        el('div', { className: 'row' }, [swatch(mix(palette.nodeFill, palette.added, 0.6)), el('span', { text: `added ${count('added')}` })]),
        el('div', { className: 'row' }, [swatch(mix(palette.nodeFill, palette.removed, 0.6)), el('span', { text: `removed ${count('removed')}` })]),
        el('div', { className: 'row' }, [swatch(mix(palette.nodeFill, palette.changed, 0.6)), el('span', { text: `changed ${count('changed')}` })]),
      );
      this.legend.dataset.overlay = 'diff';
      this.legend.hidden = false;
    } else {
      this.legend.hidden = true;
      delete this.legend.dataset.overlay;
    }
  }
}

function swatch(color: string): HTMLElement {
  const s = el('span', { className: 'swatch' });
  s.style.background = color;
  return s;
}
