import { notYetAvailable } from '../not-yet.js';

/** `cloudlink-tenancy import`. */
export const importCommand = notYetAvailable('import', 'Write YAML for existing live accounts');
