/** The `X-Mitel-App` header every call carries: the tool's name and version, and the platform. */
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

let cachedVersion: string | undefined;
/** The tool's version, from its package.json (source and dist layouts); `0.0.0` when none is found. */
export function toolVersion(): string {
  if (cachedVersion) return cachedVersion;
  // Searched upwards from provider/api (this file's parent folder), five folders at most.
  let dir = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
  for (let i = 0; i < 5; i += 1) {
    const file = path.join(dir, 'package.json');
    if (existsSync(file)) {
      try {
        const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
        if (pkg.name === 'cloudlink-tenancy' && pkg.version) return (cachedVersion = pkg.version);
      } catch {
        // keep looking
      }
    }
    dir = path.dirname(dir);
  }
  return (cachedVersion = '0.0.0');
}

/** The default `X-Mitel-App` value: `app=cloudlink-tenancy/<version>;platform=<os>/<release>`. */
export function defaultAppHeader(): string {
  return `app=cloudlink-tenancy/${toolVersion()};platform=${os.platform()}/${os.release()}`;
}
