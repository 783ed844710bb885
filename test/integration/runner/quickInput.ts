import type { Page } from 'playwright-core';
import type { QuickInputMatch, QuickInputState } from '../bridge/protocol';

/**
 * Reads the workbench's quick input from its DOM (VS Code 1.100: `.quick-input-widget`, rows
 * of a `.monaco-list`) and returns a QuickInputState. Page-side source text: the runner is
 * compiled without the DOM library, and a transpiled function's text may name helpers the
 * page does not have.
 */
const readQuickInput = `(() => {
  const widget = document.querySelector('.quick-input-widget');
  const shown = (el) => Boolean(el && el.offsetParent !== null && getComputedStyle(el).display !== 'none');
  const text = (root, selector) => (root && root.querySelector(selector)?.textContent?.trim()) || '';
  if (!shown(widget)) return { visible: false, title: '', value: '', placeholder: '', message: '', invalid: false, total: 0, focus: 'outside', items: [] };
  const input = widget.querySelector('.quick-input-box input');
  const list = widget.querySelector('.quick-input-list');
  const rows = shown(list) ? [...list.querySelectorAll('.monaco-list-row')] : [];
  rows.sort((a, b) => Number(a.dataset.index ?? 0) - Number(b.dataset.index ?? 0));
  const items = rows.map((row) => {
    const checked = row.getAttribute('aria-checked');
    return {
      label: text(row, '.quick-input-list-row .label-name'),
      description: text(row, '.quick-input-list-row .label-description'),
      checked: checked === null ? undefined : checked === 'true',
      focused: row.classList.contains('focused'),
    };
  });
  const message = widget.querySelector('.quick-input-message');
  return {
    visible: true,
    title: text(widget, '.quick-input-title'),
    value: input ? input.value : '',
    placeholder: (input && input.getAttribute('placeholder')) || '',
    message: shown(message) ? (message.textContent || '').trim() : '',
    invalid: Boolean(widget.querySelector('.quick-input-box .monaco-inputbox.error')),
    total: rows.length > 0 ? Number(rows[0].getAttribute('aria-setsize') ?? rows.length) : 0,
    focus: document.activeElement === input ? 'input' : list && list.contains(document.activeElement) ? 'list' : widget.contains(document.activeElement) ? 'widget' : 'outside',
    items,
  };
})()`;

function matches(state: QuickInputState, match: QuickInputMatch): boolean {
  if (state.visible !== match.visible) return false;
  if (match.title !== undefined && !state.title.includes(match.title)) return false;
  if (match.value !== undefined && state.value !== match.value) return false;
  if (match.message !== undefined && !state.message.includes(match.message)) return false;
  if (match.focused !== undefined && state.items.find((i) => i.focused)?.label !== match.focused) return false;
  if (match.itemCount !== undefined && state.items.length !== match.itemCount) return false;
  if (match.total !== undefined && state.total !== match.total) return false;
  if (match.checked !== undefined) {
    const checked = state.items.filter((i) => i.checked === true).map((i) => i.label).sort();
    if (checked.join('\n') !== [...match.checked].sort().join('\n')) return false;
  }
  return true;
}

/**
 * Page-side: resolves at the next change of the workbench DOM or of an input's value. The cap
 * covers a change that lands between a read and the observer starting.
 */
const nextChange = `new Promise((resolve) => {
  const done = () => {
    observer.disconnect();
    document.removeEventListener('input', done, true);
    clearTimeout(timer);
    resolve(undefined);
  };
  const observer = new MutationObserver(done);
  observer.observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
  document.addEventListener('input', done, true);
  const timer = setTimeout(done, 500);
})`;

/** Resolves with the quick input's state once it matches, read again after every DOM change. Fails with what it last saw. */
export async function waitForQuickInput(page: Page, match: QuickInputMatch, timeoutMs: number): Promise<QuickInputState> {
  const read = (): Promise<QuickInputState> => page.evaluate(readQuickInput) as Promise<QuickInputState>;
  const deadline = Date.now() + timeoutMs;
  let last = await read();
  while (!matches(last, match)) {
    if (Date.now() > deadline) throw new Error(`the quick input did not match ${JSON.stringify(match)} within ${timeoutMs} ms; it shows ${JSON.stringify(last)}`);
    await page.evaluate(nextChange);
    last = await read();
  }
  return last;
}
