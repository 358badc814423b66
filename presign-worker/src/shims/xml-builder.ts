// workerd has no DOMParser, but @aws-sdk/xml-builder's "browser" build (which wrangler and Vite pick for
// workers) parses S3's XML with it, so every List/Head/Copy response fails to deserialize there.
// wrangler.toml and tests/worker/workerd.vitest.config.ts alias "@aws-sdk/xml-builder" to this file, which
// re-exports the package's pure-JS parser (the one Node uses) by file path, bypassing the browser field.
// @ts-ignore -- untyped dist file; the types are those of @aws-sdk/xml-builder
export { XmlNode } from '../../../node_modules/@aws-sdk/xml-builder/dist-es/XmlNode.js';
// @ts-ignore -- untyped dist file
export { XmlText } from '../../../node_modules/@aws-sdk/xml-builder/dist-es/XmlText.js';
// @ts-ignore -- untyped dist file
export { parseXML } from '../../../node_modules/@aws-sdk/xml-builder/dist-es/xml-parser.js';
