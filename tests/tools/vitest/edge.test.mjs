// @vitest-environment edge-runtime
// A test file in vitest's edge-runtime environment (Vercel's EdgeVM): nothing but the import.
import { expect, test } from 'vitest';
import { cancelRuns, QStashCancelError } from 'qstash-cancel';

test('cancels one run and refuses {} in the edge-runtime environment', async () => {
  const { QSTASH_TOKEN: token, QSTASH_URL: baseUrl, RUN_ID: id } = process.env;
  const refused = await cancelRuns({ token, baseUrl }).catch((err) => err instanceof QStashCancelError && err.code);
  expect(refused).toBe('INVALID_OPTIONS');
  expect(await cancelRuns({ token, baseUrl, workflowRunIds: [id] })).toBe(1);
});
