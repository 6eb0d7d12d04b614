/** @deprecated moved to ./drift/report.js (temporary re-export while importers move). */
export * from './drift/report.js';
