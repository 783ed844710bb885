import * as vscode from 'vscode';

/** A tree with one informational row, for views whose data source has not landed yet. */
export class MessageTreeProvider implements vscode.TreeDataProvider<string> {
  constructor(private readonly message: string) {}

  getTreeItem(element: string): vscode.TreeItem {
    const item = new vscode.TreeItem(element, vscode.TreeItemCollapsibleState.None);
    item.iconPath = new vscode.ThemeIcon('info');
    return item;
  }

  getChildren(element?: string): string[] {
    return element === undefined ? [this.message] : [];
  }
}
