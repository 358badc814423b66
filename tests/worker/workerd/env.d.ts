declare namespace Cloudflare {
  interface Env {
    TEST_TOKEN_ALICE: string;
    TEST_TOKEN_BOB: string;
    TEST_S3_PREFIX: string;
    [key: string]: string;
  }
}
