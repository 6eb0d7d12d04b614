import { notYetAvailable } from '../not-yet.js';

/** `cloudlink-tenancy apply`. */
export const applyCommand = notYetAvailable('apply', 'Make live state match the declaration');
