import { notYetAvailable } from '../not-yet.js';

/** `cloudlink-tenancy drift`. */
export const driftCommand = notYetAvailable('drift', 'Report differences between declared and live state');
