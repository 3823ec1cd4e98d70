// The default theme and the `kiosque new` starter site are embedded with
// include_dir!, which does not notice added files on stable Rust: rebuild
// when anything under those folders changes.
fn main() {
    println!("cargo:rerun-if-changed=themes/default");
    println!("cargo:rerun-if-changed=src/scaffold");
}
