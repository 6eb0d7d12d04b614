/**
 * The sandbox's own controls under `/sandbox/` (no authentication, no faults): reset, seed,
 * the state and outbox dumps, the request counters and the fault settings.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { DEFAULT_FAULTS, type FaultSettings } from './faults.js';
import { failure, readBody, send } from './http-io.js';
import type { SandboxSeed } from './seed.js';
import type { SandboxHandler } from './server.js';
import { ApiFailure } from './types.js';

/** Answers one `/sandbox/` control request on the handler's state; an unknown control is 404. */
export async function serveControl(handler: SandboxHandler, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const store = handler.options.store;
  const key = `${req.method ?? 'GET'} ${url.pathname}`;
  const body = req.method === 'GET' ? undefined : await readBody(req);
  const object = (): Record<string, unknown> => {
    if (body === undefined) return {};
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new ApiFailure(400, 'The body must be a JSON object');
    return body as Record<string, unknown>;
  };
  switch (key) {
    case 'POST /sandbox/reset': {
      // Keeps the start seed's logins (partners, their own accounts and users, API clients)
      // unless ?principals=drop asks for an empty sandbox.
      const drop = url.searchParams.get('principals') === 'drop';
      store.reset();
      if (!drop && handler.options.principals) store.seed(handler.options.principals);
      handler.auth.forgetTokens();
      handler.resetCounts();
      handler.setFaults({ ...DEFAULT_FAULTS, ignoreFields: [] });
      handler.options.onWrite();
      return send(res, 204);
    }
    case 'POST /sandbox/seed':
      store.seed(object() as SandboxSeed);
      handler.options.onWrite();
      return send(res, 204);
    case 'GET /sandbox/state':
      return send(res, 200, { ...store.dump(), faultCounts: handler.faultCounts });
    case 'GET /sandbox/outbox':
      return send(res, 200, { items: store.outbox });
    case 'GET /sandbox/requests':
      return send(res, 200, handler.counts);
    case 'DELETE /sandbox/requests':
      handler.resetCounts();
      return send(res, 204);
    case 'GET /sandbox/faults':
      return send(res, 200, handler.options.faults);
    case 'POST /sandbox/faults': {
      const patch: Partial<FaultSettings> = {};
      for (const [k, v] of Object.entries(object())) {
        if (!(k in DEFAULT_FAULTS)) throw new ApiFailure(400, `Unknown fault "${k}"; known: ${Object.keys(DEFAULT_FAULTS).join(', ')}`);
        if (k === 'ignoreFields') {
          if (!Array.isArray(v) || !v.every((f) => typeof f === 'string')) throw new ApiFailure(400, 'Fault "ignoreFields" must be a list of field names');
          patch.ignoreFields = [...(v as string[])];
          continue;
        }
        if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new ApiFailure(400, `Fault "${k}" must be a non-negative number`);
        (patch as Record<string, number>)[k] = v;
      }
      return send(res, 200, handler.setFaults(patch));
    }
    default:
      return failure(res, new ApiFailure(404, `No sandbox control ${key}`));
  }
}
