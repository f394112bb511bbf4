// A SvelteKit 2 app as its docs set one up, built for Node by adapter-node.
import adapter from '@sveltejs/adapter-node';

export default { kit: { adapter: adapter() } };
