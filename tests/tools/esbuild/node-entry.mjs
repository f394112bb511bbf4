// A Node script bundled by esbuild (--platform=node), ESM output.
import { cancelRuns, QStashCancelError } from 'qstash-cancel';

const [token, baseUrl, id] = process.argv.slice(2);
const refused = await cancelRuns({ token, baseUrl }).catch((err) => err instanceof QStashCancelError && err.code);
console.log(JSON.stringify({ cancelled: await cancelRuns({ token, baseUrl, workflowRunIds: [id] }), refused }));
