/**
 * Styles of the graph app, injected with the page's CSP nonce. Colours come from VS Code's
 * `--vscode-*` variables; the defaults below apply only in the exported HTML page, where no
 * editor provides them.
 */
export const graphStyles = `
:root {
  --vscode-font-family: system-ui, -apple-system, "Segoe UI", Ubuntu, sans-serif;
  --vscode-font-size: 13px;
  --vscode-editor-background: #ffffff;
  --vscode-editor-foreground: #1f1f1f;
  --vscode-descriptionForeground: #616161;
  --vscode-editorWidget-background: #f3f3f3;
  --vscode-editorWidget-border: #c8c8c8;
  --vscode-focusBorder: #005fb8;
  --vscode-input-background: #ffffff;
  --vscode-input-foreground: #1f1f1f;
  --vscode-input-border: #cecece;
  --vscode-button-background: #005fb8;
  --vscode-button-foreground: #ffffff;
  --vscode-panel-border: #e5e5e5;
  --vscode-textLink-foreground: #005fb8;
  --vscode-charts-blue: #1a85ff;
  --vscode-charts-red: #e51400;
  --vscode-charts-green: #388a34;
  --vscode-charts-yellow: #bf8803;
  --vscode-charts-orange: #d18616;
  --vscode-charts-purple: #652d90;
  --vscode-errorForeground: #a1260d;
  /* used by the vscode-elements toolbar controls (VS Code Light Modern) */
  --vscode-foreground: #3b3b3b;
  --vscode-button-hoverBackground: #0258a8;
  --vscode-button-secondaryBackground: #e5e5e5;
  --vscode-button-secondaryForeground: #3b3b3b;
  --vscode-button-secondaryHoverBackground: #cccccc;
  --vscode-input-placeholderForeground: #767676;
  --vscode-settings-textInputBackground: #ffffff;
  --vscode-settings-textInputForeground: #3b3b3b;
  --vscode-settings-textInputBorder: #cecece;
  --vscode-settings-dropdownBackground: #ffffff;
  --vscode-settings-dropdownForeground: #3b3b3b;
  --vscode-settings-dropdownBorder: #cecece;
  --vscode-settings-dropdownListBorder: #c8c8c8;
  --vscode-settings-checkboxBackground: #f8f8f8;
  --vscode-settings-checkboxForeground: #3b3b3b;
  --vscode-settings-checkboxBorder: #cecece;
  --vscode-list-activeSelectionBackground: #e8e8e8;
  --vscode-list-activeSelectionForeground: #000000;
  --vscode-list-hoverBackground: #f2f2f2;
  --vscode-widget-shadow: rgba(0, 0, 0, 0.16);
}
@media (prefers-color-scheme: dark) {
  :root {
    --vscode-editor-background: #1f1f1f;
    --vscode-editor-foreground: #cccccc;
    --vscode-descriptionForeground: #9d9d9d;
    --vscode-editorWidget-background: #252526;
    --vscode-editorWidget-border: #454545;
    --vscode-focusBorder: #0078d4;
    --vscode-input-background: #313131;
    --vscode-input-foreground: #cccccc;
    --vscode-input-border: #3c3c3c;
    --vscode-panel-border: #2b2b2b;
    --vscode-textLink-foreground: #4daafc;
    --vscode-charts-blue: #3794ff;
    --vscode-charts-red: #f14c4c;
    --vscode-charts-green: #89d185;
    --vscode-charts-yellow: #cca700;
    --vscode-charts-purple: #b180d7;
    --vscode-errorForeground: #f85149;
    --vscode-foreground: #cccccc;
    --vscode-button-hoverBackground: #026ec1;
    --vscode-button-secondaryBackground: #313131;
    --vscode-button-secondaryForeground: #cccccc;
    --vscode-button-secondaryHoverBackground: #3c3c3c;
    --vscode-input-placeholderForeground: #989898;
    --vscode-settings-textInputBackground: #313131;
    --vscode-settings-textInputForeground: #cccccc;
    --vscode-settings-textInputBorder: #3c3c3c;
    --vscode-settings-dropdownBackground: #313131;
    --vscode-settings-dropdownForeground: #cccccc;
    --vscode-settings-dropdownBorder: #3c3c3c;
    --vscode-settings-dropdownListBorder: #454545;
    --vscode-settings-checkboxBackground: #313131;
    --vscode-settings-checkboxForeground: #cccccc;
    --vscode-settings-checkboxBorder: #3c3c3c;
    --vscode-list-activeSelectionBackground: #04395e;
    --vscode-list-activeSelectionForeground: #ffffff;
    --vscode-list-hoverBackground: #2a2d2e;
    --vscode-widget-shadow: rgba(0, 0, 0, 0.36);
  }
}
html, body { height: 100%; margin: 0; padding: 0; overflow: hidden; }
body {
  font-family: var(--vscode-font-family); font-size: var(--vscode-font-size);
  color: var(--vscode-editor-foreground); background: var(--vscode-editor-background);
  display: flex; flex-direction: column;
}
.toolbar { display: flex; gap: 6px; align-items: center; padding: 4px 8px; border-bottom: 1px solid var(--vscode-panel-border); flex-wrap: wrap; }
.toolbar .title { font-weight: 600; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; max-width: 30ch; }
.toolbar .crumbs { color: var(--vscode-descriptionForeground); white-space: nowrap; overflow: hidden; text-overflow: ellipsis; max-width: 40ch; }
.toolbar .spacer { flex: 1; }
.toolbar [hidden] { display: none; }
.toolbar .toggles { display: contents; }
.toolbar vscode-single-select.overlay { width: 16ch; }
input, select, button { font: inherit; color: var(--vscode-input-foreground); background: var(--vscode-input-background); border: 1px solid var(--vscode-input-border, transparent); padding: 2px 6px; border-radius: 2px; }
button { cursor: pointer; }
button[aria-pressed="true"] { background: var(--vscode-button-background); color: var(--vscode-button-foreground); }
button:disabled { opacity: 0.5; cursor: default; }
button.primary { background: var(--vscode-button-background); color: var(--vscode-button-foreground); }
input:focus, select:focus, button:focus, canvas:focus, a:focus { outline: 1px solid var(--vscode-focusBorder); outline-offset: -1px; }
.search { width: 22ch; }
vscode-textfield.search { width: 24ch; }
.count { color: var(--vscode-descriptionForeground); min-width: 6ch; }
.main { flex: 1; display: flex; min-height: 0; }
.stage { position: relative; flex: 1; min-width: 0; }
.stage canvas.graph { position: absolute; inset: 0; width: 100%; height: 100%; display: block; }
.minimap { position: absolute; right: 8px; bottom: 8px; border: 1px solid var(--vscode-editorWidget-border); background: var(--vscode-editor-background); cursor: crosshair; }
.legend { position: absolute; left: 8px; bottom: 8px; padding: 6px 8px; background: var(--vscode-editorWidget-background); border: 1px solid var(--vscode-editorWidget-border); font-size: 11px; }
.legend[hidden] { display: none; }
.legend .row { display: flex; align-items: center; gap: 6px; }
.legend canvas { display: block; }
.legend .swatch { display: inline-block; width: 10px; height: 10px; border: 1px solid var(--vscode-editorWidget-border); }
.busy { position: absolute; top: 8px; left: 8px; color: var(--vscode-descriptionForeground); font-size: 11px; }
.details { width: 320px; overflow: auto; border-left: 1px solid var(--vscode-panel-border); padding: 8px 10px; background: var(--vscode-editorWidget-background); }
.details[hidden] { display: none; }
.details h2 { font-size: 14px; margin: 2px 0 8px; word-break: break-all; }
.details h3 { font-size: 11px; text-transform: uppercase; color: var(--vscode-descriptionForeground); margin: 12px 0 4px; }
.details vscode-table { font-size: 12px; margin-bottom: 2px; }
/* Auto layout, as an HTML table: short columns (dtype, buttons) keep their width, names wrap. */
.details vscode-table-body { table-layout: auto; }
.details vscode-table-cell { height: auto; padding: 2px 4px; vertical-align: top; white-space: normal; overflow-wrap: anywhere; font-size: 12px; }
.details vscode-table.tensors vscode-table-cell:not(:first-child) { word-break: normal; overflow-wrap: anywhere; }
.details vscode-table.tensors vscode-table-cell:nth-child(2), .details vscode-table.tensors vscode-table-cell:nth-child(4), .details vscode-button { white-space: nowrap; overflow-wrap: normal; }
.details vscode-table.tensors vscode-table-cell:nth-child(3) { overflow-wrap: normal; }
.details vscode-table.tensors vscode-table-cell:first-child { width: 55%; min-width: 12ch; }
.details vscode-table.kv vscode-table-cell:last-child { min-width: 12ch; }
.details vscode-table.kv vscode-table-cell:first-child { color: var(--vscode-descriptionForeground); word-break: normal; }
.details vscode-table.kv vscode-table-cell:first-child { width: 35%; }
.details .stats { margin: 4px 0 8px; }
.details .stats-title { font-size: 11px; color: var(--vscode-descriptionForeground); overflow-wrap: anywhere; }
.details a.tensor { color: var(--vscode-textLink-foreground); cursor: pointer; }
.details pre.doc { white-space: pre-wrap; word-break: break-word; font-size: 12px; }
.details .error { color: var(--vscode-errorForeground); }
.details canvas.histogram { width: 260px; height: 120px; }
.details vscode-button { margin: 2px 4px 2px 0; }
.results { position: absolute; top: 0; left: 8px; max-height: 40%; overflow: auto; background: var(--vscode-editorWidget-background); border: 1px solid var(--vscode-editorWidget-border); font-size: 12px; z-index: 2; min-width: 28ch; }
.results[hidden] { display: none; }
.results div { padding: 2px 6px; cursor: pointer; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; max-width: 60ch; }
.results div.active { background: var(--vscode-focusBorder); color: var(--vscode-button-foreground); }
.results div { display: flex; gap: 8px; }
.results span.name { flex: 1 1 auto; overflow: hidden; text-overflow: ellipsis; }
.results span.op { color: var(--vscode-descriptionForeground); flex: none; }
.results span.why { color: var(--vscode-descriptionForeground); font-style: italic; flex: none; max-width: 24ch; overflow: hidden; text-overflow: ellipsis; }
.legend .unknown { color: var(--vscode-descriptionForeground); max-width: 28ch; }
.input-sizes { position: absolute; top: 8px; right: 8px; z-index: 3; padding: 8px 10px; background: var(--vscode-editorWidget-background); border: 1px solid var(--vscode-editorWidget-border); font-size: 12px; max-width: 60ch; }
.input-sizes[hidden] { display: none; }
.input-sizes .heading { font-weight: 600; margin-bottom: 6px; }
.input-sizes .row { display: flex; gap: 8px; align-items: center; margin: 4px 0; }
.input-sizes .name { min-width: 8ch; max-width: 24ch; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.input-sizes .dims { display: flex; gap: 2px; align-items: center; flex-wrap: wrap; }
.input-sizes vscode-textfield.dim { width: 9ch; }
.input-sizes .actions { margin-top: 6px; display: flex; gap: 6px; }
.input-sizes .message { margin-top: 4px; color: var(--vscode-descriptionForeground); }
.input-sizes .message.error { color: var(--vscode-errorForeground); }
.details vscode-table.weight-changes { margin-top: 4px; }
.details vscode-table.weight-changes vscode-table-header-cell { font-weight: normal; color: var(--vscode-descriptionForeground); font-size: 12px; }
.error-banner { padding: 6px 10px; color: var(--vscode-errorForeground); border-bottom: 1px solid var(--vscode-panel-border); }
.error-banner[hidden] { display: none; }
`;
