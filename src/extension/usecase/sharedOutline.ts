import type * as vscode from 'vscode';
import type { OutlineSymbol } from '../../core/usecase/editor/outline';

/** From this size on the outline comes from the validation worker: parsing on the host would block it. */
export const workerOutlineMinLines = 1500;

/** An outline, `'overtaken'` when the document changed or the request was cancelled, `'none'` when no validation will bring one. */
export type SharedOutline = readonly OutlineSymbol[] | 'overtaken' | 'none';

/**
 * The outline of big documents, as the validation worker computed it for a document version,
 * so the outline provider waits for it instead of parsing on the extension host's thread.
 */
export class SharedOutlines {
  private readonly byDocument = new WeakMap<vscode.TextDocument, { readonly version: number; readonly symbols: readonly OutlineSymbol[] }>();
  private readonly waiting = new Map<vscode.TextDocument, Array<(outline: SharedOutline) => void>>();
  /** Set by the diagnostics: whether a validation of the document's current version will bring an outline. */
  validationPending: (document: vscode.TextDocument) => boolean = () => false;

  remember(document: vscode.TextDocument, version: number, symbols: readonly OutlineSymbol[]): void {
    if (document.version === version) this.byDocument.set(document, { version, symbols });
    this.resolve(document, document.version === version ? symbols : 'overtaken');
  }

  /** A validation ended without an outline (failed, or the document closed): whoever waits must get one elsewhere. */
  settle(document: vscode.TextDocument): void {
    this.resolve(document, 'none');
  }

  /** The outline of the document's current version: at once when known, after the coming validation otherwise. */
  wait(document: vscode.TextDocument, token: vscode.CancellationToken): Promise<SharedOutline> {
    const hit = this.byDocument.get(document);
    if (hit && hit.version === document.version) return Promise.resolve(hit.symbols);
    if (!this.validationPending(document)) return Promise.resolve('none');
    return new Promise((resolve) => {
      const list = this.waiting.get(document) ?? [];
      list.push(resolve);
      this.waiting.set(document, list);
      token.onCancellationRequested(() => resolve('overtaken'));
    });
  }

  private resolve(document: vscode.TextDocument, outline: SharedOutline): void {
    const waiters = this.waiting.get(document);
    this.waiting.delete(document);
    for (const resolve of waiters ?? []) resolve(outline);
  }
}
