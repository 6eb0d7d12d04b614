import { notYetAvailable } from '../not-yet.js';

/** `cloudlink-tenancy users`. */
export const usersCommand = notYetAvailable('users', 'One-off user operations: send-welcome, reset-password');
