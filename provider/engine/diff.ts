/** @deprecated moved to ./plan/diff.js (temporary re-export while importers move). */
export * from './plan/diff.js';
export { userAddress } from './plan/account-plan.js';
export { licensesByUser } from './plan/users.js';
