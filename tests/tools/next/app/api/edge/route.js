// The handler on the Edge runtime (the segment config must stand in the route file itself).
export { POST } from '../handler.js';

export const runtime = 'edge';
export const dynamic = 'force-dynamic';
