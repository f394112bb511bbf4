// An endpoint as a SvelteKit app would write it: nothing but the import.
import { json } from '@sveltejs/kit';
import { env } from '$env/dynamic/private';
import { cancelRuns, QStashCancelError } from 'qstash-cancel';

export async function POST({ request }) {
  const options = await request.json();
  try {
    return json({ cancelled: await cancelRuns({ token: env.QSTASH_TOKEN, baseUrl: env.QSTASH_URL, ...options }) });
  } catch (err) {
    return json({ code: err.code, field: err.field, isError: err instanceof QStashCancelError }, { status: 400 });
  }
}
