import { notYetAvailable } from '../not-yet.js';

/** `cloudlink-tenancy plan`. */
export const planCommand = notYetAvailable('plan', 'Read live state and print the ordered changes');
