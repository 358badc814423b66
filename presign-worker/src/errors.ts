import type { Context } from 'hono';
import type { ZodError } from 'zod';

export interface Issue {
  path: string;
  message: string;
}

export const toIssues = (e: ZodError): Issue[] =>
  e.issues.map((i) => ({ path: i.path.join('.') || '(root)', message: i.message }));

export function badRequest(c: Context, error: string, issues: Issue[] = []) {
  return c.json({ error, issues }, 400);
}
