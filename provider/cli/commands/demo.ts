import { notYetAvailable } from '../not-yet.js';

/** `cloudlink-tenancy demo`. */
export const demoCommand = notYetAvailable('demo', 'The main job: plan and apply the examples against the embedded sandbox');
