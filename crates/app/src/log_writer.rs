//! Log lines written by a thread of their own, so a slow disk or a full
//! pipe never stalls the threads that answer Twilio.
//!
//! Each event is formatted on the thread that logs it into a buffer and
//! handed over a bounded channel; the writer thread writes them to stdout
//! through one buffer and flushes whenever it has caught up. When the
//! channel is full (the writer is 65,536 lines behind) logging waits
//! rather than drops lines. [`LogGuard`] flushes everything at exit.

use std::io::{self, BufWriter, Write};
use std::sync::mpsc::{Receiver, SyncSender, TrySendError, sync_channel};
use std::thread::JoinHandle;

use tracing_subscriber::fmt::MakeWriter;

/// Lines that may wait for the writer thread.
const QUEUE: usize = 65_536;

/// Hands formatted events to the writer thread.
#[derive(Clone)]
pub struct BackgroundStdout {
    lines: SyncSender<Vec<u8>>,
}

/// Keeps the writer thread until the process ends; dropping it writes out
/// every queued line.
pub struct LogGuard {
    writer: Option<JoinHandle<()>>,
    lines: SyncSender<Vec<u8>>,
}

impl Drop for LogGuard {
    fn drop(&mut self) {
        // The subscriber keeps a sender for good, so the channel never
        // closes: an empty line tells the writer to flush and stop.
        let _ = self.lines.send(Vec::new());
        if let Some(writer) = self.writer.take() {
            let _ = writer.join();
        }
    }
}

/// Starts the writer thread.
pub fn start() -> (BackgroundStdout, LogGuard) {
    let (sender, receiver) = sync_channel(QUEUE);
    let writer = std::thread::Builder::new()
        .name("hotline-log".to_owned())
        .spawn(move || write_lines(&receiver))
        .ok();
    (
        BackgroundStdout {
            lines: sender.clone(),
        },
        LogGuard {
            writer,
            lines: sender,
        },
    )
}

fn write_lines(lines: &Receiver<Vec<u8>>) {
    let mut out = BufWriter::with_capacity(64 * 1024, io::stdout());
    while let Ok(line) = lines.recv() {
        if line.is_empty() {
            break;
        }
        let _ = out.write_all(&line);
        while let Ok(more) = lines.try_recv() {
            if more.is_empty() {
                let _ = out.flush();
                return;
            }
            let _ = out.write_all(&more);
        }
        let _ = out.flush();
    }
    let _ = out.flush();
}

/// One event being formatted; sent to the writer when dropped.
pub struct EventBuffer {
    bytes: Vec<u8>,
    lines: SyncSender<Vec<u8>>,
}

impl Write for EventBuffer {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.bytes.extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Drop for EventBuffer {
    fn drop(&mut self) {
        if self.bytes.is_empty() {
            return;
        }
        let bytes = std::mem::take(&mut self.bytes);
        match self.lines.try_send(bytes) {
            Ok(()) | Err(TrySendError::Disconnected(_)) => {}
            // The writer is far behind: wait for room rather than lose the line.
            Err(TrySendError::Full(bytes)) => {
                let _ = self.lines.send(bytes);
            }
        }
    }
}

impl<'a> MakeWriter<'a> for BackgroundStdout {
    type Writer = EventBuffer;

    fn make_writer(&'a self) -> Self::Writer {
        EventBuffer {
            bytes: Vec::with_capacity(256),
            lines: self.lines.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_line_is_handed_over_in_order() {
        let (sender, receiver) = sync_channel(4);
        let make = BackgroundStdout { lines: sender };
        for n in 0..3 {
            let mut event = make.make_writer();
            let _ = write!(event, "line {n}");
            let _ = writeln!(event);
        }
        let got: Vec<String> = receiver
            .try_iter()
            .map(|b| String::from_utf8_lossy(&b).into_owned())
            .collect();
        assert_eq!(got, ["line 0\n", "line 1\n", "line 2\n"]);
    }
}
