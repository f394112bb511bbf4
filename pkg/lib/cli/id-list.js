// The run ids of an --ids-from file (or stdin), in the forms people paste: one per line, or
// separated by commas or spaces, CSV with "quoted" ids, or a JSON array of strings. What cannot
// be read as one of those is refused with the line, never sent as ids with quotes, brackets,
// backticks or list bullets in them (which the service would count as "not active" and the
// command as done).
import { Refusal } from './refusal.js';
import { shown } from './escape.js';

const FLAG = '--ids-from';

/**
 * `{ ids, where(i) }` from the bytes of `name`: `where(i)` says where the file's i-th id stands
 * ("line 3", "item 2 of the JSON array"), for a refusal of that id.
 */
export function readIdList(bytes, name) {
  const text = decode(bytes, name);
  if (text.trimStart().startsWith('[')) return jsonArray(text, name);
  const ids = [];
  const lines = [];
  text.split(/\r?\n|\r/).forEach((line, i) => {
    for (const id of fields(line, () => `${shown(name)} line ${i + 1}`)) {
      ids.push(id);
      lines.push(i + 1);
    }
  });
  return { ids, where: (i) => `line ${lines[i]}` };
}

/** UTF-8 text (a UTF-8 BOM dropped); UTF-16 and other encodings refused, with the first bad line. */
function decode(bytes, name) {
  const utf16 = (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff) || bytes.includes(0);
  if (utf16) throw new Refusal(FLAG, `${shown(name)} is UTF-16 (or not text): save it as UTF-8`);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    // The first character the lossy decoding replaced stands where the first bad byte did.
    const lossy = new TextDecoder('utf-8').decode(bytes);
    const line = lossy.slice(0, lossy.indexOf('\ufffd')).split('\n').length;
    throw new Refusal(FLAG, `${shown(name)} line ${line} is not UTF-8 (a Latin-1 or Windows-1252 file?): save it as UTF-8`);
  }
}

function jsonArray(text, name) {
  let ids;
  try {
    ids = JSON.parse(text);
  } catch (err) {
    throw new Refusal(FLAG, `${shown(name)} starts with [ but is not a JSON array of strings (${shown(err.message)})`);
  }
  if (!Array.isArray(ids)) throw new Refusal(FLAG, `${shown(name)} starts with [ but is not a JSON array of strings`);
  ids.forEach((id, i) => {
    if (typeof id !== 'string') throw new Refusal(FLAG, `${shown(name)} item ${i + 1} of the JSON array is not a string`);
  });
  return { ids, where: (i) => `item ${i + 1} of the JSON array` };
}

/**
 * The ids of one line: separated by commas or whitespace; a field in double quotes is read as
 * CSV reads it (`""` is a quote); a quote anywhere else is refused.
 */
function fields(line, where) {
  const out = [];
  let i = 0;
  while (i < line.length) {
    const c = line[i];
    if (c === ',' || /\s/.test(c)) {
      i++;
    } else if (c === '"') {
      let id = '';
      for (i++; ; i++) {
        if (i >= line.length) throw new Refusal(FLAG, `${where()}: a quote is not closed`);
        if (line[i] !== '"') id += line[i];
        else if (line[i + 1] === '"') id += line[++i];
        else break;
      }
      i++;
      if (i < line.length && line[i] !== ',' && !/\s/.test(line[i])) throw new Refusal(FLAG, `${where()}: a closing quote is followed by ${JSON.stringify(shown(line[i]))}, not a comma`);
      out.push(id);
    } else {
      const end = line.slice(i).search(/[\s,]/);
      const id = end === -1 ? line.slice(i) : line.slice(i, i + end);
      if (id.includes('"')) throw new Refusal(FLAG, `${where()}: a quote inside ${JSON.stringify(shown(id))}; quote a whole id, as CSV does`);
      // A list or chat paste: run ids never are a lone bullet or hold a backtick.
      if (/^[-*•]$/.test(id)) throw new Refusal(FLAG, `${where()}: ${JSON.stringify(id)} is not a run id (a list bullet?): paste the ids alone`);
      if (id.includes('`')) throw new Refusal(FLAG, `${where()}: a backtick in ${JSON.stringify(shown(id))} (pasted from chat?): paste the ids alone`);
      out.push(id);
      i += id.length;
    }
  }
  return out;
}
