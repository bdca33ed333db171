import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';

/** An error that becomes an RFC 9457 problem-details response. */
export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    detail?: string,
    readonly errors?: { field: string; reason: string }[],
    /** Extension members of the problem document (RFC 9457 §3.2), e.g. the findings that blocked a submission. */
    readonly extensions?: Record<string, unknown>,
  ) {
    super(detail ?? title);
  }
}

export const notFound = (what: string) => new HttpProblem(404, 'Not Found', `${what} not found`);
export const forbidden = (detail = 'not allowed for your role') => new HttpProblem(403, 'Forbidden', detail);
export const badRequest = (field: string, reason: string) =>
  new HttpProblem(400, 'Bad Request', `${field}: ${reason}`, [{ field, reason }]);

/** Every error leaves as `application/problem+json`; validation errors name the field and the reason. */
export function installProblemDetails(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    let status = 500;
    let title = 'Internal Server Error';
    let detail = 'an unexpected error occurred';
    let errors: { field: string; reason: string }[] | undefined;
    let extensions: Record<string, unknown> | undefined;
    if (hasZodFastifySchemaValidationErrors(err)) {
      status = 400;
      title = 'Bad Request';
      errors = err.validation.map((v) => ({
        field: `${err.validationContext ?? 'body'}${v.instancePath.replaceAll('/', '.')}`,
        reason: v.message ?? 'invalid',
      }));
      detail = errors.map((e) => `${e.field}: ${e.reason}`).join('; ');
    } else if (err instanceof HttpProblem) {
      status = err.status;
      title = err.title;
      detail = err.message;
      errors = err.errors;
      extensions = err.extensions;
    } else if (typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500) {
      status = err.statusCode;
      title = err.name || 'Bad Request';
      detail = err.message;
    } else {
      req.log.error({ err: { message: err.message, stack: err.stack } }, 'request failed');
    }
    void reply
      .status(status)
      .type('application/problem+json')
      .send({
        type: 'about:blank',
        title,
        status,
        detail,
        instance: req.url.split('?')[0],
        ...(errors ? { errors } : {}),
        ...(extensions ?? {}),
      });
  });
  app.setNotFoundHandler((req, reply) => {
    void reply
      .status(404)
      .type('application/problem+json')
      .send({
        type: 'about:blank',
        title: 'Not Found',
        status: 404,
        detail: `no route ${req.method} ${req.url.split('?')[0]}`,
      });
  });
}
