import * as vscode from 'vscode';
import { isScalar } from 'yaml';
import { findNode } from '../../core/diagnostics/yamlDocument';
import type { z } from 'zod';
import { describeAt, type SchemaInfo } from '../../core/diagnostics/schemaWalk';
import { quantityKinds } from '../../core/quantity/units';
import type { Catalog } from '../../core/soc/catalog';
import { socSchema } from '../../core/soc/schema';
import { writtenModelPath } from '../../core/usecase/editor/anchors';
import { keyDocMarkdown, typeLabel } from '../../core/usecase/editor/keyDoc';
import { referencesFrom, splitTyped } from '../../core/usecase/editor/references';
import { itemSnippet, keySnippet, type SnippetOptions } from '../../core/usecase/editor/snippets';
import { engineFigures, targetDetail, targetMarkdown } from '../../core/usecase/editor/targetFigures';
import { cursorSlot, type YamlPath } from '../../core/usecase/editor/yamlCursor';
import { useCaseSchema } from '../../core/usecase/schema';
import { resolveInWorkspace } from '../../core/usecase/workspacePath';
import { excludedFolders } from './nameIndex';
import type { UseCaseWorkspace } from './useCaseWorkspace';

type Segment = string | number;

/** `['targets', 0, 'soc']` matches `['targets', '#', 'soc']`: `#` stands for any list index. */
function matches(path: YamlPath, pattern: readonly Segment[]): boolean {
  return path.length === pattern.length && pattern.every((p, i) => (p === '#' ? typeof path[i] === 'number' : p === path[i]));
}

function schemaOf(document: vscode.TextDocument): z.core.$ZodType {
  return document.languageId === 'aios-soc' ? socSchema : useCaseSchema;
}

/**
 * Completion in use-case and SoC files: keys valid at the cursor (whole blocks as snippets),
 * enum values, catalog target ids with their figures, the model's real input and output
 * names, and paths relative to the file.
 */
export class UseCaseCompletionProvider implements vscode.CompletionItemProvider {
  static readonly triggerCharacters = [':', ' ', '/', '-', '{', ','];

  constructor(private readonly workspace: UseCaseWorkspace) {}

  async provideCompletionItems(document: vscode.TextDocument, position: vscode.Position, token: vscode.CancellationToken): Promise<vscode.CompletionItem[]> {
    const text = document.getText();
    const slot = cursorSlot(text, document.offsetAt(position));
    const range = new vscode.Range(document.positionAt(slot.replace[0]), document.positionAt(slot.replace[1]));
    const schema = schemaOf(document);
    const catalog = await this.workspace.catalogFor(document.uri);
    if (token.isCancellationRequested) return [];
    const snippetOptions = this.snippetOptions(catalog, schema === useCaseSchema);

    if (slot.kind === 'key') {
      const info = describeAt(schema, slot.path);
      if (info?.kind === 'object') return this.keyItems(schema, slot.path, info, slot.presentKeys, range, snippetOptions, slot.inFlow, slot.listItem, slot.hasColon);
      if (info?.kind === 'array' && !slot.listItem) return this.newItem(schema, slot.path, range, snippetOptions);
      if (info && slot.listItem) return this.valueItems(document, text, slot.path, info, slot.partial, range, false, catalog, token);
      return [];
    }
    const info = describeAt(schema, slot.path);
    if (!info) return [];
    return this.valueItems(document, text, slot.path, info, slot.partial, range, slot.needsSpace, catalog, token);
  }

  private snippetOptions(catalog: Catalog, isUseCase: boolean): SnippetOptions {
    return {
      choices: (path) => (isUseCase && matches(path, ['targets', '#', 'soc']) ? catalog.ids() : undefined),
      include: (path) => {
        if (!isUseCase) return undefined;
        if (matches(path, ['targets', '#'])) return ['budgets'];
        if (matches(path, ['targets', '#', 'budgets'])) return ['latency'];
        return undefined;
      },
    };
  }

  private keyItems(
    schema: z.core.$ZodType,
    path: YamlPath,
    info: SchemaInfo,
    present: readonly string[],
    range: vscode.Range,
    options: SnippetOptions,
    inFlow: boolean,
    listItem: boolean,
    hasColon: boolean,
  ): vscode.CompletionItem[] {
    const taken = new Set(present);
    return (info.keys ?? [])
      .filter((k) => !taken.has(k.name))
      .map((k, order) => {
        const item = new vscode.CompletionItem(k.name, vscode.CompletionItemKind.Property);
        item.range = range;
        const child = describeAt(schema, [...path, k.name]);
        item.detail = `${child ? typeLabel(child) : k.kind}${k.required && !(child && 'defaultValue' in child) ? ' · required' : ''}`;
        const doc = keyDocMarkdown(schema, [...path, k.name]);
        if (doc) item.documentation = new vscode.MarkdownString(doc);
        let snippet = hasColon ? k.name : inFlow ? `${k.name}: $0` : keySnippet(schema, path, k.name, options);
        // After `- ` the key sits two columns right of the line's indentation VS Code re-applies.
        if (listItem) snippet = snippet.replace(/\n/g, '\n  ');
        item.insertText = new vscode.SnippetString(snippet);
        item.sortText = `${k.required ? '0' : '1'}${String(order).padStart(3, '0')}`;
        if (snippet.includes('\n')) item.kind = vscode.CompletionItemKind.Module;
        return item;
      });
  }

  /** Under a list key with no dash yet: a whole new item. */
  private newItem(schema: z.core.$ZodType, path: YamlPath, range: vscode.Range, options: SnippetOptions): vscode.CompletionItem[] {
    const element = describeAt(schema, [...path, 0]);
    if (element?.kind !== 'object') return [];
    const item = new vscode.CompletionItem(`- new ${String(path[path.length - 1] ?? 'item')} item`, vscode.CompletionItemKind.Snippet);
    item.range = range;
    item.insertText = new vscode.SnippetString(`- ${itemSnippet(schema, [...path, 0], options).replace(/\n/g, '\n  ')}`);
    item.filterText = '-';
    const doc = keyDocMarkdown(schema, [...path, 0]);
    if (doc) item.documentation = new vscode.MarkdownString(doc);
    return [item];
  }

  private async valueItems(
    document: vscode.TextDocument,
    text: string,
    path: YamlPath,
    info: SchemaInfo,
    partial: string,
    range: vscode.Range,
    needsSpace: boolean,
    catalog: Catalog,
    token: vscode.CancellationToken,
  ): Promise<vscode.CompletionItem[]> {
    const lead = needsSpace ? ' ' : '';
    const make = (label: string, kind: vscode.CompletionItemKind, detail?: string, documentation?: string): vscode.CompletionItem => {
      const item = new vscode.CompletionItem(label, kind);
      item.range = range;
      item.insertText = `${lead}${label}`;
      if (detail) item.detail = detail;
      if (documentation) item.documentation = new vscode.MarkdownString(documentation);
      return item;
    };
    const isUseCase = document.languageId === 'aios-usecase';

    if (isUseCase && matches(path, ['targets', '#', 'soc'])) {
      return catalog.entries().map((entry) => {
        const item = make(entry.target.id, vscode.CompletionItemKind.Constant, entry.target.name, targetMarkdown(entry));
        // The description shows on every row of the list, not only the focused one.
        item.label = { label: entry.target.id, description: targetDetail(entry) };
        return item;
      });
    }
    if (isUseCase && matches(path, ['targets', '#', 'engine'])) {
      const socId = this.siblingValue(document, path, 'soc');
      const target = socId ? catalog.get(socId) : undefined;
      if (target) return target.engines.map((e) => make(e.kind, vscode.CompletionItemKind.EnumMember, `${e.name ?? e.id}: ${engineFigures(e)}`));
    }
    if (isUseCase && (matches(path, ['model', 'inputs', '#', 'name']) || matches(path, ['model', 'outputs', '#', 'name']))) {
      return this.tensorNames(document, text, path[1] === 'inputs' ? 'inputs' : 'outputs', make, token);
    }
    if (isUseCase && matches(path, ['model', 'path'])) return this.paths(document, partial, 'model', make);
    if (isUseCase && matches(path, ['calibration', 'data'])) {
      return [make('synthetic', vscode.CompletionItemKind.Keyword, 'generated inputs, no data folder'), ...(await this.paths(document, partial, 'folder', make))];
    }
    if (isUseCase && matches(path, ['safety', 'evidence', '#'])) return this.paths(document, partial, 'file', make);

    if (info.values && info.values.length > 0) {
      return info.values.map((v) => make(v, vscode.CompletionItemKind.EnumMember, v === info.defaultValue ? 'default' : undefined, info.description));
    }
    if (info.kind === 'boolean') return ['true', 'false'].map((v) => make(v, vscode.CompletionItemKind.Keyword));
    if (info.kind === 'quantity' && info.quantity) {
      const kind = quantityKinds[info.quantity];
      const number = /^\d+(\.\d*)?$/.test(partial) ? partial : '1';
      return kind.units.map((u, i) => {
        const item = make(`${number}${u.unit}`, vscode.CompletionItemKind.Unit, kind.noun);
        item.sortText = u.unit === kind.defaultUnit ? '0' : `1${i}`;
        return item;
      });
    }
    return [];
  }

  /** A scalar next to `path` in the same mapping (e.g. the soc of the target whose engine is typed). */
  private siblingValue(document: vscode.TextDocument, path: YamlPath, key: string): string | undefined {
    const found = findNode(this.workspace.parse(document).document, [...path.slice(0, -1), key]).value;
    return isScalar(found) && typeof found.value === 'string' ? found.value : undefined;
  }

  private async tensorNames(
    document: vscode.TextDocument,
    text: string,
    side: 'inputs' | 'outputs',
    make: (label: string, kind: vscode.CompletionItemKind, detail?: string) => vscode.CompletionItem,
    token: vscode.CancellationToken,
  ): Promise<vscode.CompletionItem[]> {
    if (document.uri.scheme !== 'file') return [];
    const parsed = this.workspace.parse(document);
    const reference = writtenModelPath(parsed.value, text);
    if (!reference) return [];
    const root = this.workspace.rootOf(document.uri);
    const verdict = await resolveInWorkspace(root, document.uri.fsPath, reference, undefined);
    if (!verdict.ok || token.isCancellationRequested) return [];
    try {
      const metadata = await this.workspace.models.get(this.workspace.fs, verdict.path);
      return metadata[side].map((t) => make(t.name, vscode.CompletionItemKind.Variable, `${t.dtype ?? 'tensor'} [${(t.shape ?? []).map((d) => (d === undefined ? '?' : String(d))).join(', ')}] — ${side.slice(0, -1)} of ${reference}`));
    } catch {
      return [];
    }
  }

  /** Paths relative to the file: workspace models for model.path, else the entries of the typed folder. */
  private async paths(
    document: vscode.TextDocument,
    typed: string,
    want: 'model' | 'folder' | 'file',
    make: (label: string, kind: vscode.CompletionItemKind, detail?: string) => vscode.CompletionItem,
  ): Promise<vscode.CompletionItem[]> {
    if (document.uri.scheme !== 'file') return [];
    const file = document.uri.fsPath;
    const root = this.workspace.rootOf(document.uri);
    const items: vscode.CompletionItem[] = [];
    const seen = new Set<string>();
    const add = (label: string, kind: vscode.CompletionItemKind, detail?: string) => {
      if (seen.has(label)) return;
      seen.add(label);
      items.push(make(label, kind, detail));
    };
    if (want === 'model') {
      const folder = vscode.workspace.getWorkspaceFolder(document.uri);
      const models = folder ? await vscode.workspace.findFiles(new vscode.RelativePattern(folder, '**/*.onnx'), excludedFolders, 500) : [];
      for (const ref of referencesFrom(file, root, models.map((u) => u.fsPath))) add(ref, vscode.CompletionItemKind.File, 'ONNX model');
    }
    const { folder } = splitTyped(typed);
    const verdict = await resolveInWorkspace(root, file, folder || '.', undefined);
    if (verdict.ok) {
      const stat = await this.workspace.fs.stat(verdict.path);
      if (stat?.type === 'directory') {
        for (const entry of await this.workspace.fs.readDirectory(verdict.path)) {
          if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
          const label = `${folder}${entry.name}`;
          if (entry.type === 'directory') {
            const item = make(`${label}/`, vscode.CompletionItemKind.Folder, want === 'folder' ? 'folder' : undefined);
            // Choosing a folder keeps completing inside it.
            if (want !== 'folder') item.command = { command: 'editor.action.triggerSuggest', title: 'Complete inside the folder' };
            if (!seen.has(item.label as string)) {
              seen.add(item.label as string);
              items.push(item);
            }
          } else if (want === 'file' || (want === 'model' && entry.name.endsWith('.onnx'))) {
            add(label, vscode.CompletionItemKind.File);
          }
        }
      }
    }
    return items;
  }
}
