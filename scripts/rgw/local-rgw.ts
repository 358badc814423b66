// The local RGW's endpoint and fixed test keys, as set up by scripts/rgw/start.sh (RGW_PORT / RGW_ACCESS_KEY /
// RGW_SECRET_KEY override them there and here). Dependency-free so test setup can import it cheaply.
export const LOCAL_RGW = {
  endpoint: `http://127.0.0.1:${process.env.RGW_PORT ?? '7480'}`,
  region: 'us-east-1',
  accessKeyId: process.env.RGW_ACCESS_KEY ?? 'NBADAILYLOCALKEY0001',
  secretAccessKey: process.env.RGW_SECRET_KEY ?? 'nbadaily-local-secret-key-000000000000001',
  forcePathStyle: true,
};

/** True when something answers HTTP at `url` within two seconds (any status). */
export async function answers(url: string): Promise<boolean> {
  try {
    await fetch(url, { signal: AbortSignal.timeout(2000) });
    return true;
  } catch {
    return false;
  }
}
