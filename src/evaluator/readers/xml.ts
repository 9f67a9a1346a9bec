/**
 * A small, non-validating XML reader for one Windows event per line (Splunk XmlWinEventLog).
 * No DOM, no DTD: `<!DOCTYPE`/`<!ENTITY` are refused, so entity expansion attacks cannot happen;
 * only the five predefined entities and numeric character references are decoded (XML 1.0 §4.6).
 */

/** One element: its local name (namespace prefix dropped), attributes, children and text. */
export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const MAX_DEPTH = 64;
const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** Decodes the predefined entities and character references; unknown entities stay as written. */
export function decodeEntities(s: string): string {
  if (s.indexOf('&') < 0) return s;
  return s.replace(/&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|[a-zA-Z]{2,4});/g, (all, e: string) => {
    if (e[0] === '#') {
      const cp = e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return cp <= 0x10ffff && !(cp >= 0xd800 && cp <= 0xdfff) ? String.fromCodePoint(cp) : all;
    }
    return NAMED[e] ?? all;
  });
}

function localName(n: string): string {
  const i = n.indexOf(':');
  return i >= 0 ? n.slice(i + 1) : n;
}

const isSpace = (c: number) => c === 32 || c === 9 || c === 10 || c === 13;

/** Parses one XML document; returns the root element or an error message. */
export function parseXml(s: string): XmlElement | string {
  const root: XmlElement = { name: '#root', attrs: {}, children: [], text: '' };
  const stack: XmlElement[] = [root];
  let i = 0;
  const n = s.length;
  while (i < n) {
    const lt = s.indexOf('<', i);
    const top = stack[stack.length - 1]!;
    if (lt < 0) {
      if (s.slice(i).trim()) return `text after the last element at column ${i + 1}`;
      break;
    }
    if (lt > i && stack.length > 1) top.text += decodeEntities(s.slice(i, lt));
    if (s.startsWith('<?', lt)) {
      const e = s.indexOf('?>', lt + 2);
      if (e < 0) return `unterminated processing instruction at column ${lt + 1}`;
      i = e + 2;
    } else if (s.startsWith('<!--', lt)) {
      const e = s.indexOf('-->', lt + 4);
      if (e < 0) return `unterminated comment at column ${lt + 1}`;
      i = e + 3;
    } else if (s.startsWith('<![CDATA[', lt)) {
      const e = s.indexOf(']]>', lt + 9);
      if (e < 0) return `unterminated CDATA section at column ${lt + 1}`;
      top.text += s.slice(lt + 9, e);
      i = e + 3;
    } else if (s.startsWith('<!', lt)) {
      return `DOCTYPE and entity declarations are not accepted (column ${lt + 1})`;
    } else if (s[lt + 1] === '/') {
      const e = s.indexOf('>', lt + 2);
      if (e < 0) return `unterminated end tag at column ${lt + 1}`;
      const name = localName(s.slice(lt + 2, e).trim());
      if (stack.length < 2 || top.name !== name) return `unexpected </${name}> at column ${lt + 1}`;
      stack.pop();
      i = e + 1;
    } else {
      let j = lt + 1;
      while (j < n && !isSpace(s.charCodeAt(j)) && s[j] !== '>' && s[j] !== '/') j++;
      const name = localName(s.slice(lt + 1, j));
      if (!name) return `empty tag name at column ${lt + 1}`;
      const el: XmlElement = { name, attrs: {}, children: [], text: '' };
      let closed = false;
      for (;;) {
        while (j < n && isSpace(s.charCodeAt(j))) j++;
        if (j >= n) return `unterminated tag <${name}> at column ${lt + 1}`;
        if (s[j] === '>') { j++; break; }
        if (s[j] === '/' && s[j + 1] === '>') { j += 2; closed = true; break; }
        const a0 = j;
        while (j < n && !isSpace(s.charCodeAt(j)) && s[j] !== '=' && s[j] !== '>' && s[j] !== '/' && s[j] !== '<') j++;
        const an = s.slice(a0, j);
        while (j < n && isSpace(s.charCodeAt(j))) j++;
        if (!an || s[j] !== '=') return `attribute without value in <${name}> at column ${a0 + 1}`;
        let k = j + 1;
        while (k < n && isSpace(s.charCodeAt(k))) k++;
        const q = s[k];
        if (q !== '"' && q !== "'") return `unquoted attribute value in <${name}> at column ${k + 1}`;
        const end = s.indexOf(q, k + 1);
        if (end < 0) return `unterminated attribute value in <${name}> at column ${k + 1}`;
        el.attrs[localName(an)] = decodeEntities(s.slice(k + 1, end));
        j = end + 1;
      }
      top.children.push(el);
      if (!closed) {
        if (stack.length > MAX_DEPTH) return `elements nested deeper than ${MAX_DEPTH}`;
        stack.push(el);
      }
      i = j;
    }
  }
  if (stack.length > 1) return `element <${stack[stack.length - 1]!.name}> is not closed`;
  if (root.children.length !== 1) return 'expected exactly one root element';
  return root.children[0]!;
}
