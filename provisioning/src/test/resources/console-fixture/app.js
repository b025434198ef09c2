import './lib/part.js';
