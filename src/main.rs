use std::process::ExitCode;

/// mimalloc: builds allocate many small strings and JSON values from
/// several threads; glibc's allocator spent a quarter of a build's time in
/// malloc and free and kept freed memory in per-thread arenas.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    kiosque::cli::main()
}
