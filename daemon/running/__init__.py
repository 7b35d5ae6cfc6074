"""The running daemon: supervisor, per-account watcher, intake, outbox."""
