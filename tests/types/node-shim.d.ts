// The one node API doui-verify.mjs uses, declared for tsc (no @types/node in this project's
// registry set): createRequire, whose require gives the Emscripten part (typed by its .d.cts).
declare module 'node:module' {
  export function createRequire(url: string | URL): (id: string) => any;
}
