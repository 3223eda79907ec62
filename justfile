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

# Train the intent model into crates/domain/src/intent/model.tsv; see docs/intent.md.
intent-train *ARGS:
    cargo run --release -p hotline-intent -- train crates/domain/data/intent --extra crates/domain/data/intent/extra/team-set.tsv --extra crates/domain/data/intent/extra/closings.tsv --extra crates/domain/data/intent/extra/french.tsv {{ARGS}}

# Precision, recall and F1 of the shipped model on a corpus split, by language, trade and kind.
intent-report SPLIT="test" *ARGS:
    cargo run --release -p hotline-intent -- report crates/domain/data/intent --split {{SPLIT}} {{ARGS}}

# Start a local PostgreSQL for development.
db-up:
    docker compose up -d postgres

# Everything CI runs.
ci:
    bash .ci/run
