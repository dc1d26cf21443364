/**
 * The web service started with the milter. For now it answers health checks and shows a status
 * page of recent decisions; the approval pages and the admin console (later issues) mount here.
 *
 * It has no sign-in yet, so it binds to loopback by default and shows masked data only.
 */
import { readFileSync } from 'node:fs';
import express, { type Express } from 'express';
import Handlebars from 'handlebars';
import { shippedFile } from '../config/paths.js';
import type { Logger } from '../log/logger.js';
import type { Store } from '../store/index.js';

export interface AdminDeps {
  readonly store: Store;
  readonly logger: Logger;
  /** Live facts for /healthz: is the milter listening, where. */
  readonly status: () => { milter: string; milterConnections: number };
}

const RECENT_LIMIT = 50;

export function createAdminApp(deps: AdminDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  const statusPage = Handlebars.compile(readFileSync(shippedFile('admin', 'views', 'status.hbs'), 'utf8'));

  app.get('/healthz', async (_req, res) => {
    try {
      await deps.store.listMessages({ limit: 1 });
      res.json({ status: 'ok', store: deps.store.dialect, ...deps.status() });
    } catch (err) {
      deps.logger.error('health check: store unavailable', { err: (err as Error).message });
      res.status(503).json({ status: 'store-unavailable' });
    }
  });

  app.get('/', async (req, res) => {
    const recent = await deps.store.listMessages({ limit: RECENT_LIMIT });
    const held = await deps.store.listMessages({ state: 'held', limit: 1000 });
    const english = (req.acceptsLanguages('ko', 'en') || 'ko') === 'en';
    res.type('html').send(
      statusPage({
        lang: english ? 'en' : 'ko',
        english,
        heldCount: held.length,
        status: deps.status(),
        messages: recent.map((m) => ({
          ...m,
          receivedAt: m.receivedAt.toISOString(),
          recipients: m.recipients.join(', '),
          findingCount: m.findings.length,
        })),
      }),
    );
  });

  app.use((err: Error, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    deps.logger.error('web request failed', { err: err.message });
    res.status(500).type('text').send('internal error');
  });
  return app;
}
