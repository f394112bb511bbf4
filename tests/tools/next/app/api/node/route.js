// The handler on the Node.js runtime (the segment config must stand in the route file itself).
export { POST } from '../handler.js';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';
