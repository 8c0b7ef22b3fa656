// For Closure over the browser module's glue, built for the web only: libsodium's random-bytes
// code (an EM_ASM in its randombytes) falls back to node's require("crypto") when the page has
// no crypto.getRandomValues. Declared so Closure keeps the name.
/** @param {string} name */
var require = function(name) {};
