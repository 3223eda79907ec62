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

# Start a local PostgreSQL for development.
db-up:
    docker compose up -d postgres

# Everything CI runs.
ci:
    bash .ci/run
