import { notYetAvailable } from '../not-yet.js';

/** `cloudlink-tenancy csv-to-yaml`. */
export const csvToYamlCommand = notYetAvailable('csv-to-yaml', 'Convert a console bulk-import template into YAML users');
