import { createInterface } from 'node:readline';

/** One household read from the input: its parsed JSON, or why it could not be parsed. */
export type ReadItem =
  | { ok: true; line: number; value: unknown }
  | { ok: false; line: number; code: 'invalid_json' | 'document_too_large'; message: string };

/** A pretty-printed document larger than this is refused (JSON lines have no limit but one line each). */
export const MAX_DOCUMENT_CHARS = 16 * 1024 * 1024;

const tryParse = (text: string): { ok: true; value: unknown } | { ok: false } => {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    // The SyntaxError's message quotes the input, which may hold ID numbers: never pass it on.
    return { ok: false };
  }
};

/** Tracks the nesting depth of a JSON text read piece by piece, ignoring brackets inside strings. */
class DepthScanner {
  depth = 0;
  private inString = false;
  private escaped = false;

  feed(text: string): void {
    for (const ch of text) {
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (ch === '\\') this.escaped = true;
        else if (ch === '"') this.inString = false;
      } else if (ch === '"') this.inString = true;
      else if (ch === '{' || ch === '[') this.depth++;
      else if (ch === '}' || ch === ']') this.depth--;
    }
  }
}

/**
 * Reads households from a stream, one at a time in input order, with memory bounded by one household.
 *
 * - JSON lines: when the first non-empty line is a JSON value on its own, every non-empty line is one
 *   household; a line that does not parse yields an invalid_json item for that line.
 * - Pretty-printed JSON: otherwise, when the first non-empty line starts with `{` or `[`, the input is one
 *   JSON document spanning lines (or several in a row); each ends where its brackets close.
 *
 * Line numbers count from 1 and name the first line of each household.
 */
export async function* readHouseholds(input: NodeJS.ReadableStream): AsyncGenerator<ReadItem> {
  const lines = createInterface({ input, crlfDelay: Infinity });
  let lineNo = 0;
  let mode: 'unknown' | 'lines' | 'document' = 'unknown';
  // The document being read in document mode.
  let doc: { start: number; parts: string[]; chars: number; scanner: DepthScanner; tooLarge: boolean } | null = null;

  const finishDocument = (d: NonNullable<typeof doc>): ReadItem => {
    if (d.tooLarge)
      return {
        ok: false,
        line: d.start,
        code: 'document_too_large',
        message: `The JSON document starting on line ${d.start} is larger than ${MAX_DOCUMENT_CHARS} characters`,
      };
    const parsed = tryParse(d.parts.join('\n'));
    return parsed.ok
      ? { ok: true, line: d.start, value: parsed.value }
      : {
          ok: false,
          line: d.start,
          code: 'invalid_json',
          message: `The JSON document starting on line ${d.start} is not valid JSON`,
        };
  };

  for await (const raw of lines) {
    lineNo++;
    const text = lineNo === 1 ? raw.replace(/^\uFEFF/, '') : raw; // a UTF-8 byte-order mark
    if (doc === null && text.trim() === '') continue;

    if (mode === 'unknown') {
      const alone = tryParse(text);
      if (alone.ok || !/^\s*[[{]/.test(text)) mode = 'lines';
      else mode = 'document';
    }

    if (mode === 'lines') {
      const parsed = tryParse(text);
      yield parsed.ok
        ? { ok: true, line: lineNo, value: parsed.value }
        : { ok: false, line: lineNo, code: 'invalid_json', message: `Line ${lineNo} is not valid JSON` };
      continue;
    }

    doc ??= { start: lineNo, parts: [], chars: 0, scanner: new DepthScanner(), tooLarge: false };
    doc.scanner.feed(text);
    doc.chars += text.length + 1;
    if (doc.chars > MAX_DOCUMENT_CHARS) {
      doc.tooLarge = true;
      doc.parts = [];
    }
    if (!doc.tooLarge) doc.parts.push(text);
    if (doc.scanner.depth <= 0) {
      yield finishDocument(doc);
      doc = null;
    }
  }
  if (doc !== null) yield finishDocument(doc);
}
