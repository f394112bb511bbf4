// An API endpoint as an Astro site would write it: nothing but the import.
import { cancelRuns, QStashCancelError } from 'qstash-cancel';

export async function POST({ request }) {
  const options = await request.json();
  try {
    return Response.json({ cancelled: await cancelRuns({ token: process.env.QSTASH_TOKEN, baseUrl: process.env.QSTASH_URL, ...options }) });
  } catch (err) {
    return Response.json({ code: err.code, field: err.field, isError: err instanceof QStashCancelError }, { status: 400 });
  }
}
