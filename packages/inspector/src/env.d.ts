// Vite turns this side-effect import into the page's inline stylesheet.
declare module '*.css';
