// Folds wasm-bindgen's `inline_js` snippets into the glue that imports them, so each build stays
// one JS file: no extra module for workerd's module list, no extra request in a browser, and no
// ES-module snippet `require`d by the CommonJS Node glue (which Node 18 and 20 cannot load).
// Usage: node scripts/inline-snippets.mjs <glue.js>...
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * Snippet functions the package's JS calls too, kept as exports of the glue (`export` in the web
 * glue, `exports.` in the Node one), so the rule they hold is written once: pkg/lib/api.js's
 * waitForBulkAction calls `onProgress` through `glue.notify`. Only these: each export is a name
 * the minifier must keep (all nine snippet functions cost 51 B gzip in the browser glue).
 */
const SHARED = ['notify'];

// `import { a, b } from './snippets/…';` (web) or `const { a, b } = require(String.raw`./snippets/…`);` (node)
const reference = /^(?:import \{([^}]*)\} from '(\.\/snippets\/[^']+)';|const \{([^}]*)\} = require\(String\.raw`(\.\/snippets\/[^`]+)`\);)$/gm;

for (const glue of process.argv.slice(2)) {
  const source = readFileSync(glue, 'utf8');
  const folded = source.replace(reference, (_, webNames, webPath, nodeNames, nodePath) => {
    const names = (webNames ?? nodeNames).split(',').map((name) => name.trim()).filter(Boolean);
    const snippet = readFileSync(join(dirname(glue), webPath ?? nodePath), 'utf8');
    for (const name of names) {
      if (!new RegExp(`^export function ${name}\\(`, 'm').test(snippet)) {
        throw new Error(`${glue}: snippet ${webPath ?? nodePath} does not export function ${name}`);
      }
    }
    const shared = names.filter((name) => SHARED.includes(name));
    const local = snippet.replace(/^export function (\w+)/gm, (line, name) => (webPath && shared.includes(name) ? line : `function ${name}`)).trim();
    return [local, ...(nodePath ? shared.map((name) => `exports.${name} = ${name};`) : [])].join('\n');
  });
  if (folded.includes('./snippets/')) throw new Error(`${glue}: a snippet reference was left unfolded`);
  for (const name of SHARED) {
    if (!new RegExp(`^(export function ${name}\\(|exports\\.${name} = ${name};$)`, 'm').test(folded)) {
      throw new Error(`${glue}: the package's JS calls the glue's ${name}, and no snippet the glue imports exports it`);
    }
  }
  writeFileSync(glue, folded);
}
