import type { z } from 'zod';

/** A problem-details error from the API, with the fields it names. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly errors: { field: string; reason: string }[] = [],
  ) {
    super(message);
  }
}

/** What a failed call threw, as an Error (an ApiError keeps its status and named fields). */
export function toError(e: unknown): Error {
  return e instanceof Error ? e : new Error(String(e));
}

let csrfToken: string | undefined;
let onUnauthorized: (() => void) | undefined;

export function setCsrfToken(token: string | undefined): void {
  csrfToken = token;
}

/** Called when a signed-in request answers 401 (session expired or ended elsewhere). */
export function setUnauthorizedHandler(handler: (() => void) | undefined): void {
  onUnauthorized = handler;
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Builds `path?k=v&…`, leaving out undefined and empty values. */
export function withQuery(path: string, query: Record<string, string | number | boolean | undefined>): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') params.set(k, String(v));
  const s = params.toString();
  return s ? `${path}?${s}` : path;
}

const problemShape = (data: unknown) => {
  const p = (data && typeof data === 'object' ? data : {}) as {
    detail?: unknown;
    title?: unknown;
    errors?: unknown;
  };
  const errors = Array.isArray(p.errors)
    ? p.errors.filter(
        (e): e is { field: string; reason: string } =>
          typeof e === 'object' && e !== null && typeof e.field === 'string' && typeof e.reason === 'string',
      )
    : [];
  const message = typeof p.detail === 'string' ? p.detail : typeof p.title === 'string' ? p.title : undefined;
  return { message, errors };
};

/**
 * Calls the documented API and validates the response with the contract's zod schema, so the console only ever sees
 * typed data (packages/contracts is shared with the server).
 */
export async function api<S extends z.ZodType>(
  method: Method,
  path: string,
  schema: S,
  body?: unknown,
): Promise<z.output<S>> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  const res = await fetch(path, {
    method,
    headers,
    credentials: 'same-origin',
    body: body === undefined ? null : JSON.stringify(body),
  });
  const text = await res.text();
  let data: unknown;
  try {
    data = text ? JSON.parse(text) : undefined;
  } catch {
    data = undefined;
  }
  if (!res.ok) {
    const p = problemShape(data);
    if (res.status === 401 && !path.startsWith('/api/v1/auth/')) onUnauthorized?.();
    throw new ApiError(res.status, p.message ?? res.statusText, p.errors);
  }
  return schema.parse(data);
}

/** Downloads a text resource (CSV export) as a file. */
export async function download(path: string, filename: string): Promise<void> {
  const res = await fetch(path, { credentials: 'same-origin' });
  if (!res.ok) {
    const text = await res.text();
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch {
      data = undefined;
    }
    throw new ApiError(res.status, problemShape(data).message ?? res.statusText);
  }
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.click();
  URL.revokeObjectURL(url);
}
