//! rollcall: statutory attendance registers for schools in England (see `cli::start`).

fn main() -> std::process::ExitCode {
    rollcall::cli::main()
}
