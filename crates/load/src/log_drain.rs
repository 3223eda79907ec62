//! The server's log, read from a pipe as a log collector would: kept in a
//! file only when asked, so by default no log line competes with
//! PostgreSQL's WAL for the disk.

use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

/// How much of the log's end is kept in memory for error messages.
const TAIL: usize = 64 * 1024;

/// Reads the server's output until it closes.
pub struct LogDrain {
    tail: Arc<Mutex<Vec<u8>>>,
    reader: Option<JoinHandle<u64>>,
}

impl LogDrain {
    /// Starts reading `pipe`, copying everything to `keep` when given.
    pub fn start(mut pipe: std::io::PipeReader, mut keep: Option<std::fs::File>) -> Self {
        let tail = Arc::new(Mutex::new(Vec::with_capacity(TAIL)));
        let kept = tail.clone();
        let reader = std::thread::spawn(move || {
            let mut bytes = 0u64;
            let mut buffer = vec![0u8; 64 * 1024];
            while let Ok(read) = pipe.read(&mut buffer) {
                if read == 0 {
                    break;
                }
                let chunk = &buffer[..read];
                bytes += read as u64;
                if let Some(file) = keep.as_mut() {
                    let _ = file.write_all(chunk);
                }
                if let Ok(mut tail) = kept.lock() {
                    tail.extend_from_slice(chunk);
                    let excess = tail.len().saturating_sub(TAIL);
                    tail.drain(..excess);
                }
            }
            bytes
        });
        Self {
            tail,
            reader: Some(reader),
        }
    }

    /// The last lines read, for an error message.
    pub fn tail(&self) -> String {
        self.tail
            .lock()
            .map(|tail| String::from_utf8_lossy(&tail).into_owned())
            .unwrap_or_default()
    }

    /// Waits for the output to close: the bytes the server logged.
    pub fn finish(mut self) -> u64 {
        self.reader
            .take()
            .and_then(|reader| reader.join().ok())
            .unwrap_or(0)
    }
}
