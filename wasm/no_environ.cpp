// Linked into each browser module (the widget's, the receipt's, the search's): they read no
// environment. ICU asks for a few variables (TZ, LANG and the like, for defaults the core never
// uses: normalisation and case folding are the same in every locale), and libc's getenv brings
// in a start-up constructor that copies the page's made-up environment into wasm memory through
// two imports the glue must answer. This getenv, an object file linked before libc, answers that
// none is set: 0.4 KB gzip less for the widget, and nothing to do at start-up.
extern "C" char* getenv(const char* /*name*/) {
  return nullptr;
}
