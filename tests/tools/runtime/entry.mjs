// A script as Node (bundled by esbuild), Bun and Deno run it: nothing but the import.
import { cancelRuns, QStashCancelError, tokenFingerprint } from 'qstash-cancel';

const [token, baseUrl, id] = process.argv.slice(2);
const refused = await cancelRuns({ token, baseUrl }).catch((err) => err instanceof QStashCancelError && err.code);
const fingerprint = await tokenFingerprint('a');
console.log(JSON.stringify({ cancelled: await cancelRuns({ token, baseUrl, workflowRunIds: [id] }), refused, fingerprint }));
