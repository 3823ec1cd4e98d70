use std::process::ExitCode;

fn main() -> ExitCode {
    kiosque::cli::main()
}
