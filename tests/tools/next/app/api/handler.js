// The route handler both runtimes share, as a Next.js app would write it: nothing but the import.
import { cancelRuns, QStashCancelError } from 'qstash-cancel';

export async function POST(request) {
  const options = await request.json();
  try {
    const cancelled = await cancelRuns({ token: process.env.QSTASH_TOKEN, baseUrl: process.env.QSTASH_URL, ...options });
    return Response.json({ cancelled });
  } catch (err) {
    return Response.json({ code: err.code, field: err.field, isError: err instanceof QStashCancelError }, { status: 400 });
  }
}
