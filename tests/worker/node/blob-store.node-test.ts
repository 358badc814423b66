// The BlobStore contract against S3Store on the real RGW (each run in a fresh root of its own).
import { S3Store } from '../../../presign-worker/src/store/s3';
import { blobStoreContract } from '../blob-store-contract';
import { uniqueNs } from '../helpers';
import { TEST_BUCKET, TEST_S3 } from '../rgw-env';

const bucket = S3Store.fromConfig({ ...TEST_S3, bucket: TEST_BUCKET, prefix: 'contract/' });

blobStoreContract(
  'S3Store on RGW',
  () => ({ store: bucket.scoped(`${uniqueNs('store')}/`), fetch, now: Date.now }),
  { controllableClock: false },
);
