// Folds wasm-bindgen's `inline_js` snippets into the glue that imports them, so each build stays
// one JS file: no extra module for workerd's module list, no extra request in a browser, and no
// ES-module snippet `require`d by the CommonJS Node glue (which Node 18 and 20 cannot load).
// Usage: node scripts/inline-snippets.mjs <glue.js>...
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

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
    return snippet.replace(/^export function (\w+)/gm, 'function $1').trim();
  });
  if (folded.includes('./snippets/')) throw new Error(`${glue}: a snippet reference was left unfolded`);
  writeFileSync(glue, folded);
}
