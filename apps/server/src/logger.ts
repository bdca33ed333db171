import pino, { type Logger } from 'pino';

/**
 * The PII-free logger. Request logs carry method, route pattern, status and time — never query strings or bodies —
 * and any field whose name looks like personal data is redacted before it is written (belt and braces).
 */
export const redactedPaths = [
  '*.name',
  '*.mobile',
  '*.phone',
  '*.id_number',
  '*.idNumber',
  '*.password',
  '*.address',
  '*.email',
  'name',
  'mobile',
  'phone',
  'id_number',
  'idNumber',
  'password',
  'req.headers.cookie',
  'req.headers.authorization',
];

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      redact: { paths: redactedPaths, censor: '[redacted]' },
      base: { service: 'lingxi' },
      serializers: {
        req: (req: { method?: string; routeOptions?: { url?: string }; id?: string }) => ({
          id: req.id,
          method: req.method,
          route: req.routeOptions?.url ?? 'unmatched',
        }),
      },
    },
    destination ?? pino.destination(2),
  );
}
