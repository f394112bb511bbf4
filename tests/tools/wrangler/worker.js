// A Worker as wrangler bundles it: nothing but the import.
import { cancelRuns, QStashCancelError } from 'qstash-cancel';

export default {
  async fetch(request, env) {
    const options = await request.json();
    try {
      return Response.json({ cancelled: await cancelRuns({ token: env.QSTASH_TOKEN, baseUrl: env.QSTASH_URL, ...options }) });
    } catch (err) {
      return Response.json({ code: err.code, field: err.field, isError: err instanceof QStashCancelError }, { status: 400 });
    }
  },
};
