fn main() {
    std::process::exit(pledgesim::cli::main());
}
