//! With the `torch` feature, test and example binaries need to find
//! libtorch at run time (an rpath to its `lib/`) and must link
//! `torch_cuda` even though no symbol of it is used directly, or CUDA never
//! registers with libtorch. The R package's link line does the same in
//! `src/Makevars` (configure).

fn main() {
    println!("cargo:rerun-if-env-changed=LIBTORCH");
    println!("cargo:rerun-if-env-changed=LIBTORCH_USE_PYTORCH");
    if std::env::var_os("CARGO_FEATURE_TORCH").is_none() {
        return;
    }
    let dir = std::env::var("LIBTORCH").ok().or_else(|| {
        let out = std::process::Command::new("python3")
            .args(["-c", "import torch, os; print(os.path.dirname(torch.__file__))"])
            .output()
            .ok()?;
        Some(String::from_utf8_lossy(&out.stdout).trim().to_string()).filter(|s| !s.is_empty())
    });
    if let Some(dir) = dir {
        let lib = std::path::Path::new(&dir).join("lib");
        println!("cargo:rustc-link-arg=-Wl,-rpath,{}", lib.display());
        if lib.join("libtorch_cuda.so").exists() {
            println!("cargo:rustc-link-arg=-Wl,--no-as-needed");
            println!("cargo:rustc-link-arg=-L{}", lib.display());
            println!("cargo:rustc-link-arg=-ltorch_cuda");
            println!("cargo:rustc-link-arg=-Wl,--as-needed");
        }
    }
}
