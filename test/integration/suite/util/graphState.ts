import type * as vscode from 'vscode';
import type { Model } from '../../../../src/core/onnx/model';
import { extensionId } from './extension';
import { webviews, type WebviewHandle } from './webviewBridge';

/* Browser-side code is sent as source text (no DOM types in this tsconfig). */
interface PageDocument {
  getElementById(id: string): { dataset: Record<string, string | undefined> } | null;
  querySelector(selector: string): { dispatchEvent(event: unknown): void } | null;
  body: { dataset: Record<string, string | undefined> };
}
type Page = typeof globalThis & { document: PageDocument; KeyboardEvent: new (type: string, init: { key: string; bubbles: boolean }) => unknown };

/** The graph view titled `title` (its file name is in the toolbar) whose status matches `statusSelector`. */
export function graphViewWith(title: string, statusSelector: string, timeoutMs = 30_000): Promise<WebviewHandle> {
  return webviews.waitFor({ extensionId, text: title, selector: `#graph-status${statusSelector}` }, timeoutMs);
}

export async function graphStatus(view: WebviewHandle): Promise<Record<string, string | undefined>> {
  return webviews.evaluate(view, () => ({ ...((globalThis as Page).document.getElementById('graph-status')?.dataset ?? {}) }), null);
}

/** Presses keys on the canvas as the keyboard would (the canvas handles its own keydown). */
export async function pressOnCanvas(view: WebviewHandle, keys: string[]): Promise<void> {
  await webviews.evaluate(
    view,
    (list: string[]) => {
      const page = globalThis as Page;
      const canvas = page.document.querySelector('canvas.graph')!;
      for (const key of list) canvas.dispatchEvent(new page.KeyboardEvent('keydown', { key, bubbles: true }));
    },
    keys,
  );
}

export type GraphViewState = ReturnType<typeof viewOf>;

/** What must come back: camera, selection, expanded groups, overlay and search. */
export function viewOf(s: Record<string, string | undefined>) {
  return { camera: s.camera, selected: s.selected, expandedGroups: s.expandedGroups, visibleItems: s.visibleItems, overlay: s.overlay, searchCount: s.searchCount };
}

/**
 * Moves a freshly opened graph view away from its first screen: everything collapsed, a Relu
 * found by search (its groups open, it is selected), zoomed in and panned, FLOPs overlay on.
 * Resolves with the view once it says it saved that state, and the state itself.
 */
export async function changeGraphView(title: string, model: Model, uri: vscode.Uri): Promise<{ view: WebviewHandle; initial: GraphViewState; changed: GraphViewState }> {
  let view = await graphViewWith(title, '[data-state="shown"][data-layout="final"]');
  const initial = viewOf(await graphStatus(view));
  const target = model.graph.nodes.find((n) => n.opType === 'Relu')!.name;
  await pressOnCanvas(view, ['_']);
  await graphViewWith(title, '[data-layout="final"][data-expanded-groups="0"]');
  await webviews.type(view, 'vscode-textfield.search input', `${target}\n`);
  await graphViewWith(title, `[data-selected=${JSON.stringify(target)}][data-layout="final"]`);
  await pressOnCanvas(view, ['+', '+', 'ArrowLeft']);
  await webviews.evaluate(
    view,
    () => {
      const page = globalThis as Page;
      const select = page.document.querySelector('.toolbar vscode-single-select.overlay') as unknown as { value: string; dispatchEvent(e: unknown): void };
      select.value = 'flops';
      select.dispatchEvent(new (globalThis as unknown as { Event: new (type: string) => unknown }).Event('change'));
    },
    null,
  );
  view = await graphViewWith(title, '[data-overlay="flops"][data-view-saved="true"]');
  const changed = viewOf(await graphStatus(view));
  if (changed.camera === initial.camera) throw new Error(`the camera did not move (${uri.fsPath})`);
  if (changed.expandedGroups === initial.expandedGroups) throw new Error('the open groups did not change');
  if (changed.selected !== target) throw new Error(`${target} is not selected (${changed.selected})`);
  return { view, initial, changed };
}

/** Marks the page, so a later look can tell a recreated webview from the same one. */
export async function markPage(view: WebviewHandle, mark: string): Promise<void> {
  await webviews.evaluate(view, (m: string) => void ((globalThis as Page).document.body.dataset.page = m), mark);
}

export async function pageMark(view: WebviewHandle): Promise<string> {
  return webviews.evaluate(view, () => (globalThis as Page).document.body.dataset.page ?? 'new', null);
}
