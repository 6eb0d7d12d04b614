/** @deprecated moved to ./apply/apply.js (temporary re-export while importers move). */
export * from './apply/apply.js';
