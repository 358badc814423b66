/**
 * The e2e bucket, one per app port: each run sets the bucket's CORS rule to its own app origin, so two runs on one
 * machine (parallel runs on their own ports) sharing one bucket would break each other's browser uploads.
 */
export const E2E_BUCKET = process.env.E2E_PORT ? `nba-daily-e2e-${process.env.E2E_PORT}` : 'nba-daily-e2e';
