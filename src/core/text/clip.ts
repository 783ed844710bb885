/**
 * A value from a file quoted in a message, cut in the middle when long: the start and end stay
 * readable and the message keeps to a line (a 20,000-character trigger was echoed whole).
 */
export function clipMiddle(text: string, max = 120): string {
  if (text.length <= max) return text;
  const head = Math.ceil((max - 1) * 0.6);
  return `${text.slice(0, head)}…${text.slice(text.length - (max - 1 - head))}`;
}
