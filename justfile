# Hotline's everyday commands. `just --list` shows them.

# Start Hotline on the embedded default.
run *ARGS:
    cargo run --release -- {{ARGS}}

# Run the whole test suite.
test:
    cargo test --workspace

# Format the code.
fmt:
    cargo fmt --all

# Lint everything, warnings as errors.
clippy:
    cargo clippy --workspace --all-targets -- -D warnings

# Run the benchmarks.
bench:
    cargo bench --workspace

# Load, speed to lead and the database floor on PostgreSQL (release build); see docs/performance.md.
load *ARGS:
    cargo build --release -p hotline-app -p hotline-load
    "${CARGO_TARGET_DIR:-target}/release/hotline-load" {{ARGS}}

# Start a local PostgreSQL for development.
db-up:
    docker compose up -d postgres

# Everything CI runs.
ci:
    bash .ci/run
