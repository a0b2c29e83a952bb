import { defineConfig } from 'drizzle-kit';

/** `npm run db:generate` writes reviewed, append-only migrations to db/migrations. */
export default defineConfig({
  dialect: 'sqlite',
  schema: './db/schema.ts',
  out: './db/migrations',
});
