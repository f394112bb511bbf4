// A Node script bundled by esbuild (--platform=node), CommonJS output.
const { cancelRuns, QStashCancelError, tokenFingerprint } = require('qstash-cancel');

const [token, baseUrl, id] = process.argv.slice(2);
cancelRuns({ token, baseUrl })
  .catch((err) => err instanceof QStashCancelError && err.code)
  .then(async (refused) => {
    const fingerprint = await tokenFingerprint('a');
    console.log(JSON.stringify({ cancelled: await cancelRuns({ token, baseUrl, workflowRunIds: [id] }), refused, fingerprint }));
  });
