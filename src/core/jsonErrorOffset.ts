/**
 * Finds where JSON text first goes wrong. `JSON.parse` only sometimes says (V8 often reports
 * `Unexpected token '}', "…" is not valid JSON` without a position), and a user needs the line and
 * column. An iterative scanner, so deeply nested input cannot overflow the stack.
 */

const WS = new Set([' ', '\t', '\n', '\r']);
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;

/** The offset of the first syntax error, or -1 when the text is valid JSON. */
export function jsonErrorOffset(text: string): number {
  // Each stack entry is the container we are in: '[' or '{'.
  const stack: string[] = [];
  let i = 0;
  // What the scanner expects next.
  let expect: 'value' | 'key' | 'colon' | 'commaOrEnd' = 'value';
  let firstInContainer = false;
  const skip = (): void => {
    while (i < text.length && WS.has(text[i]!)) i++;
  };
  const matchAt = (re: RegExp): number => {
    re.lastIndex = i;
    return re.test(text) ? re.lastIndex : -1;
  };
  for (;;) {
    skip();
    if (i >= text.length) return stack.length === 0 && expect === 'commaOrEnd' ? -1 : text.length;
    const c = text[i]!;
    if (expect === 'value') {
      if (c === '[' || c === '{') {
        stack.push(c);
        i++;
        firstInContainer = true;
        expect = c === '[' ? 'value' : 'key';
        continue;
      }
      if (c === ']' && firstInContainer && stack[stack.length - 1] === '[') {
        stack.pop();
        i++;
        firstInContainer = false;
        expect = 'commaOrEnd';
        continue;
      }
      let end = -1;
      if (c === '"') end = matchAt(STRING);
      else if (c === '-' || (c >= '0' && c <= '9')) end = matchAt(NUMBER);
      else for (const lit of ['true', 'false', 'null']) if (text.startsWith(lit, i)) end = i + lit.length;
      if (end < 0) return i;
      i = end;
      firstInContainer = false;
      expect = 'commaOrEnd';
      continue;
    }
    if (expect === 'key') {
      if (c === '}' && firstInContainer) {
        stack.pop();
        i++;
        firstInContainer = false;
        expect = 'commaOrEnd';
        continue;
      }
      if (c !== '"') return i;
      const end = matchAt(STRING);
      if (end < 0) return i;
      i = end;
      expect = 'colon';
      continue;
    }
    if (expect === 'colon') {
      if (c !== ':') return i;
      i++;
      expect = 'value';
      firstInContainer = false;
      continue;
    }
    // commaOrEnd
    const top = stack[stack.length - 1];
    if (top === undefined) return i; // text after the top-level value
    if (c === ',') {
      i++;
      expect = top === '[' ? 'value' : 'key';
      firstInContainer = false;
      continue;
    }
    if ((c === ']' && top === '[') || (c === '}' && top === '{')) {
      stack.pop();
      i++;
      continue;
    }
    return i;
  }
}
