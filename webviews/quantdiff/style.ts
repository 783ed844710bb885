export const quantDiffStyles = `
body { font-family: var(--vscode-font-family, sans-serif); font-size: var(--vscode-font-size, 13px); color: var(--vscode-foreground, #1f2328); background: var(--vscode-editor-background, #fff); margin: 0; padding: 12px 16px; }
h1 { font-size: 1.3em; margin: 0 0 4px; }
h2 { font-size: 1.1em; margin: 18px 0 6px; }
.facts { display: flex; flex-wrap: wrap; gap: 6px 24px; margin: 6px 0; }
.facts span b { font-weight: 600; }
.warning { border-left: 3px solid var(--vscode-editorWarning-foreground, #9a6700); padding: 4px 8px; margin: 8px 0; }
.charts { display: flex; flex-wrap: wrap; gap: 16px; }
.chart { position: relative; width: min(100%, 640px); height: 240px; }
.hint { opacity: 0.75; margin: 2px 0 6px; }
vscode-table { max-height: 55vh; }
vscode-table-header-cell { cursor: pointer; user-select: none; }
vscode-table-row { cursor: pointer; }
vscode-table-row.selected { background: var(--vscode-list-activeSelectionBackground, #cce4ff); color: var(--vscode-list-activeSelectionForeground, inherit); }
.low { color: var(--vscode-errorForeground, #cf222e); }
`;
