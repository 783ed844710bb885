import * as vscode from 'vscode';

/** What the Back button of a step answers. */
export const back = Symbol('back');
export type StepAnswer<T> = T | typeof back | undefined;

interface StepOptions {
  readonly title: string;
  readonly placeholder?: string;
  /** Not the first step: show the Back button. */
  readonly canGoBack: boolean;
}

function settleOnce<T>(input: vscode.QuickInput, resolve: (value: StepAnswer<T>) => void): (value: StepAnswer<T>) => void {
  let settled = false;
  return (value) => {
    if (settled) return;
    settled = true;
    resolve(value);
    input.dispose();
  };
}

/**
 * One quick pick of a multi-step flow: the picked items (one unless `canPickMany`), `back`
 * when the Back button (or its key) is used, `undefined` when it is closed.
 */
export function pickStep<T extends vscode.QuickPickItem>(items: readonly T[], options: StepOptions & { readonly canPickMany?: boolean; readonly matchOnDescription?: boolean; readonly matchOnDetail?: boolean }): Promise<StepAnswer<readonly T[]>> {
  const pick = vscode.window.createQuickPick<T>();
  Object.assign(pick, {
    title: options.title,
    placeholder: options.placeholder,
    items,
    canSelectMany: options.canPickMany ?? false,
    matchOnDescription: options.matchOnDescription ?? false,
    matchOnDetail: options.matchOnDetail ?? false,
    ignoreFocusOut: true,
    buttons: options.canGoBack ? [vscode.QuickInputButtons.Back] : [],
  });
  return new Promise((resolve) => {
    const done = settleOnce<readonly T[]>(pick, resolve);
    pick.onDidTriggerButton((button) => button === vscode.QuickInputButtons.Back && done(back));
    pick.onDidHide(() => done(undefined));
    pick.onDidAccept(() => {
      const chosen = pick.canSelectMany ? pick.selectedItems : pick.activeItems.slice(0, 1);
      if (pick.canSelectMany || chosen.length > 0) done(chosen);
    });
    pick.show();
  });
}

/** One input box of a multi-step flow; `validate` runs as the value changes, and Enter on a refused value stays. */
export function inputStep(options: StepOptions & {
  readonly prompt: string;
  readonly value?: string;
  readonly validate: (value: string) => Promise<string | undefined>;
  /** Told every value typed, so a flow can show it again after Back. */
  readonly onChange?: (value: string) => void;
}): Promise<StepAnswer<string>> {
  const box = vscode.window.createInputBox();
  Object.assign(box, {
    title: options.title,
    placeholder: options.placeholder,
    prompt: options.prompt,
    value: options.value ?? '',
    ignoreFocusOut: true,
    buttons: options.canGoBack ? [vscode.QuickInputButtons.Back] : [],
  });
  const check = async (value: string) => {
    const message = await options.validate(value);
    if (box.value === value) box.validationMessage = message;
    return message;
  };
  return new Promise((resolve) => {
    const done = settleOnce<string>(box, resolve);
    box.onDidTriggerButton((button) => button === vscode.QuickInputButtons.Back && done(back));
    box.onDidHide(() => done(undefined));
    box.onDidChangeValue((value) => {
      options.onChange?.(value);
      void check(value);
    });
    box.onDidAccept(async () => {
      const value = box.value;
      if ((await check(value)) === undefined && box.value === value) done(value);
    });
    box.show();
    if (box.value !== '') void check(box.value);
  });
}
