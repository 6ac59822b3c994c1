// Runs the TypeScript sources in a child process as Jest (ts-jest) runs them in-process: each file
// transpiled with decorator metadata, which Nest's injection reads where a parameter names no token
// (tsx's esbuild emits none), and the @ihl/* paths of tsconfig.base.json resolved. For tests that
// spawn the CLI from its sources:  node --require ./test/support/register-ts.cjs apps/cli/src/main.ts serve
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const Module = require('node:module');
const ts = require('typescript');

const config = ts.getParsedCommandLineOfConfigFile(path.join(__dirname, '../../tsconfig.json'), undefined, {
  ...ts.sys,
  onUnRecoverableConfigFileDiagnostic: (d) => {
    throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  },
});
const compilerOptions = { ...config.options, module: ts.ModuleKind.CommonJS, sourceMap: false, inlineSourceMap: true };
const paths = config.options.paths ?? {};
const base = config.options.baseUrl ?? path.join(__dirname, '../..');

const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  const target = paths[request]?.[0];
  return resolveFilename.call(this, target ? path.resolve(base, target) : request, ...rest);
};

require.extensions['.ts'] = (module, filename) => {
  const { outputText } = ts.transpileModule(fs.readFileSync(filename, 'utf8'), { compilerOptions, fileName: filename });
  module._compile(outputText, filename);
};
