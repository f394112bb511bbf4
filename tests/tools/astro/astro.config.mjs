// An Astro 7 site with on-demand routes, built for Node by the node adapter (standalone server).
import { defineConfig } from 'astro/config';
import node from '@astrojs/node';

export default defineConfig({ output: 'server', adapter: node({ mode: 'standalone' }), telemetry: false });
