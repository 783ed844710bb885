/**
 * A problem with what the user gave us (a file, an argument, the environment) that they can
 * fix: the message says what is wrong and what to do. The CLI prints it as one line and exits 2;
 * anything else that escapes a command is an internal error.
 */
export class InputError extends Error {
  override readonly name: string = 'InputError';
}
