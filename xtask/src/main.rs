fn main() {
    eprintln!("usage: cargo xtask setup|test");
    std::process::exit(2);
}
