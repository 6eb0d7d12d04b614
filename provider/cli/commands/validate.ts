import { notYetAvailable } from '../not-yet.js';

/** `cloudlink-tenancy validate`. */
export const validateCommand = notYetAvailable('validate', 'Load and check tenancy files; no network');
