/** @deprecated moved to ./drift/types.js (temporary re-export while importers move). */
export * from './drift/types.js';
