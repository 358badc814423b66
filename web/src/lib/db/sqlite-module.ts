// sql.js on a WebAssembly module already compiled (the page's: sqlite-browser.ts), in the page or in a worker.
import initSqlJs, { type SqlJsStatic } from 'sql.js';

/** sql.js over an instance of `module`; rejects when it cannot be instantiated (sql.js alone would wait forever). */
export function instantiateSqlite(module: WebAssembly.Module): Promise<SqlJsStatic> {
  return new Promise<SqlJsStatic>((resolve, reject) => {
    initSqlJs({
      instantiateWasm(imports, done) {
        WebAssembly.instantiate(module, imports).then(done, reject);
        return {};
      },
    }).then(resolve, reject);
  });
}
