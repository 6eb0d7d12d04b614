/**
 * The sandbox's HTTP plumbing on `node:http`: reading a request body and writing a JSON
 * answer (every answer carries a fresh `x-mitel-correlation-id`, errors the `{ name, message }` body).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { ApiFailure } from './types.js';

/** Writes a whole answer: the body as JSON (none when undefined) with its length, plus `headers`. */
export function send(res: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}): void {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, {
    ...(text ? { 'content-type': 'application/json; charset=utf-8' } : {}),
    'content-length': Buffer.byteLength(text),
    'x-mitel-correlation-id': randomUUID(),
    ...headers,
  });
  res.end(text);
}

/** Writes the error answer of an `ApiFailure`: its status and `{ name, message }`. */
export function failure(res: ServerResponse, e: ApiFailure, headers: Record<string, string> = {}): void {
  send(res, e.status, { name: e.name, message: e.message }, headers);
}

/** Reads the body: JSON (any value) or form fields; undefined when empty; 400 when it is not valid JSON. */
export async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks).toString('utf8');
  if (!raw.trim()) return undefined;
  const type = req.headers['content-type'] ?? '';
  if (type.includes('application/x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(raw));
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    throw new ApiFailure(400, 'The body is not valid JSON');
  }
}
