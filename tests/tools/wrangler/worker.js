// A Worker as wrangler bundles it: nothing but the import.
import { cancelRuns } from 'qstash-cancel';

export default {
  async fetch(request, env) {
    const options = await request.json();
    return Response.json({ cancelled: await cancelRuns({ token: env.QSTASH_TOKEN, baseUrl: env.QSTASH_URL, ...options }) });
  },
};
