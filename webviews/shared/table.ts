// VS Code's table (vscode-table) for the webviews' small read-only tables. Column widths come
// from the header when there is one; header-less key/value tables size their columns by the
// first row (the table body lays out with `table-layout: fixed`), set in each view's style.
import '@vscode-elements/elements/dist/vscode-table/index.js';
import '@vscode-elements/elements/dist/vscode-table-header/index.js';
import '@vscode-elements/elements/dist/vscode-table-header-cell/index.js';
import '@vscode-elements/elements/dist/vscode-table-body/index.js';
import '@vscode-elements/elements/dist/vscode-table-row/index.js';
import '@vscode-elements/elements/dist/vscode-table-cell/index.js';
import type { VscodeTable } from '@vscode-elements/elements/dist/vscode-table/vscode-table.js';
import { el } from './dom';

export type { VscodeTable };
export type Cell = string | Node;

export function tableRow(cells: readonly Cell[], data: Record<string, string> = {}): HTMLElement {
  return el('vscode-table-row', { data }, cells.map((c) => (typeof c === 'string' ? el('vscode-table-cell', { text: c }) : el('vscode-table-cell', {}, [c]))));
}

export interface TableHeader {
  readonly labels: readonly string[];
  /** Widths per column (`'35%'`, `'auto'`), as vscode-table's `columns` takes them. */
  readonly columns: readonly string[];
}

/** `rows` are row elements (tableRow) or plain cell lists. */
export function dataTable(className: string, rows: ReadonlyArray<HTMLElement | readonly Cell[]>, header?: TableHeader): VscodeTable {
  const table = document.createElement('vscode-table');
  if (className) table.className = className;
  if (header) {
    table.columns = [...header.columns];
    const head = document.createElement('vscode-table-header');
    head.slot = 'header';
    head.append(...header.labels.map((label) => el('vscode-table-header-cell', { text: label })));
    table.append(head);
  }
  const body = document.createElement('vscode-table-body');
  body.slot = 'body';
  body.append(...rows.map((r) => (r instanceof HTMLElement ? r : tableRow(r))));
  table.append(body);
  return table;
}
