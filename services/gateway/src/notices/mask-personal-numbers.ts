// A public notice must never show an ID number, a person's mobile number or a bank card (DOMAIN.md §6).
// The notice input has no such fields, but free text (an address, a contact line) is typed by people and
// may carry one by mistake, so every free-text string is passed through maskPersonalNumbers before it is
// printed. Matching is by shape only: a checksum-invalid ID number is still somebody's mistyped ID number.

/**
 * Full-width digits, X, hyphen and the ideographic space, as typed with a Chinese input method, read as
 * their ASCII forms. Every one is a single UTF-16 unit, so the view has the same indexes as the text.
 */
const FULL_WIDTH: Readonly<Record<string, string>> = {
  ...Object.fromEntries(Array.from({ length: 10 }, (_, d) => [String.fromCharCode(0xff10 + d), String(d)])),
  Ｘ: 'X',
  ｘ: 'x',
  '－': '-',
  '\u3000': ' ',
};

/** Each shape is bounded by non-digits, so a mask never splits a digit run and leaves a new shape behind. */
const SHAPES: readonly RegExp[] = [
  // 18-digit ID number (17 digits + check digit or X), 15-digit first-generation ID, 16–19-digit bank card.
  /(?<!\d)\d{15,}[Xx]?(?!\d)/g,
  // ID number written in groups: 360731 19800101 907X.
  /(?<!\d)\d{6}[ -]\d{8}[ -]\d{3}[\dXx](?!\d)/g,
  // Bank card written in groups of four: 6222 0212 3456 7890 (123).
  /(?<!\d)\d{4}(?:[ -]\d{4}){3}(?:[ -]?\d{1,3})?(?!\d)/g,
  // Mainland mobile number, optionally +86 and grouped 3-4-4: 13912345678, +86 139-1234-5678.
  /(?<!\d)(?:\+?86[ -]?)?1[3-9]\d(?:[ -]?\d{4}){2}(?!\d)/g,
];

/** Replaces each digit (and check letter X) of an ID-, mobile- or bank-card-shaped sequence with '*'. */
export function maskPersonalNumbers(text: string): string {
  const view = text
    .split('')
    .map((c) => FULL_WIDTH[c] ?? c)
    .join('');
  const masked = text.split('');
  for (const shape of SHAPES) {
    for (const m of view.matchAll(shape)) {
      for (let i = m.index; i < m.index + m[0].length; i++) if (/[\dXx]/.test(view[i]!)) masked[i] = '*';
    }
  }
  return masked.join('');
}
