// Where the Node suite finds S3. Defaults: the local RGW from scripts/rgw/start.sh.
// Override with TEST_S3_ENDPOINT / TEST_S3_ACCESS_KEY_ID / TEST_S3_SECRET_ACCESS_KEY / TEST_S3_BUCKET and
// TEST_S3_WRITER_* / TEST_S3_READER_* (the PUT-only and GET-only identities, see docs/S3_SETUP.md).
import { LOCAL_RGW } from '../../scripts/rgw/local-rgw';

export const TEST_S3 = {
  endpoint: process.env.TEST_S3_ENDPOINT ?? LOCAL_RGW.endpoint,
  region: process.env.TEST_S3_REGION ?? LOCAL_RGW.region,
  accessKeyId: process.env.TEST_S3_ACCESS_KEY_ID ?? LOCAL_RGW.accessKeyId,
  secretAccessKey: process.env.TEST_S3_SECRET_ACCESS_KEY ?? LOCAL_RGW.secretAccessKey,
  forcePathStyle: true,
  writer: {
    accessKeyId: process.env.TEST_S3_WRITER_ACCESS_KEY_ID ?? LOCAL_RGW.writer.accessKeyId,
    secretAccessKey: process.env.TEST_S3_WRITER_SECRET_ACCESS_KEY ?? LOCAL_RGW.writer.secretAccessKey,
  },
  reader: {
    accessKeyId: process.env.TEST_S3_READER_ACCESS_KEY_ID ?? LOCAL_RGW.reader.accessKeyId,
    secretAccessKey: process.env.TEST_S3_READER_SECRET_ACCESS_KEY ?? LOCAL_RGW.reader.secretAccessKey,
  },
};
export const TEST_BUCKET = process.env.TEST_S3_BUCKET ?? 'nba-daily-test';
export const TEST_ORIGIN = 'http://app.test:4173';
export const usesLocalRgw = TEST_S3.endpoint === LOCAL_RGW.endpoint;
