export const profileStyles = `
body { font-family: var(--vscode-font-family, sans-serif); font-size: var(--vscode-font-size, 13px); color: var(--vscode-foreground, #333); background: var(--vscode-editor-background, #fff); margin: 0; padding: 12px 20px 40px; }
h1 { font-size: 1.4em; margin: 0 0 4px; } h2 { font-size: 1.1em; margin: 18px 0 6px; }
.subtitle { opacity: 0.75; margin: 0 0 12px; }
.targets { display: grid; grid-template-columns: repeat(auto-fill, minmax(320px, 1fr)); gap: 12px; }
.target { border: 1px solid var(--vscode-panel-border, #ccc); border-radius: 4px; padding: 8px 10px; }
.target h3 { margin: 0 0 6px; font-size: 1em; }
.bar-row { display: grid; grid-template-columns: 64px 1fr 150px; gap: 6px; align-items: center; margin: 3px 0; }
.bar-track { position: relative; height: 10px; background: var(--vscode-editorWidget-background, #eee); border-radius: 2px; }
.bar-fill { position: absolute; left: 0; top: 0; bottom: 0; background: var(--vscode-charts-blue, #3794ff); border-radius: 2px; }
.bar-fill.over { background: var(--vscode-charts-red, #f14c4c); }
.bar-budget { position: absolute; top: -3px; bottom: -3px; width: 2px; background: var(--vscode-foreground, #333); }
.bar-value { white-space: nowrap; font-variant-numeric: tabular-nums; }
.over-text { color: var(--vscode-errorForeground, #f14c4c); }
.measured, .error { margin: 10px 0; padding: 6px 10px; border-left: 3px solid var(--vscode-charts-green, #89d185); }
.error { border-left-color: var(--vscode-errorForeground, #f14c4c); }
.controls { display: flex; gap: 8px; align-items: center; margin: 14px 0 6px; }
table.layers { border-collapse: collapse; width: 100%; }
table.layers th, table.layers td { text-align: left; padding: 3px 8px; border-bottom: 1px solid var(--vscode-panel-border, #ddd); }
table.layers td.num, table.layers th.num { text-align: right; font-variant-numeric: tabular-nums; }
table.layers tbody tr { cursor: pointer; }
table.layers tbody tr:hover, table.layers tbody tr:focus { background: var(--vscode-list-hoverBackground, #e8e8e8); outline: none; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(380px, 1fr)); gap: 16px; }
.chart { position: relative; height: 300px; }
.warnings li { margin: 2px 0; }
`;
