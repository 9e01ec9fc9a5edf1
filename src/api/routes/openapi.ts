// GET /openapi.json: the OpenAPI document of every route the server has (see inventory.ts).
import { ROUTES } from './inventory.js';

export function openApiDocument(): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of ROUTES) {
    const path = r.url.replace(/:(\w+)/g, '{$1}');
    const params = [...r.url.matchAll(/:(\w+)/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
    (paths[path] ??= {})[r.method.toLowerCase()] = {
      summary: r.summary,
      ...(r.permission === 'public' ? { security: [] } : {}),
      'x-gatelog-permission': r.permission,
      parameters: [...params, ...(r.query ?? []).map((q) => ({ name: q.name, in: 'query', required: false, description: q.description, schema: { type: 'string' } }))],
      responses: {
        '200': { description: 'OK' },
        ...(r.permission === 'public' ? {} : { '401': { description: 'No or invalid credentials (Graph error shape)' }, '403': { description: 'The credential does not have this permission (Graph error shape)' } }),
        '400': { description: 'Bad request (Graph error shape)' },
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Gatelog', version: '0.1.0', description: 'Self-hosted Microsoft Entra ID sign-in logs: a Graph-compatible API and Gatelog\'s own app API.' },
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'The admin token, an API key, or a JWT from a configured OpenID Connect issuer (docs/security.md)' },
        session: { type: 'apiKey', in: 'cookie', name: 'gatelog_session', description: 'Browser session; requests other than GET/HEAD also need X-CSRF-Token' },
      },
    },
    security: [{ bearer: [] }, { session: [] }],
    paths,
  };
}
