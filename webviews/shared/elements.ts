// VS Code's look for every webview: the @vscode-elements components we use, registered once.
// They style themselves from the `--vscode-*` variables (with VS Code's defaults as fallbacks),
// use constructable stylesheets and the style property (no inline <style> or style attributes),
// so they work under the strict CSP. No codicons: buttons carry text labels, so no font is loaded.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import type { VscodeButton } from '@vscode-elements/elements/dist/vscode-button/vscode-button.js';
import type { VscodeSingleSelect } from '@vscode-elements/elements/dist/vscode-single-select/vscode-single-select.js';
import type { VscodeTextfield } from '@vscode-elements/elements/dist/vscode-textfield/vscode-textfield.js';

export type { VscodeButton, VscodeSingleSelect, VscodeTextfield };

/** A secondary (toolbar) button with a text label; `action` names it for tests (`data-action`). */
export function toolbarButton(label: string, title: string, action: string, onClick: () => void): VscodeButton {
  const button = document.createElement('vscode-button');
  button.secondary = true;
  button.textContent = label;
  button.title = title;
  button.dataset.action = action;
  button.addEventListener('click', onClick);
  return button;
}

export function textField(className: string, placeholder: string, label: string): VscodeTextfield {
  const field = document.createElement('vscode-textfield');
  field.className = className;
  field.placeholder = placeholder;
  field.label = label;
  field.setAttribute('aria-label', label);
  return field;
}

export interface Choice {
  readonly value: string;
  readonly label: string;
}

export function singleSelect(className: string, label: string): VscodeSingleSelect {
  const select = document.createElement('vscode-single-select');
  select.className = className;
  select.setAttribute('aria-label', label);
  return select;
}

/**
 * Replaces the options of a single select and selects `value` (or the first option). The
 * element reads its options when the slot changes; the chosen one is marked `selected` so
 * the choice holds whatever the timing.
 */
export function setChoices(select: VscodeSingleSelect, choices: readonly Choice[], value: string): string {
  const chosen = choices.some((c) => c.value === value) ? value : (choices[0]?.value ?? '');
  select.replaceChildren(
    ...choices.map((c) => {
      const option = document.createElement('vscode-option');
      option.value = c.value;
      option.textContent = c.label;
      option.selected = c.value === chosen;
      return option;
    }),
  );
  select.value = chosen;
  return chosen;
}
