// Namespace isolation that does not depend on the provider ignoring unsigned headers (issue 9, item 1).
// RGW 16 acts on unsigned x-amz-* headers sent with a presigned request. Before, every URL was signed by the one
// identity that could read the whole bucket, so a thief's own PUT URL plus `x-amz-copy-source` copied another
// namespace's database, and `x-amz-acl: public-read` published it. Now PUTs are signed by a write-only identity
// and GETs by a read-only one, and the bucket policy (scripts/rgw/setup-bucket.ts) refuses ACLs and copy sources.
import { describe, expect, it } from 'vitest';
import { TEST_BUCKET, TEST_S3 } from '../rgw-env';
import { bytesOf, call, client, commitAndUpload, makeEnv, putTo, snapshotAndUpload, tenant } from '../helpers';

const victim = tenant('iso-victim');
const thief = tenant('iso-thief');
const env = makeEnv([victim, thief]);
const v = client(env, victim);
const t = client(env, thief);

const SECRET = bytesOf(700, 42);
/** The victim's committed generation: its object path in the bucket ("/<bucket>/<key>"). */
let victimGenPath = '';

const objectPath = (url: string) => decodeURIComponent(new URL(url).pathname);
const anonymousGet = (url: string) => fetch(`${new URL(url).origin}${new URL(url).pathname}`);
const ALL_USERS = 'uri="http://acs.amazonaws.com/groups/global/AllUsers"';

/** Every way a presigned PUT could be turned against another namespace or made public. */
const attacks = (source: string): Record<string, Record<string, string>> => ({
  'x-amz-copy-source': { 'x-amz-copy-source': source },
  'x-amz-copy-source + x-amz-acl: public-read': { 'x-amz-copy-source': source, 'x-amz-acl': 'public-read' },
  'x-amz-acl: public-read': { 'x-amz-acl': 'public-read' },
  'x-amz-acl: public-read-write': { 'x-amz-acl': 'public-read-write' },
  'x-amz-acl: authenticated-read': { 'x-amz-acl': 'authenticated-read' },
  'x-amz-grant-read': { 'x-amz-grant-read': ALL_USERS },
  'x-amz-grant-full-control': { 'x-amz-grant-full-control': ALL_USERS },
});

async function victimCommitted() {
  if (victimGenPath) return victimGenPath;
  const { commit } = await commitAndUpload(v, 1, SECRET);
  victimGenPath = objectPath(commit.url);
  return victimGenPath;
}

/** PUTs `bytes` with the extra headers; returns the status and whether anything now sits at the URL's key. */
async function attack(put: { url: string; headers: Record<string, string> }, extra: Record<string, string>, bytes: Uint8Array<ArrayBuffer>) {
  const res = await putTo(put.url, { ...put.headers, ...extra }, bytes);
  return { status: res.status, anonymous: (await anonymousGet(put.url)).status };
}

describe('isolation against RGW: the signing identities cannot be turned against other namespaces', () => {
  it('PUT URLs are signed by the write-only identity, GET URLs by the read-only one', async () => {
    await victimCommitted();
    const put = (await v.commit(2, 10)).json;
    const head = (await v.begin()).json.changesets.at(-1); // a presigned GET
    const credential = (url: string) => new URL(url).searchParams.get('X-Amz-Credential')?.split('/')[0];
    expect(credential(put.url)).toBe(TEST_S3.writer.accessKeyId);
    expect(credential(head.url)).toBe(TEST_S3.reader.accessKeyId);
    // the reader's URL cannot write, the writer's identity cannot read: swapping methods is refused by signature
    // and by identity alike
    expect((await fetch(head.url, { method: 'PUT', body: 'x' })).status).toBe(403);
  });

  describe('a token holder with their own sync PUT URL', () => {
    for (const [name, headers] of Object.entries(attacks('/placeholder'))) {
      it(`${name} is refused (403) and nothing is created or published`, async () => {
        const source = await victimCommitted();
        const extra = { ...headers };
        if ('x-amz-copy-source' in extra) extra['x-amz-copy-source'] = source;
        const begin = (await t.begin()).json.head;
        const seq = (begin?.seq ?? 0) + 1;
        const put = (await t.commit(seq, SECRET.length)).json;
        const r = await attack(put, extra, SECRET);
        expect(r.status).toBe(403);
        expect(r.anonymous).toBe(403);
        // nothing was committed under the thief's namespace by the refused PUT
        const after = (await t.begin()).json.head;
        expect(after?.seq ?? 0).toBe(seq - 1);
      });
    }

    it('a copy with an empty body and Content-Length 0 is refused too', async () => {
      const source = await victimCommitted();
      const begin = (await t.begin()).json.head;
      const put = (await t.commit((begin?.seq ?? 0) + 1, 1)).json;
      const res = await fetch(put.url, {
        method: 'PUT',
        headers: { 'Content-Type': put.headers['Content-Type'], 'If-None-Match': '*', 'x-amz-copy-source': source },
        body: new Uint8Array(0),
      });
      expect(res.status).toBe(403);
    });

    it('the genuine PUT still works (the policy refuses only the attacks)', async () => {
      const begin = (await t.begin()).json.head;
      await commitAndUpload(t, (begin?.seq ?? 0) + 1, bytesOf(100, 7));
    });
  });

  describe('someone holding only a leaked CSV PUT URL (no token)', () => {
    for (const [name, headers] of Object.entries(attacks('/placeholder'))) {
      it(`${name} is refused (403) and the CSV key stays empty and private`, async () => {
        const source = await victimCommitted();
        const extra = { ...headers };
        if ('x-amz-copy-source' in extra) extra['x-amz-copy-source'] = source;
        const day = `2025-0${1 + (Object.keys(attacks('')).indexOf(name) % 9)}-15`;
        const leaked = (await v.post('/v1/csv', { gameDate: day, size: SECRET.length })).json;
        expect(leaked.url).toBeTruthy();
        const r = await attack(leaked, extra, SECRET);
        expect(r.status).toBe(403);
        expect(r.anonymous).toBe(403);
      });
    }
  });

  describe('backups', () => {
    it('the worker still copies (its own identity), the backup is private, and no PUT URL can copy from it', async () => {
      await victimCommitted();
      await snapshotAndUpload(v, 1, SECRET); // a backup copies the newest snapshot
      const made = await v.post('/v1/backups', {});
      expect(made.status, JSON.stringify(made.json)).toBe(201);
      const got = (await v.get(`/v1/backups/${made.json.backup.name}`)).json;
      const download = await fetch(got.url);
      expect(download.status).toBe(200);
      expect(new Uint8Array(await download.arrayBuffer())).toEqual(SECRET);
      expect((await anonymousGet(got.url)).status).toBe(403);
      // the backup GET URL cannot be used to write or to change the ACL
      expect((await fetch(got.url, { method: 'PUT', headers: { 'x-amz-acl': 'public-read' }, body: 'x' })).status).toBe(403);
      expect((await fetch(got.url, { headers: { 'x-amz-acl': 'public-read' } })).status).toBe(200);
      expect((await anonymousGet(got.url)).status).toBe(403);

      // a thief's PUT URL (with a token) and a leaked CSV URL (without one) cannot copy the victim's backup
      const backupPath = objectPath(got.url);
      const begin = (await t.begin()).json.head;
      const put = (await t.commit((begin?.seq ?? 0) + 1, 1)).json;
      expect((await attack(put, { 'x-amz-copy-source': backupPath, 'x-amz-acl': 'public-read' }, bytesOf(1))).status).toBe(403);
      const leaked = (await v.post('/v1/csv', { gameDate: '2025-03-31', size: 1 })).json;
      expect((await attack(leaked, { 'x-amz-copy-source': backupPath }, bytesOf(1))).status).toBe(403);
      expect((await anonymousGet(leaked.url)).status).toBe(403);
    });
  });

  it('the bucket itself lists nothing anonymously', async () => {
    const r = await fetch(`${TEST_S3.endpoint}/${TEST_BUCKET}?list-type=2`);
    expect(r.status).toBe(403);
    const unauth = await call(env, 'POST', '/v1/sync/begin');
    expect(unauth.status).toBe(401);
  });
});
