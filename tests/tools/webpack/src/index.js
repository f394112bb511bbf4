// webpack's default entry.
import '../../browser/app.js';
