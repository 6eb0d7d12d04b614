import { notYetAvailable } from '../not-yet.js';

/** `cloudlink-tenancy schema`. */
export const schemaCommand = notYetAvailable('schema', 'Print the JSON Schema of the tenancy format');
