// Forwards R's routine registration to the Rust library (and keeps the
// linker from dropping the static library), and installs extendr's panic
// hook: a Rust error reaches R as an ordinary R error, without a Rust panic
// message on the console (set EXTENDR_BACKTRACE=true to see one).
void R_init_contrastiveSC_extendr(void *dll);
void register_extendr_panic_hook(void);

void R_init_contrastiveSC(void *dll) {
    register_extendr_panic_hook();
    R_init_contrastiveSC_extendr(dll);
}
