/**
 * Label values for promtool examples from the regular expressions an SLI's matchers use: one value a regex matches
 * whole (as Prometheus anchors label regexes), and one it does not. Covers what label matchers use in practice
 * (literals, `.`, classes, `\d`, alternation, quantifiers); anything else falls back to a few common values.
 */
const COMMON = ['0', '1', '200', '500', 'a', 'ok', 'error', 'true', 'false', 'success', 'failure', 'timeout', 'example', 'x'];

function anchored(source: string): RegExp | undefined {
  try {
    return new RegExp(`^(?:${source})$`);
  } catch {
    return undefined;
  }
}

/** The first top-level alternative, with each class, escape and wildcard replaced by one character it matches. */
function simplest(source: string): string {
  let depth = 0;
  let cut = source.length;
  for (let i = 0; i < source.length; i += 1) {
    const c = source[i];
    if (c === '\\') i += 1;
    else if (c === '(' || c === '[') depth += 1;
    else if (c === ')' || c === ']') depth -= 1;
    else if (c === '|' && depth === 0) {
      cut = i;
      break;
    }
  }
  let out = '';
  const s = source.slice(0, cut);
  for (let i = 0; i < s.length; i += 1) {
    const c = s[i]!;
    if (c === '\\') {
      const n = s[i + 1] ?? '';
      out += n === 'd' ? '0' : n === 'w' ? 'a' : n === 's' ? ' ' : n;
      i += 1;
    } else if (c === '[') {
      const end = s.indexOf(']', i + 2);
      const body = s.slice(i + 1, end);
      out += body.startsWith('^') ? 'x' : (body[0] ?? 'a');
      i = end;
    } else if (c === '.') out += '0';
    else if ('()^$?*+'.includes(c)) continue;
    else if (c === '{') i = s.indexOf('}', i);
    else out += c;
  }
  return out;
}

/** A value the regex matches whole, or undefined when none of the candidates does. */
export function matchingValue(source: string): string | undefined {
  const re = anchored(source);
  if (!re) return undefined;
  return [simplest(source), ...COMMON].find((v) => re.test(v));
}

/** A value the regex does not match, or undefined (a regex matching everything). */
export function nonMatchingValue(source: string): string | undefined {
  const re = anchored(source);
  if (!re) return undefined;
  return ['ok', '200', 'success', 'false', ...COMMON, 'zz-none'].find((v) => !re.test(v));
}

/** Whether the regex compiles (JavaScript's engine; RE2, which Prometheus uses, accepts a subset of the same syntax). */
export function isValidRegex(source: string): boolean {
  return anchored(source) !== undefined;
}
