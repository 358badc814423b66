declare namespace Cloudflare {
  interface Env {
    TEST_TOKEN_ALICE: string;
    TEST_TOKEN_BOB: string;
    [key: string]: string;
  }
}
