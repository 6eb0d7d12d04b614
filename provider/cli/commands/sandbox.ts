import { notYetAvailable } from '../not-yet.js';

/** `cloudlink-tenancy sandbox`. */
export const sandboxCommand = notYetAvailable('sandbox', 'Run the local CloudLink sandbox');
