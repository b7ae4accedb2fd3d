import { INestApplication } from '@nestjs/common';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { NextFunction, Request, Response } from 'express';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { ApiErrorFilter } from './common/api-error.filter';
import { createValidationPipe } from './common/validation.pipe';
import { applyHttpTimeouts } from './common/http-timeouts';
import { AppConfig } from './config/app-config';
import { ensureDatabase } from './database/ensure-database';
import { securityHeaders } from './security/security-headers';

const API_DOCS_PATH = 'api/docs';

/** Builds the application for a role; shared by `main.ts`, the demo and the tests. */
export async function createApp(config: AppConfig): Promise<INestApplication> {
  if (config.database.createIfMissing) await ensureDatabase(config.database.url);
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    bufferLogs: true,
    // Gateway events are verified against the exact bytes that were signed.
    rawBody: true,
  });
  app.useLogger(app.get(Logger));
  // Nest flushes buffered start-up logs only on listen(); a worker never listens.
  app.flushLogs();
  if (config.runsApi && config.auth.ephemeralSecret) {
    app.get(Logger).warn('JWT_SECRET is not set (LOA_DEVELOPMENT_KEYS=true): using a random one, so sign-ins end when this process restarts');
  }
  if (config.developmentSecretsKey) {
    app.get(Logger).warn('SECRETS_KEY is not set (LOA_DEVELOPMENT_KEYS=true): speaker secrets and media links use a development key that is not secret');
  }
  app.enableShutdownHooks();
  app.setGlobalPrefix('api');
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ApiErrorFilter());
  app.disable('x-powered-by');
  // Only behind a configured proxy is X-Forwarded-For believed (login throttling and the audit log use req.ip).
  app.set('trust proxy', config.auth.trustProxy);
  if (config.runsApi) {
    // First, so that every answer carries them: the API's, Swagger UI's and the console's files.
    app.use(securityHeaders(`/${API_DOCS_PATH}`));
    applyHttpTimeouts(app.getHttpServer(), config);
    const document = SwaggerModule.createDocument(
      app,
      new DocumentBuilder()
        .setTitle('Loa')
        .setDescription("Schedules audio bulletins on a commune's village loudspeaker network and proves that they went on air.")
        .setVersion('0.1.0')
        .addBearerAuth()
        .build(),
    );
    SwaggerModule.setup(API_DOCS_PATH, app, document);
    serveConsole(app);
  }
  return app;
}

/** Where `vite build` writes the console, from src/ (ts-node) or dist/src/ (compiled). */
const CONSOLE_DIRS = [join(__dirname, '..', 'web', 'dist'), join(__dirname, '..', '..', 'web', 'dist')];

/**
 * Serves the built web console at `/` with plain express middleware, ahead of Nest's router and outside its guard:
 * the files are public, and every /api path still reaches Nest (and its access guard) untouched.
 */
function serveConsole(app: NestExpressApplication): void {
  const dir = CONSOLE_DIRS.find((candidate) => existsSync(join(candidate, 'index.html')));
  if (!dir) {
    app.get(Logger).warn('The web console is not built (run npm run build); only the API is served');
    return;
  }
  const isApi = (path: string) => path === '/api' || path.startsWith('/api/');
  // Vite names assets by content hash, so they may be cached for good; index.html must not be.
  app.useStaticAssets(dir, {
    index: false,
    setHeaders: (response, path) => response.setHeader('Cache-Control', path.endsWith('.html') ? 'no-cache' : 'public, max-age=31536000, immutable'),
  });
  // Single-page app: any other GET that wants a page answers index.html, never cached so a new build is picked up.
  app.use((request: Request, response: Response, next: NextFunction) => {
    if ((request.method !== 'GET' && request.method !== 'HEAD') || isApi(request.path) || !request.accepts('html')) return next();
    response.setHeader('Cache-Control', 'no-cache');
    response.sendFile(join(dir, 'index.html'));
  });
}
