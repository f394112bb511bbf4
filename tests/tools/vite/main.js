// The page of the Vite build.
import '../browser/app.js';
